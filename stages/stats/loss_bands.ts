/**
 * The `loss-bands` stage: each configuration's training curves over its replicates — per epoch,
 * the mean and the range (lowest to highest) over seeds and data draws of the total loss L̃, of
 * the fit terms and of the cycle terms — written as `loss_bands.csv`.
 *
 * @module
 */
import { join } from "node:path";
import type { StageContext } from "../../pipeline/core/stage.ts";
import { formatCsv, readNumericCsv } from "../data/csv.ts";
import { runInput } from "../design.ts";
import type { ConfigParams, ReplicatesParams } from "../params_schema.ts";
import { type LossTerm, TERM_NAMES } from "../model/history_format.ts";
import { mean, median } from "./bootstrap.ts";
import { BAND_COLUMNS, BAND_TERMS, type BandTerm } from "./loss_bands_format.ts";

/** The parameters `loss-bands` reads (see stages/pipeline.ts). */
export interface LossBandsParams {
  readonly configs: Readonly<Record<string, ConfigParams>>;
  readonly replicates: ReplicatesParams;
}

/** How each term of `loss_bands.csv` sums the columns of `history.csv`, in file order. */
const TERM_PARTS = {
  /** The total loss L̃. */
  total: ["total"],
  /** mean|f(x) − y|² + mean|g(y) − x|². */
  fit: ["fit_f", "fit_g"],
  /** mean|x − g(f(x))|² + mean|y − f(g(y))|², unweighted. */
  cycle: ["cyc_x", "cyc_y"],
} as const satisfies Record<BandTerm, readonly LossTerm[]>;

/** At most about this many epochs per curve are kept: the figure needs no more. */
const POINTS = 100;

/**
 * The epochs kept out of `epochs`: the first, every k-th, and the last.
 *
 * @example
 * ```ts
 * import { keptEpochs } from "./loss_bands.ts";
 * keptEpochs(500).length; // 101
 * keptEpochs(3); // [1, 2, 3]
 * ```
 */
export function keptEpochs(epochs: number): number[] {
  const step = Math.max(1, Math.ceil(epochs / POINTS));
  const kept: number[] = [];
  for (let e = 1; e <= epochs; e++) if (e === 1 || e % step === 0 || e === epochs) kept.push(e);
  return kept;
}

/** Writes `loss_bands.csv` from the `history.csv` of every replicate of every configuration. */
export async function run(ctx: StageContext<LossBandsParams>): Promise<void> {
  const { configs, replicates } = ctx.params;
  const rows: (string | number)[][] = [];
  for (const config of Object.keys(configs)) {
    const histories = [];
    for (let d = 0; d < replicates.draws; d++) {
      for (let s = 0; s < replicates.seeds; s++) {
        const name = runInput({ row: config, seed: s, draw: d });
        const dir = ctx.inputs[name];
        if (dir === undefined) throw new Error(`loss-bands: missing input "${name}"`);
        histories.push(await readNumericCsv(join(dir, "history.csv"), TERM_NAMES));
      }
    }
    const epochs = Math.min(...histories.map((h) => h.total.length));
    for (const term of BAND_TERMS) {
      const parts: readonly LossTerm[] = TERM_PARTS[term];
      for (const e of keptEpochs(epochs)) {
        const values = histories.map((h) => parts.reduce((a, p) => a + h[p][e - 1]!, 0));
        rows.push([
          config,
          e,
          term,
          mean(values),
          median(values),
          Math.min(...values),
          Math.max(...values),
        ]);
      }
    }
  }
  await Deno.writeTextFile(join(ctx.outDir, "loss_bands.csv"), formatCsv(BAND_COLUMNS, rows));
}
