/**
 * The names of the metrics `evaluate` writes to `metrics.json`, in their order there. A module of
 * its own, importing nothing at run time, so that the tables built from every run's metrics read
 * the one list without putting `evaluate.ts` into their stages' keys.
 *
 * @module
 */
import type { EvaluationMetrics } from "./evaluate.ts";

/**
 * Every metric of one run. A metric added to {@linkcode EvaluationMetrics} but not here does not
 * compile (see below), so no table silently drops it.
 *
 * @example
 * ```ts
 * import { EVALUATION_METRICS } from "./evaluation_metrics.ts";
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
] as const satisfies readonly (keyof EvaluationMetrics)[];

/** The metrics of {@linkcode EvaluationMetrics} missing from the list: must be none. */
type Missing = Exclude<keyof EvaluationMetrics, (typeof EVALUATION_METRICS)[number]>;
const complete: [Missing] extends [never] ? true : Missing = true;
void complete;
