/**
 * The experiment's design: the configurations of `params.json` and the cells of its sweeps
 * ("rows"), each a network and the loss' weights, run over its replicates (training seed × data draw). A pure function of the
 * parameters, shared by the stage declarations and by the stages that gather the runs, so that
 * both name every run the same way.
 *
 * @module
 */
import {
  type Activation,
  cellName,
  type ReplicatesParams,
  type SweepParams,
} from "./params_schema.ts";
import type { Architecture } from "./model/architecture.ts";

/** A configuration as the design reads it: its weights, and its network where it sets one. */
export interface DesignConfig extends Partial<Architecture> {
  readonly lambda: number;
  readonly mu: number;
}

/**
 * Rows to be trained on at least `seeds` seeds per draw and `draws` draws, e.g. the rows a claim
 * compares run by run (claims/claim_rows.ts): raised, never lowered, so that they share those
 * replicates.
 */
export interface ReplicateGroup {
  readonly rows: readonly string[];
  readonly seeds: number;
  readonly draws: number;
}

/**
 * The parts of the parameters the design is made of; its network (`training.layers`,
 * `training.activation`) is that of every row that sets none.
 */
export interface DesignParams extends Architecture {
  readonly configs: Readonly<Record<string, DesignConfig>>;
  readonly replicates: ReplicatesParams;
  readonly sweeps: Readonly<Record<string, SweepParams>>;
  /** Rows whose replicates are raised (none when absent). */
  readonly groups?: readonly ReplicateGroup[];
}

/** A configuration of `configs`, or one cell of a sweep: the network of f and g, and more. */
export interface Row extends Architecture {
  /** `lam1` for a configuration, `grid/l0.1-m10-relu` for a sweep's cell. */
  readonly id: string;
  /** The sweep a cell belongs to; absent for a configuration. */
  readonly sweep?: string;
  readonly lambda: number;
  readonly mu: number;
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
 * Every row: the configurations in file order, then each sweep's cells (hidden layers, then λ,
 * then μ, then activation, each in its list's order; a parameter a sweep does not list takes the
 * default, and μ = λ when `mu` is absent).
 *
 * @example
 * ```ts
 * import { designRows } from "./design.ts";
 * const rows = designRows({
 *   configs: {},
 *   replicates: { seeds: 5, draws: 3 },
 *   sweeps: { grid: { lambda: [0.1, 1], mu: [10], activation: ["relu"], replicates: { seeds: 2, draws: 1 } } },
 *   layers: [30, 30],
 *   activation: "relu",
 * });
 * rows.map((r) => r.id); // ["grid/l0.1-m10-relu", "grid/l1-m10-relu"]
 * ```
 */
export function designRows(p: DesignParams): Row[] {
  const rows: Row[] = Object.entries(p.configs).map(([id, c]) => ({
    id,
    lambda: c.lambda,
    mu: c.mu,
    activation: c.activation ?? p.activation,
    layers: c.layers ?? p.layers,
    seeds: p.replicates.seeds,
    draws: p.replicates.draws,
  }));
  for (const [sweep, s] of Object.entries(p.sweeps)) {
    const r = s.replicates ?? p.replicates;
    for (const layers of s.layers ?? [undefined]) {
      for (const lambda of s.lambda) {
        for (const mu of s.mu ?? [lambda]) {
          for (const activation of s.activation ?? [undefined]) {
            const cell = {
              ...(layers === undefined ? {} : { layers }),
              lambda,
              mu,
              ...(activation === undefined ? {} : { activation }),
            };
            rows.push({
              id: `${sweep}/${cellName(cell)}`,
              sweep,
              lambda,
              mu,
              activation: activation ?? p.activation,
              layers: layers ?? p.layers,
              seeds: r.seeds,
              draws: r.draws,
            });
          }
        }
      }
    }
  }
  return raised(rows, p.groups ?? []);
}

/** The rows with each group's replicates applied to its members. */
function raised(rows: Row[], groups: readonly ReplicateGroup[]): Row[] {
  if (groups.length === 0) return rows;
  return rows.map((row) => {
    const mine = groups.filter((g) => g.rows.includes(row.id));
    return mine.length === 0 ? row : {
      ...row,
      seeds: Math.max(row.seeds, ...mine.map((g) => g.seeds)),
      draws: Math.max(row.draws, ...mine.map((g) => g.draws)),
    };
  });
}

/**
 * Every run of every row, draws outer and seeds inner; a run identical to an earlier one (same
 * λ, μ, network, seed and draw) points at the earlier one's stages.
 *
 * @example
 * ```ts
 * import { designRuns, designRows } from "./design.ts";
 * const runs = designRuns(designRows({
 *   configs: { lam1: { lambda: 1, mu: 1, activation: "relu" } },
 *   replicates: { seeds: 1, draws: 1 },
 *   sweeps: { grid: { lambda: [1], mu: [1, 10], activation: ["relu"] } },
 *   layers: [30, 30],
 *   activation: "relu",
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
        const same = `${row.lambda}|${row.mu}|${row.activation}|${row.layers}|${seed}|${draw}`;
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

/** One heatmap of a sweep: its λ × μ grid for one activation. */
export interface Heatmap {
  readonly sweep: string;
  readonly activation: Activation;
}

/**
 * The heatmaps to draw: one per activation of every sweep that lists `mu` (a λ × μ grid) and
 * not `layers` (whose figure is the capacity one, see {@linkcode capacitySweeps}).
 *
 * @example
 * ```ts
 * import { heatmaps } from "./design.ts";
 * heatmaps({ grid: { lambda: [1], mu: [1, 10] } }, "relu"); // [{ sweep: "grid", activation: "relu" }]
 * ```
 */
export function heatmaps(
  sweeps: Readonly<Record<string, SweepParams>>,
  activation: Activation,
): Heatmap[] {
  return Object.entries(sweeps).flatMap(([sweep, s]) =>
    s.mu === undefined || s.layers !== undefined
      ? []
      : (s.activation ?? [activation]).map((a) => ({ sweep, activation: a }))
  );
}

/**
 * The sweeps that list hidden layers, whose figure is errors against parameter count.
 *
 * @example
 * ```ts
 * import { capacitySweeps } from "./design.ts";
 * capacitySweeps({ grid: { lambda: [1] }, capacity: { lambda: [0], layers: [[10], [20]] } }); // ["capacity"]
 * ```
 */
export function capacitySweeps(sweeps: Readonly<Record<string, SweepParams>>): string[] {
  return Object.keys(sweeps).filter((s) => sweeps[s]!.layers !== undefined);
}
