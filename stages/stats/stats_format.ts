/**
 * The format of `stats.csv`, which the `stats` stage writes: for every configuration and sweep
 * cell, and every metric, the mean, median, standard deviation and bootstrap confidence interval
 * over its replicates, and the row's share of flipped runs with its exact interval. Long format: one line per (row, metric), so that a new metric is new lines
 * rather than new columns. Besides the metrics of `replicates.csv` it has three sums, defined here
 * by {@linkcode metricValue}. Imports only the format of `replicates.csv`, so that a reader's key
 * does not cover the `stats` stage's code.
 *
 * @module
 */
import type { ReplicateRow } from "./replicates_format.ts";

/**
 * The metrics summarised: those of `replicates.csv` and three sums, the fit error (f + g), the
 * inversion error on the data (x + y) and off it, as the trade-off figure and the claims use them.
 */
export const STAT_METRICS = [
  "fit",
  "fit_mse_f",
  "fit_mse_g",
  "inv",
  "inv_mse_x",
  "inv_mse_y",
  "inv_margin",
  "inv_mse_x_margin",
  "inv_mse_y_margin",
  "lin_r2_f",
  "lin_r2_g",
  "lin_slope_f",
  "lin_slope_g",
  "flipped",
] as const;

/** A metric of `stats.csv`. */
export type StatMetric = (typeof STAT_METRICS)[number];

/** The columns of `stats.csv`. */
export const STATS_COLUMNS = [
  "id",
  "lambda",
  "mu",
  "activation",
  "metric",
  "n",
  "mean",
  "median",
  "std",
  "ci_low",
  "ci_high",
  "flipped",
  "flipped_ci_low",
  "flipped_ci_high",
] as const;

/** One line of `stats.csv`. */
export interface StatsRow {
  readonly id: string;
  readonly lambda: number;
  readonly mu: number;
  readonly activation: string;
  readonly metric: StatMetric;
  /** Replicates with a value. */
  readonly n: number;
  readonly mean: number;
  /** Median over the replicates. */
  readonly median: number;
  /** Sample standard deviation (n − 1). */
  readonly std: number;
  readonly ci_low: number;
  readonly ci_high: number;
  /**
   * The row's share of flipped runs (f sloping against the data), the same on each of its
   * lines: outcomes there are bimodal, and a mean describes no run.
   */
  readonly flipped: number;
  /** Clopper–Pearson's exact interval of that share, at `statistics.confidence`. */
  readonly flipped_ci_low: number;
  readonly flipped_ci_high: number;
}

/**
 * A run's value of a metric, sums included; `null` when a part is missing.
 *
 * @example
 * ```ts
 * import { metricValue } from "./stats_format.ts";
 * const metrics = { fit_mse_f: 1, fit_mse_g: 2, inv_mse_x: 3, inv_mse_y: 4, inv_mse_x_margin: null,
 *   inv_mse_y_margin: 6, lin_r2_f: 0.9, lin_r2_g: 0.8, lin_slope_f: 1, lin_slope_g: 1, flipped: 0,
 *   trend_slope_f: 1, trend_slope_data: 1 };
 * metricValue({ metrics }, "fit"); // 3
 * metricValue({ metrics }, "inv_margin"); // null
 * ```
 */
export function metricValue(run: Pick<ReplicateRow, "metrics">, metric: StatMetric): number | null {
  const m = run.metrics;
  const sum = (a: number | null, b: number | null) => (a === null || b === null ? null : a + b);
  switch (metric) {
    case "fit":
      return sum(m.fit_mse_f, m.fit_mse_g);
    case "inv":
      return sum(m.inv_mse_x, m.inv_mse_y);
    case "inv_margin":
      return sum(m.inv_mse_x_margin, m.inv_mse_y_margin);
    default:
      return m[metric];
  }
}
