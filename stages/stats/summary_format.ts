/**
 * The format of `metrics.csv`, which `summarise` writes: one line per configuration (seed 0, data
 * draw 0), its weights and activation, then the errors of its `metrics.json`; an error with no
 * points to average over (no off-data margin) is an empty cell. The columns are the post's and
 * fixed: other metrics go to `replicates.csv` and `stats.csv`. Imports only the format of
 * `metrics.json`, so that a reader's key does not cover `summarise`'s code.
 *
 * @module
 */
import type { Metrics } from "../model/evaluation_format.ts";

/** The columns of `metrics.csv`. */
export const METRICS_COLUMNS = [
  "config",
  "lambda",
  "mu",
  "activation",
  "fit_mse_f",
  "fit_mse_g",
  "inv_mse_x",
  "inv_mse_y",
  "inv_mse_x_margin",
  "inv_mse_y_margin",
] as const satisfies readonly (keyof MetricsRow)[];

/** One configuration of `metrics.csv`: its weights and activation, then `evaluate`'s errors. */
export interface MetricsRow extends Metrics {
  readonly config: string;
  readonly lambda: number;
  readonly mu: number;
  readonly activation: string;
}
