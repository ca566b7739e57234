/**
 * A search's stages, declared as far as its selections are known: the first rung's trials (train
 * and evaluate, every replicate), the selection of each rung (`select/<search>/r<r>`), whose
 * `promoted.json` names the next rung's trials, then, once the last rung is declared, the table
 * (`search/<search>`) and its figure. The graph grows as the selections run (see
 * `Pipeline.stages`): a promoted trial's training continues its previous rung's (progress), and
 * names the selection that promoted it (`after`). Declarations only.
 *
 * @module
 */
import type { StageDecl } from "../../pipeline/core/stage.ts";
import type { SearchParams } from "../search_schema.ts";
import { runStages } from "../run_stages.ts";
import { trialAt, trialInput, trialRun } from "./trials.ts";
import { parsePromoted, PROMOTED_FILE } from "./promoted_format.ts";
import { SWEEP_INPUT, type SweepCell } from "./front_format.ts";

const here = (file: string): string => new URL(file, import.meta.url).href;

/** Reads a file of a stage's current result; undefined while it has none. */
export type Read = (stage: string, file: string) => string | undefined;

/** The sweep a search is measured against: its cells, and the evaluation of each of their runs. */
export interface ComparedSweep {
  readonly cells: readonly SweepCell[];
  /** Input name (`<cell id>/s<i>-d<d>`, design.ts' `runInput`) → its `evaluate/…` stage. */
  readonly runs: Readonly<Record<string, string>>;
}

/** A search's declared stages, and whether its last rung is declared (the search is whole). */
export interface SearchStages {
  readonly stages: StageDecl[];
  readonly whole: boolean;
}

/** The id of a search's table stage, which `claims`, `report` and the post read. */
export function searchTableStage(search: string): string {
  return `search/${search}`;
}

/** The id of a search's selection at rung `rung`. */
export function selectStage(search: string, rung: number): string {
  return `select/${search}/r${rung}`;
}

/** The replicates of a search, as (seed, draw) pairs. */
function replicates(s: SearchParams): [number, number][] {
  const { seeds, draws } = s.replicates;
  return Array.from({ length: draws }, (_, d) => Array.from({ length: seeds }, (_, i) => [i, d]))
    .flat() as [number, number][];
}

/**
 * Declares search `name` as far as `read` knows its selections.
 *
 * @example
 * ```ts
 * import { searchStages } from "./search_stages.ts";
 * import type { SearchParams } from "../search_schema.ts";
 * const s: SearchParams = {
 *   space: { lambda: { log: [0.01, 100] }, mu: "lambda", layers: [[30, 30]], activation: ["relu"] },
 *   trials: 3, rungs: [10, 30], eta: 3, objectives: ["fit", "inversion"], replicates: { seeds: 1, draws: 1 },
 *   seed: 0, reference: { fit: 10, inversion: 10 }, compare: "grid" };
 * const { stages, whole } = searchStages("front", s, () => undefined, { cells: [], runs: {} });
 * whole; // false: the first rung's selection has not run
 * stages.at(-1)!.id; // "select/front/r0"
 * ```
 */
export function searchStages(
  name: string,
  s: SearchParams,
  read: Read,
  sweep: ComparedSweep,
): SearchStages {
  const stages: StageDecl[] = [];
  const runs = replicates(s);
  let trials = Array.from({ length: s.trials }, (_, i) => i);
  const evaluated: Record<string, string> = {};
  const selections: Record<string, string> = {};
  for (let r = 0; r < s.rungs.length; r++) {
    const epochs = s.rungs[r]!;
    const after = r === 0 ? undefined : [selectStage(name, r - 1)];
    const inputs: Record<string, string> = {};
    for (const t of trials) {
      const trial = trialAt(s, t);
      for (const [seed, draw] of runs) {
        const run = trialRun(name, t, epochs, seed, draw);
        const [train, evaluate] = runStages(trial, { stage: run, seed, draw }, epochs);
        stages.push(after ? { ...train!, after } : train!, evaluate!);
        inputs[trialInput(t, seed, draw)] = evaluate!.id;
        evaluated[trialInput(t, seed, draw, epochs)] = evaluate!.id;
      }
    }
    if (r === s.rungs.length - 1) break;
    const id = selectStage(name, r);
    stages.push({
      id,
      module: here("./select.ts"),
      description: `keep the best 1/η of search ${name}'s trials at ${epochs} epochs`,
      inputs,
      params: { eta: `searches.${name}.eta`, rung: { value: r } },
      outputs: [PROMOTED_FILE],
    });
    selections[`r${r}`] = id;
    const text = read(id, PROMOTED_FILE);
    if (text === undefined) return { stages, whole: false };
    trials = [...parsePromoted(text).promoted];
  }
  const table = searchTableStage(name);
  stages.push({
    id: table,
    module: here("./search.ts"),
    description: `search ${name}: every trial at every rung, its front and hypervolume`,
    inputs: {
      ...evaluated,
      ...selections,
      ...Object.fromEntries(Object.entries(sweep.runs).map(([k, v]) => [`${SWEEP_INPUT}${k}`, v])),
    },
    params: {
      search: `searches.${name}`,
      epochs: "training.epochs",
      cells: { value: sweep.cells },
      name: { value: name },
    },
    outputs: ["front.csv", "front.json"],
    publish: { "front.csv": `search/${name}.csv`, "front.json": `search/${name}.json` },
  }, {
    id: `render-search/${name}`,
    module: here("../figures/render_search.ts"),
    description: `search ${name}'s front against its sweep's, with the epochs each spent`,
    inputs: { search: table },
    params: { style: "style" },
    outputs: ["front.svg"],
    publish: { "front.svg": `figures/search/${name}.svg` },
  });
  return { stages, whole: true };
}
