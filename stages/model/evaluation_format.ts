/**
 * The formats of the files `evaluate` writes: `metrics.json` (one run's errors and linearity),
 * `f_curve.csv` and `g_curve.csv` (each network and the composition on a grid past the data) and
 * `inv_data.csv` (every network and composition on the data points), all in standardised units.
 * Imports nothing, so that the stages reading these files have only this declaration, not
 * `evaluate`'s code, in their keys.
 *
 * @module
 */

/**
 * The errors of `metrics.json` that `metrics.csv` shows: mean squared errors; `null` where a
 * region has no points.
 */
export interface Metrics {
  /** mean (f(x) − y)² on the data. */
  readonly fit_mse_f: number;
  /** mean (g(y) − x)² on the data. */
  readonly fit_mse_g: number;
  /** mean (x − g(f(x)))² on the data. */
  readonly inv_mse_x: number;
  /** mean (y − f(g(y)))² on the data. */
  readonly inv_mse_y: number;
  /** mean (x − g(f(x)))² on the grid points outside the data x-range. */
  readonly inv_mse_x_margin: number | null;
  /** mean (y − f(g(y)))² on the grid points outside the data y-range. */
  readonly inv_mse_y_margin: number | null;
}

/**
 * Everything `metrics.json` holds: the errors of `metrics.csv`, and how straight f and g are.
 * The linearity measures stay out of `metrics.csv` (whose columns are fixed); they reach
 * `replicates.csv` and `stats.csv`.
 */
export interface EvaluationMetrics extends Metrics {
  /**
   * R² of the least-squares straight line through f on the grid points within the data's
   * x-range: 1 for a straight f, lower the more f bends where the data are.
   */
  readonly lin_r2_f: number;
  /** The same for g over the data's y-range. */
  readonly lin_r2_g: number;
  /** Slope of that least-squares line through f (standardised units). */
  readonly lin_slope_f: number;
  /** Slope of that least-squares line through g. */
  readonly lin_slope_g: number;
  /**
   * 1 when f's line slopes against the data's own (the least-squares line of y on x), else 0: the
   * pair then inverts each other with the wrong orientation, which no cycle term penalises, so the
   * fit terms alone must undo it (see the claims' note on flipped runs).
   */
  readonly flipped: 0 | 1;
  /** Slope of the least-squares line of f(x) on x through the data points. */
  readonly trend_slope_f: number;
  /** Slope of the least-squares line of y on x through the data points: the linear trend. */
  readonly trend_slope_data: number;
}

/**
 * Every metric of `metrics.json`, in its order there. A metric added to
 * {@linkcode EvaluationMetrics} but not here does not compile (see below), so no table built from
 * every run's metrics silently drops it.
 *
 * @example
 * ```ts
 * import { EVALUATION_METRICS } from "./evaluation_format.ts";
 * EVALUATION_METRICS.includes("flipped"); // true
 * ```
 */
export const EVALUATION_METRICS = [
  "fit_mse_f",
  "fit_mse_g",
  "inv_mse_x",
  "inv_mse_y",
  "inv_mse_x_margin",
  "inv_mse_y_margin",
  "lin_r2_f",
  "lin_r2_g",
  "lin_slope_f",
  "lin_slope_g",
  "flipped",
  "trend_slope_f",
  "trend_slope_data",
] as const satisfies readonly (keyof EvaluationMetrics)[];

/** The metrics of {@linkcode EvaluationMetrics} missing from the list: must be none. */
type Missing = Exclude<keyof EvaluationMetrics, (typeof EVALUATION_METRICS)[number]>;
const complete: [Missing] extends [never] ? true : Missing = true;
void complete;

/** Where a grid point lies: within the data range, or in the margin beyond it. */
export type Region = "data" | "margin";

/** The columns of `f_curve.csv`: x on the grid, f(x), g(f(x)) and x's region. */
export const F_CURVE_COLUMNS = ["x", "f", "g_of_f", "region"] as const;

/** The columns of `g_curve.csv`: y on the grid, g(y), f(g(y)) and y's region. */
export const G_CURVE_COLUMNS = ["y", "g", "f_of_g", "region"] as const;

/** The columns of `inv_data.csv`: each data point, both networks and both compositions on it. */
export const INV_DATA_COLUMNS = ["x", "y", "f_x", "g_y", "g_of_f_x", "f_of_g_y"] as const;

/** One grid point of `f_curve.csv`. */
export interface FCurveRow {
  readonly x: number;
  readonly f: number;
  readonly g_of_f: number;
  readonly region: Region;
}

/** One grid point of `g_curve.csv`. */
export interface GCurveRow {
  readonly y: number;
  readonly g: number;
  readonly f_of_g: number;
  readonly region: Region;
}
