/**
 * The experiment's design: the configurations of `params.json` and the cells of its sweeps
 * ("rows"), each run over its replicates (training seed × data draw). A pure function of the
 * parameters, shared by the stage declarations and by the stages that gather the runs, so that
 * both name every run the same way.
 *
 * @module
 */
import {
  type Activation,
  cellName,
  type ConfigParams,
  type ReplicatesParams,
  type SweepParams,
} from "./params_schema.ts";

/** The parts of the parameters the design is made of. */
export interface DesignParams {
  readonly configs: Readonly<Record<string, ConfigParams>>;
  readonly replicates: ReplicatesParams;
  readonly sweeps: Readonly<Record<string, SweepParams>>;
}

/** A configuration of `configs`, or one cell of a sweep. */
export interface Row {
  /** `lam1` for a configuration, `grid/l0.1-m10-relu` for a sweep's cell. */
  readonly id: string;
  /** The sweep a cell belongs to; absent for a configuration. */
  readonly sweep?: string;
  readonly lambda: number;
  readonly mu: number;
  readonly activation: Activation;
  readonly seeds: number;
  readonly draws: number;
}

/** One training of one row: replicate `seed` (an index from 0) on data draw `draw`. */
export interface Run {
  /** The row this run belongs to. */
  readonly row: string;
  readonly seed: number;
  readonly draw: number;
  /**
   * Where its `train/…` and `evaluate/…` stages live: `<row>/s<seed>-d<draw>` of the first row
   * that has a run with the same weights, activation, seed and draw. Identical runs have
   * identical keys, so a sweep cell that repeats a configuration reuses its stages.
   */
  readonly stage: string;
}

/**
 * A replicate's suffix in stage ids and input names.
 *
 * @example
 * ```ts
 * import { replicateName } from "./design.ts";
 * replicateName(2, 0); // "s2-d0"
 * ```
 */
export function replicateName(seed: number, draw: number): string {
  return `s${seed}-d${draw}`;
}

/**
 * The name under which a stage that gathers runs reads one of them: `<row>/s<i>-d<d>`.
 *
 * @example
 * ```ts
 * import { runInput } from "./design.ts";
 * runInput({ row: "grid/l1-m1-relu", seed: 1, draw: 0 }); // "grid/l1-m1-relu/s1-d0"
 * ```
 */
export function runInput(run: Pick<Run, "row" | "seed" | "draw">): string {
  return `${run.row}/${replicateName(run.seed, run.draw)}`;
}

/**
 * Every row: the configurations in file order, then each sweep's cells (λ, then μ, then
 * activation, each in its list's order).
 *
 * @example
 * ```ts
 * import { designRows } from "./design.ts";
 * const rows = designRows({
 *   configs: {},
 *   replicates: { seeds: 5, draws: 3 },
 *   sweeps: { grid: { lambda: [0.1, 1], mu: [10], activation: ["relu"], replicates: { seeds: 2, draws: 1 } } },
 * });
 * rows.map((r) => r.id); // ["grid/l0.1-m10-relu", "grid/l1-m10-relu"]
 * ```
 */
export function designRows(p: DesignParams): Row[] {
  const rows: Row[] = Object.entries(p.configs).map(([id, c]) => ({
    id,
    lambda: c.lambda,
    mu: c.mu,
    activation: c.activation,
    seeds: p.replicates.seeds,
    draws: p.replicates.draws,
  }));
  for (const [sweep, s] of Object.entries(p.sweeps)) {
    const r = s.replicates ?? p.replicates;
    for (const lambda of s.lambda) {
      for (const mu of s.mu) {
        for (const activation of s.activation) {
          rows.push({
            id: `${sweep}/${cellName(lambda, mu, activation)}`,
            sweep,
            lambda,
            mu,
            activation,
            seeds: r.seeds,
            draws: r.draws,
          });
        }
      }
    }
  }
  return rows;
}

/**
 * Every run of every row, draws outer and seeds inner; a run identical to an earlier one (same
 * λ, μ, activation, seed and draw) points at the earlier one's stages.
 *
 * @example
 * ```ts
 * import { designRuns, designRows } from "./design.ts";
 * const runs = designRuns(designRows({
 *   configs: { lam1: { lambda: 1, mu: 1, activation: "relu", group: "equal" } },
 *   replicates: { seeds: 1, draws: 1 },
 *   sweeps: { grid: { lambda: [1], mu: [1, 10], activation: ["relu"] } },
 * }));
 * runs.map((r) => r.stage); // ["lam1/s0-d0", "lam1/s0-d0", "grid/l1-m10-relu/s0-d0"]
 * ```
 */
export function designRuns(rows: readonly Row[]): Run[] {
  const owner = new Map<string, string>();
  const runs: Run[] = [];
  for (const row of rows) {
    for (let draw = 0; draw < row.draws; draw++) {
      for (let seed = 0; seed < row.seeds; seed++) {
        const same = `${row.lambda}|${row.mu}|${row.activation}|${seed}|${draw}`;
        const own = runInput({ row: row.id, seed, draw });
        const stage = owner.get(same) ?? own;
        owner.set(same, stage);
        runs.push({ row: row.id, seed, draw, stage });
      }
    }
  }
  return runs;
}

/**
 * Replicates in words, e.g. for a figure's subtitle.
 *
 * @example
 * ```ts
 * import { replicatesText } from "./design.ts";
 * replicatesText({ seeds: 1, draws: 3 }); // "1 seed × 3 data draws"
 * ```
 */
export function replicatesText(r: ReplicatesParams): string {
  const s = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;
  return `${s(r.seeds, "seed")} × ${s(r.draws, "data draw")}`;
}
