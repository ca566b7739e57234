/**
 * The `search/<name>` stage: a search's record. `front.csv` has a row per trial and rung (its
 * mean errors there and whether it was promoted); `front.json` sets the search's front (every
 * trial at its last rung) against its sweep's (every cell, from `replicates.csv`), each with its
 * hypervolume in log₁₀ space against the search's reference point and the epochs it spent, and
 * the same hypervolumes replicate by replicate, which the `search-front` claim is decided over.
 *
 * @module
 */
import { join } from "node:path";
import type { StageContext } from "../../pipeline/core/stage.ts";
import { formatCsv } from "../data/csv.ts";
import type { SearchParams } from "../search_schema.ts";
import { parseReplicates } from "../stats/replicates_table.ts";
import { metricValue } from "../stats/stats_format.ts";
import {
  FRONT_COLUMNS,
  type FrontPoint,
  type FrontSide,
  type FrontSummary,
} from "./front_format.ts";
import { hypervolume2d, paretoFront2d, type Point2 } from "./hypervolume.ts";
import { parsePromoted } from "./promoted_format.ts";
import { readTrialRuns, trialMeans, type TrialRun } from "./trial_metrics.ts";
import { trialAt } from "./trials.ts";

/** What the table is given. */
export interface SearchTableParams {
  readonly name: string;
  readonly search: SearchParams;
  /** `training.epochs`: what each run of the sweep trained. */
  readonly epochs: number;
  /** `training.seed`: `replicates.csv`'s seeds count from it. */
  readonly trainingSeed: number;
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
  const { name, search, epochs, trainingSeed } = ctx.params;
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

  const cells = parseReplicates(
    await Deno.readTextFile(join(ctx.inputs.replicates!, "replicates.csv")),
  ).filter((r) => r.id.startsWith(`${search.compare}/`));
  const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const trialPoint = (t: number, rs: readonly TrialRun[], e: number): FrontPoint => {
    const { lambda, mu } = trialAt(search, t);
    const fit = mean(rs.map((x) => x.fit)), inversion = mean(rs.map((x) => x.inversion));
    return { id: `t${t}`, lambda, mu, epochs: e, fit, inversion };
  };
  const cellPoint = (id: string, rs: typeof cells): FrontPoint => ({
    id,
    lambda: rs[0]!.lambda,
    mu: rs[0]!.mu,
    epochs,
    fit: mean(rs.map((x) => metricValue(x, "fit") ?? NaN)),
    inversion: mean(rs.map((x) => metricValue(x, "inv") ?? NaN)),
  });
  const cellIds = [...new Set(cells.map((c) => c.id))];
  const searched = (keep: (x: TrialRun) => boolean) =>
    [...last].map(([t, l]) => trialPoint(t, l.runs.filter(keep), l.epochs)).filter((p) =>
      Number.isFinite(p.fit)
    );
  const swept = (keep: (x: (typeof cells)[number]) => boolean) =>
    cellIds.map((id) => cellPoint(id, cells.filter((c) => c.id === id && keep(c)))).filter((p) =>
      Number.isFinite(p.fit)
    );
  const pairs = [...new Set(runs.map((x) => `${x.seed}/${x.draw}`))].map((k) =>
    k.split("/").map(Number) as [number, number]
  ).filter(([s, d]) => cells.some((c) => c.seed - trainingSeed === s && c.draw === d));
  const summary: FrontSummary = {
    search: name,
    sweep: search.compare,
    reference: search.reference,
    searched: side(searched(() => true), search.reference, spent, runs.length),
    swept: side(swept(() => true), search.reference, cells.length * epochs, cells.length),
    replicates: pairs.map(([seed, draw]) => ({
      seed,
      draw,
      searched: side(searched((x) => x.seed === seed && x.draw === draw), search.reference, 0, 0)
        .hypervolume,
      swept: side(
        swept((c) => c.seed - trainingSeed === seed && c.draw === draw),
        search.reference,
        0,
        0,
      ).hypervolume,
    })),
  };
  await Deno.writeTextFile(join(ctx.outDir, "front.json"), JSON.stringify(summary, null, 1) + "\n");
}
