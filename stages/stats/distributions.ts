/**
 * The distribution functions the intervals need, from jstat (one package, no dependencies): the
 * normal CDF and Student's t quantile (the expanded bootstrap percentile, bootstrap.ts) and the
 * beta quantile (Clopper–Pearson's exact interval of a proportion, below).
 *
 * @module
 */
import jstatModule from "jstat";
import type { Interval } from "./bootstrap.ts";

/** The part of jstat used here, typed (the package ships no types). */
interface JStat {
  readonly normal: { cdf(x: number, mean: number, sd: number): number };
  readonly studentt: { inv(p: number, dof: number): number };
  readonly beta: { inv(p: number, a: number, b: number): number };
}

const jstat = jstatModule as unknown as JStat;

/**
 * The standard normal CDF Φ(x).
 *
 * @example
 * ```ts
 * import { normalCdf } from "./distributions.ts";
 * normalCdf(0); // 0.5
 * ```
 */
export function normalCdf(x: number): number {
  return jstat.normal.cdf(x, 0, 1);
}

/**
 * The p-quantile of Student's t with `dof` degrees of freedom.
 *
 * @example
 * ```ts
 * import { tQuantile } from "./distributions.ts";
 * tQuantile(0.975, 14).toFixed(4); // "2.1448"
 * ```
 */
export function tQuantile(p: number, dof: number): number {
  return jstat.studentt.inv(p, dof);
}

/**
 * Clopper and Pearson's exact interval for a proportion, `k` successes in `n` trials (Clopper and
 * Pearson, Biometrika 26, 1934): the beta quantiles α/2 of Beta(k, n − k + 1) and 1 − α/2 of
 * Beta(k + 1, n − k), 0 and 1 at the ends. Its coverage is at least `confidence` for every true
 * proportion (it is conservative), which a seeded simulation checks.
 *
 * @example
 * ```ts
 * import { clopperPearson } from "./distributions.ts";
 * const ci = clopperPearson(0, 10, 0.95);
 * ci.low; // 0
 * ci.high.toFixed(4); // "0.3085"
 * ```
 */
export function clopperPearson(k: number, n: number, confidence: number): Interval {
  if (n === 0) return { low: NaN, high: NaN };
  const alpha = 1 - confidence;
  return {
    low: k === 0 ? 0 : jstat.beta.inv(alpha / 2, k, n - k + 1),
    high: k === n ? 1 : jstat.beta.inv(1 - alpha / 2, k + 1, n - k),
  };
}
