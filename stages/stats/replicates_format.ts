/**
 * The format of `replicates.csv`, which `collect` writes: one line per run (configuration or
 * sweep cell × training seed × data draw) with every metric of its `metrics.json`, a missing one
 * (no off-data margin) an empty cell. Imports only the format of `metrics.json`, so that a
 * reader's key does not cover `collect`'s code.
 *
 * @module
 */
import { EVALUATION_METRICS } from "../model/evaluation_format.ts";

/** The columns of `replicates.csv`. */
export const REPLICATE_COLUMNS = [
  "id",
  "lambda",
  "mu",
  "activation",
  "seed",
  "draw",
  ...EVALUATION_METRICS,
] as const;

/** One run. */
export interface ReplicateRow {
  /** Configuration name, or `<sweep>/<cell>`. */
  readonly id: string;
  readonly lambda: number;
  readonly mu: number;
  readonly activation: string;
  /** The training seed (training.seed + replicate index). */
  readonly seed: number;
  /** The data draw's index (0: data.seed). */
  readonly draw: number;
  /** Metric → value; `null` where `evaluate` had no points (no off-data margin). */
  readonly metrics: Readonly<Record<(typeof EVALUATION_METRICS)[number], number | null>>;
}
