/**
 * The `search/<name>` stage: a search's record. `front.csv` has a row per trial and rung (its
 * mean errors there and whether it was promoted); `front.json` sets the search's front (every
 * trial at its last rung) against its sweep's (every cell, from its runs' `metrics.json`), each with its
 * hypervolume in log₁₀ space against the search's reference point and the epochs it spent, and
 * the same hypervolumes replicate by replicate, which the `search-front` claim is decided over.
 *
 * @module
 */
import { join } from "node:path";
import type { StageContext } from "../../pipeline/core/stage.ts";
import { formatCsv } from "../data/csv.ts";
import { mean } from "../stats/bootstrap.ts";
import type { SearchParams } from "../search_schema.ts";
import {
  FRONT_COLUMNS,
  type FrontPoint,
  type FrontSide,
  type FrontSummary,
  SWEEP_INPUT,
  type SweepCell,
} from "./front_format.ts";
import { hypervolume2d, paretoFront2d, type Point2 } from "./hypervolume.ts";
import { parsePromoted } from "./promoted_format.ts";
import { readErrors, readTrialRuns, trialMeans, type TrialRun } from "./trial_metrics.ts";
import { trialAt } from "./trials.ts";

/** What the table is given. */
export interface SearchTableParams {
  readonly name: string;
  readonly search: SearchParams;
  /** `training.epochs`: what each run of the sweep trained. */
  readonly epochs: number;
  /** The compared sweep's cells; their runs are the inputs `cell/<cell>/s<i>-d<d>`. */
  readonly cells: readonly SweepCell[];
}

/** A run's errors, by replicate. */
interface Errors {
  readonly seed: number;
  readonly draw: number;
  readonly fit: number;
  readonly inversion: number;
}

/** The compared sweep's runs: every input named `cell/<cell>/s<i>-d<d>`. */
async function readCellRuns(
  inputs: Readonly<Record<string, string>>,
): Promise<(Errors & { cell: string })[]> {
  const out = [];
  for (const [name, dir] of Object.entries(inputs)) {
    const m = /^(.+)\/s(\d+)-d(\d+)$/.exec(name.slice(SWEEP_INPUT.length));
    if (!name.startsWith(SWEEP_INPUT) || !m) continue;
    out.push({ cell: m[1]!, seed: Number(m[2]), draw: Number(m[3]), ...await readErrors(dir) });
  }
  return out;
}

const log = (p: { fit: number; inversion: number }): Point2 => [
  Math.log10(p.fit),
  Math.log10(p.inversion),
];

/** A side's hypervolume and front from its points. */
export function side(
  points: readonly FrontPoint[],
  reference: SearchParams["reference"],
  epochs: number,
  runs: number,
): FrontSide {
  const front = paretoFront2d(points.map(log)).map((i) => points[i]!);
  return {
    epochs,
    runs,
    hypervolume: hypervolume2d(points.map(log), log(reference)),
    front,
    points,
  };
}

/** Writes `front.csv` and `front.json`. */
export async function run(ctx: StageContext<SearchTableParams>): Promise<void> {
  const { name, search, epochs, cells } = ctx.params;
  const runs = await readTrialRuns(ctx.inputs);
  const promoted = new Map<number, Set<number>>();
  for (let r = 0; r < search.rungs.length - 1; r++) {
    const text = await Deno.readTextFile(join(ctx.inputs[`r${r}`]!, "promoted.json"));
    promoted.set(r, new Set(parsePromoted(text).promoted));
  }
  const rows: (string | number)[][] = [];
  const last = new Map<number, { rung: number; epochs: number; runs: TrialRun[] }>();
  let spent = 0;
  search.rungs.forEach((e, r) => {
    const at = runs.filter((x) => x.epochs === e);
    spent += at.length * (e - (r === 0 ? 0 : search.rungs[r - 1]!));
    for (const m of trialMeans(at)) {
      const t = trialAt(search, m.trial);
      rows.push([
        t.index,
        r,
        e,
        t.lambda,
        t.mu,
        t.layers.join("x"),
        t.activation,
        m.fit,
        m.inversion,
        promoted.get(r)?.has(t.index) ? 1 : 0,
      ]);
      last.set(t.index, { rung: r, epochs: e, runs: at.filter((x) => x.trial === m.trial) });
    }
  });
  await Deno.writeTextFile(join(ctx.outDir, "front.csv"), formatCsv(FRONT_COLUMNS, rows));

  const cellRuns = await readCellRuns(ctx.inputs);
  const point = (id: string, at: { lambda: number; mu: number }, e: number, rs: Errors[]) => ({
    id,
    lambda: at.lambda,
    mu: at.mu,
    epochs: e,
    fit: mean(rs.map((x) => x.fit)),
    inversion: mean(rs.map((x) => x.inversion)),
  });
  const finite = (p: FrontPoint) => Number.isFinite(p.fit) && Number.isFinite(p.inversion);
  const searched = (keep: (x: Errors) => boolean) =>
    [...last].map(([t, l]) => point(`t${t}`, trialAt(search, t), l.epochs, l.runs.filter(keep)))
      .filter(finite);
  const swept = (keep: (x: Errors) => boolean) =>
    cells.map((c) => point(c.id, c, epochs, cellRuns.filter((x) => x.cell === c.id && keep(x))))
      .filter(finite);
  const pairs = [...new Set(runs.map((x) => `${x.seed}/${x.draw}`))]
    .map((k) => k.split("/").map(Number) as [number, number])
    .filter(([s, d]) => cellRuns.some((c) => c.seed === s && c.draw === d));
  const same = (seed: number, draw: number) => (x: Errors) => x.seed === seed && x.draw === draw;
  const hv = (points: FrontPoint[]) => side(points, search.reference, 0, 0).hypervolume;
  const summary: FrontSummary = {
    search: name,
    sweep: search.compare,
    reference: search.reference,
    searched: side(searched(() => true), search.reference, spent, runs.length),
    swept: side(swept(() => true), search.reference, cellRuns.length * epochs, cellRuns.length),
    replicates: pairs.map(([seed, draw]) => ({
      seed,
      draw,
      searched: hv(searched(same(seed, draw))),
      swept: hv(swept(same(seed, draw))),
    })),
  };
  await Deno.writeTextFile(join(ctx.outDir, "front.json"), JSON.stringify(summary, null, 1) + "\n");
}
