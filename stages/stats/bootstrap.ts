/**
 * Means, standard deviations and bootstrap confidence intervals over a handful of replicates.
 * The interval is the percentile bootstrap of the mean, stratified as rliable recommends for few
 * runs (Agarwal et al., "Deep RL at the edge of the statistical precipice", 2021): replicates are
 * resampled with replacement within their stratum (here: their data draw), so every resample
 * keeps the design's mix of draws. With few runs the plain percentile interval is too narrow (it
 * uses the plug-in variance and normal quantiles), so it is *expanded* as Hesterberg recommends
 * ("What teachers should know about the bootstrap", The American Statistician 69, 2015): its
 * quantiles are taken at α′/2 and 1 − α′/2 with α′ = 2Φ(−√(n/(n − H)) · t(1 − α/2; n − H)) for n
 * runs in H strata. The resampler is seeded: same values, same interval, bit for bit.
 *
 * @module
 */
import type { Rng } from "../data/random.ts";
import { normalCdf, tQuantile } from "./distributions.ts";

/** A two-sided confidence interval. */
export interface Interval {
  readonly low: number;
  readonly high: number;
}

/** Options of {@linkcode bootstrapMeanCi}. */
export interface BootstrapOptions {
  /** Number of resamples. */
  readonly resamples: number;
  /** Coverage, e.g. 0.95. */
  readonly confidence: number;
  /** The seeded resampler; consumed in a fixed order. */
  readonly rng: Rng;
}

/**
 * The arithmetic mean (NaN for no values).
 *
 * @example
 * ```ts
 * import { mean } from "./bootstrap.ts";
 * mean([1, 2, 6]); // 3
 * ```
 */
export function mean(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

/**
 * The median (the mean of the middle two for an even count; NaN for no values): with few runs and
 * an occasional collapsed one, it shows what a typical run does.
 *
 * @example
 * ```ts
 * import { median } from "./bootstrap.ts";
 * median([3, 1, 100]); // 3
 * median([1, 2, 3, 10]); // 2.5
 * ```
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  return quantile([...values].sort((a, b) => a - b), 0.5);
}

/**
 * The sample standard deviation (n − 1 in the denominator); 0 for a single value.
 *
 * @example
 * ```ts
 * import { std } from "./bootstrap.ts";
 * std([1, 3]); // 1.4142135623730951
 * ```
 */
export function std(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const m = mean(values);
  let s = 0;
  for (const v of values) s += (v - m) ** 2;
  return Math.sqrt(s / (values.length - 1));
}

/**
 * The q-quantile of sorted values, interpolating linearly between order statistics (Hyndman and
 * Fan's type 7, the default of R and NumPy).
 *
 * @example
 * ```ts
 * import { quantile } from "./bootstrap.ts";
 * quantile([1, 2, 3, 4], 0.5); // 2.5
 * ```
 */
export function quantile(sorted: readonly number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * Groups value indices by stratum. A stratum of one value cannot vary when resampled, so when
 * any stratum has fewer than two values the whole sample is one stratum (plain percentile
 * bootstrap) instead.
 */
function groups(strata: readonly (number | string)[]): number[][] {
  const byKey = new Map<number | string, number[]>();
  strata.forEach((s, i) => {
    const g = byKey.get(s);
    if (g === undefined) byKey.set(s, [i]);
    else g.push(i);
  });
  const all = [...byKey.values()];
  return all.some((g) => g.length < 2) ? [strata.map((_, i) => i)] : all;
}

/**
 * The tail probability at which an expanded percentile interval reads the bootstrap quantiles:
 * α′/2 = Φ(−√(n/(n − H)) · t(1 − α/2; n − H)) for n values in H strata (the module note); the
 * plain α/2 when n − H < 1 leaves no degrees of freedom.
 *
 * @example
 * ```ts
 * import { expandedTail } from "./bootstrap.ts";
 * expandedTail(0.95, 15, 1).toFixed(4); // "0.0132"
 * expandedTail(0.95, 1000, 1).toFixed(3); // "0.025"
 * ```
 */
export function expandedTail(confidence: number, n: number, strata: number): number {
  const alpha = 1 - confidence;
  const dof = n - strata;
  if (dof < 1) return alpha / 2;
  return normalCdf(-Math.sqrt(n / dof) * tQuantile(1 - alpha / 2, dof));
}

/**
 * The expanded percentile-bootstrap confidence interval of the mean of `values`, resampling
 * within the given strata (one label per value; see the module note for strata of one and for
 * the expansion).
 *
 * @example
 * ```ts
 * import { bootstrapMeanCi } from "./bootstrap.ts";
 * import { createRng } from "../data/random.ts";
 * const ci = bootstrapMeanCi([1, 2, 3, 4, 5, 6], [0, 0, 0, 1, 1, 1], {
 *   resamples: 1000, confidence: 0.95, rng: createRng(0, "example"),
 * });
 * ci.low < 3.5 && 3.5 < ci.high; // true
 * ```
 */
export function bootstrapMeanCi(
  values: readonly number[],
  strata: readonly (number | string)[],
  o: BootstrapOptions,
): Interval {
  const n = values.length;
  if (n === 0) return { low: NaN, high: NaN };
  const parts = groups(strata);
  const means = new Float64Array(o.resamples);
  for (let b = 0; b < o.resamples; b++) {
    let s = 0;
    for (const g of parts) {
      for (let k = 0; k < g.length; k++) {
        s += values[g[Math.floor(o.rng.uniform() * g.length)]!]!;
      }
    }
    means[b] = s / n;
  }
  const sorted = Array.from(means).sort((a, b) => a - b);
  const tail = expandedTail(o.confidence, n, parts.length);
  return { low: quantile(sorted, tail), high: quantile(sorted, 1 - tail) };
}

/** The mean of the values the strata index, and its stratified standard error. */
function meanAndSe(values: readonly number[], parts: readonly (readonly number[])[]): {
  mean: number;
  se: number;
} {
  let n = 0;
  for (const g of parts) n += g.length;
  let sum = 0, variance = 0;
  for (const g of parts) {
    let sh = 0;
    for (const i of g) sh += values[i]!;
    const mh = sh / g.length;
    let ss = 0;
    for (const i of g) ss += (values[i]! - mh) ** 2;
    sum += sh;
    // Var of the overall mean: Σ (n_h / n)² s_h² / n_h.
    variance += g.length / (n * n) * (ss / (g.length - 1));
  }
  return { mean: sum / n, se: Math.sqrt(variance) };
}

/**
 * The stratified bootstrap-t (studentized) interval of the mean (Efron and Tibshirani, "An
 * Introduction to the Bootstrap", 1993, ch. 12; Hall, Annals of Statistics 16, 1988): each
 * resample's mean is studentized by its own stratified standard error, and the interval is
 * mean − t*(1 − α/2)·se to mean − t*(α/2)·se. Second-order accurate, so it keeps its level in
 * the far tails a claim's looks use (1 − α/K) where the percentile interval does not for skewed
 * measures; `test/stages/claims/stopping_rule_test.ts` checks it. With a stratum of one the
 * whole sample is one stratum, as for {@linkcode bootstrapMeanCi}; with no spread at all the
 * interval is the mean itself.
 *
 * @example
 * ```ts
 * import { bootstrapTCi } from "./bootstrap.ts";
 * import { createRng } from "../data/random.ts";
 * const ci = bootstrapTCi([1, 2, 3, 4, 5, 6], [0, 0, 0, 1, 1, 1], {
 *   resamples: 1000, confidence: 0.95, rng: createRng(0, "example"),
 * });
 * ci.low < 3.5 && 3.5 < ci.high; // true
 * ```
 */
export function bootstrapTCi(
  values: readonly number[],
  strata: readonly (number | string)[],
  o: BootstrapOptions,
): Interval {
  if (values.length < 2) return { low: NaN, high: NaN };
  const parts = groups(strata);
  const { mean: m, se } = meanAndSe(values, parts);
  if (se === 0) return { low: m, high: m };
  const ts = new Float64Array(o.resamples);
  const picked: number[][] = parts.map((g) => g.map(() => 0));
  for (let b = 0; b < o.resamples; b++) {
    parts.forEach((g, h) => {
      for (let k = 0; k < g.length; k++) picked[h]![k] = g[Math.floor(o.rng.uniform() * g.length)]!;
    });
    const r = meanAndSe(values, picked);
    // A resample without spread: its t is 0 at the mean, infinite elsewhere.
    ts[b] = r.se > 0 ? (r.mean - m) / r.se : r.mean === m ? 0 : Math.sign(r.mean - m) * Infinity;
  }
  const sorted = Array.from(ts).sort((a, b) => a - b);
  const tail = (1 - o.confidence) / 2;
  return { low: m - quantile(sorted, 1 - tail) * se, high: m - quantile(sorted, tail) * se };
}
