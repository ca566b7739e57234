/**
 * Cubic splines through knots, in Hermite form (a value and a slope at every knot), and the random
 * splines h1, h2 of the post-nonlinear model. Two kinds of slopes: a natural cubic spline (C², may
 * overshoot) and Fritsch–Carlson monotone slopes (C¹, monotone whenever the knots are).
 *
 * @module
 */
import type { Rng } from "./random.ts";

/** A piecewise cubic Hermite function; linear beyond its end knots, with the end slopes. */
export interface Spline {
  /** Knot abscissae, strictly increasing. */
  readonly xs: readonly number[];
  /** Values at the knots. */
  readonly ys: readonly number[];
  /** Derivatives at the knots. */
  readonly slopes: readonly number[];
}

/** Which interpolant joins the knots. */
export type SplineKind = "natural" | "monotone";

function checkKnots(xs: readonly number[], ys: readonly number[]): void {
  if (xs.length < 2 || xs.length !== ys.length) {
    throw new RangeError(
      `Cannot build a spline from ${xs.length} abscissae and ${ys.length} values: need two or more of each, as many of one as of the other`,
    );
  }
  for (let i = 1; i < xs.length; i++) {
    if (!(xs[i]! > xs[i - 1]!)) {
      throw new RangeError(`Cannot build a spline: knot abscissae must increase, at index ${i}`);
    }
  }
}

/**
 * The natural cubic spline (zero second derivative at both ends) through the knots.
 *
 * @example
 * ```ts
 * import { evaluateSpline, naturalSpline } from "./spline.ts";
 * const s = naturalSpline([0, 1, 2], [0, 1, 0]);
 * evaluateSpline(s, 1); // 1
 * ```
 */
export function naturalSpline(xs: readonly number[], ys: readonly number[]): Spline {
  checkKnots(xs, ys);
  const n = xs.length;
  const h = Array.from({ length: n - 1 }, (_, i) => xs[i + 1]! - xs[i]!);
  const d = Array.from({ length: n - 1 }, (_, i) => (ys[i + 1]! - ys[i]!) / h[i]!);
  // Second derivatives M from the tridiagonal system (Thomas algorithm), M[0] = M[n−1] = 0.
  const m = new Array<number>(n).fill(0);
  if (n > 2) {
    const diag = new Array<number>(n).fill(0);
    const rhs = new Array<number>(n).fill(0);
    for (let i = 1; i < n - 1; i++) {
      diag[i] = 2 * (h[i - 1]! + h[i]!);
      rhs[i] = 6 * (d[i]! - d[i - 1]!);
    }
    for (let i = 2; i < n - 1; i++) {
      const w = h[i - 1]! / diag[i - 1]!;
      diag[i] = diag[i]! - w * h[i - 1]!;
      rhs[i] = rhs[i]! - w * rhs[i - 1]!;
    }
    for (let i = n - 2; i >= 1; i--) {
      m[i] = (rhs[i]! - h[i]! * m[i + 1]!) / diag[i]!;
    }
  }
  const slopes = xs.map((_, i) =>
    i < n - 1
      ? d[i]! - h[i]! * (2 * m[i]! + m[i + 1]!) / 6
      : d[n - 2]! + h[n - 2]! * (m[n - 2]! + 2 * m[n - 1]!) / 6
  );
  return { xs: [...xs], ys: [...ys], slopes };
}

/**
 * The Fritsch–Carlson monotone cubic interpolant through the knots: monotone on every interval
 * where the knot values are, so an increasing set of knots gives an invertible function.
 *
 * @example
 * ```ts
 * import { evaluateSpline, monotoneSpline } from "./spline.ts";
 * const s = monotoneSpline([0, 1, 2], [0, 0.1, 5]);
 * evaluateSpline(s, 0.5) <= evaluateSpline(s, 0.6); // true
 * ```
 */
export function monotoneSpline(xs: readonly number[], ys: readonly number[]): Spline {
  checkKnots(xs, ys);
  const n = xs.length;
  const d = Array.from(
    { length: n - 1 },
    (_, i) => (ys[i + 1]! - ys[i]!) / (xs[i + 1]! - xs[i]!),
  );
  const slopes = xs.map((_, i) => {
    if (i === 0) return d[0]!;
    if (i === n - 1) return d[n - 2]!;
    const a = d[i - 1]!;
    const b = d[i]!;
    return a * b <= 0 ? 0 : (a + b) / 2;
  });
  // Fritsch–Carlson: scale slopes so that (α, β) lies in the circle of radius 3.
  for (let i = 0; i < n - 1; i++) {
    const di = d[i]!;
    if (di === 0) {
      slopes[i] = 0;
      slopes[i + 1] = 0;
      continue;
    }
    const alpha = slopes[i]! / di;
    const beta = slopes[i + 1]! / di;
    const r = alpha * alpha + beta * beta;
    if (r > 9) {
      const tau = 3 / Math.sqrt(r);
      slopes[i] = tau * alpha * di;
      slopes[i + 1] = tau * beta * di;
    }
  }
  return { xs: [...xs], ys: [...ys], slopes };
}

/**
 * The spline's value at `x`.
 *
 * @example
 * ```ts
 * import { evaluateSpline, monotoneSpline } from "./spline.ts";
 * evaluateSpline(monotoneSpline([0, 1], [0, 2]), 0.25); // 0.5
 * ```
 */
export function evaluateSpline(s: Spline, x: number): number {
  const { xs, ys, slopes } = s;
  const n = xs.length;
  if (x <= xs[0]!) return ys[0]! + slopes[0]! * (x - xs[0]!);
  if (x >= xs[n - 1]!) return ys[n - 1]! + slopes[n - 1]! * (x - xs[n - 1]!);
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! <= x) lo = mid;
    else hi = mid;
  }
  const h = xs[hi]! - xs[lo]!;
  const t = (x - xs[lo]!) / h;
  const t2 = t * t;
  const t3 = t2 * t;
  return (2 * t3 - 3 * t2 + 1) * ys[lo]! + (t3 - 2 * t2 + t) * h * slopes[lo]! +
    (-2 * t3 + 3 * t2) * ys[hi]! + (t3 - t2) * h * slopes[hi]!;
}

/** How a random spline is drawn. */
export interface RandomSplineOptions {
  /** Number of knots (at least 3). */
  readonly knots: number;
  /** Interval the knots span; the ends are knots. */
  readonly from: number;
  readonly to: number;
  /** Increasing knots and monotone slopes (an invertible spline), or free knots, natural spline. */
  readonly monotone: boolean;
}

/**
 * A random cubic spline over [from, to]: knots evenly spaced with a random jitter; values a
 * random walk with positive steps (monotone) or independent normal draws (free), both scaled to
 * the width of the interval so that the spline is of order one in slope.
 *
 * @example
 * ```ts
 * import { createRng } from "./random.ts";
 * import { randomSpline } from "./spline.ts";
 * const s = randomSpline(createRng(3), { knots: 5, from: -2, to: 2, monotone: true });
 * s.xs.length; // 5
 * ```
 */
export function randomSpline(rng: Rng, o: RandomSplineOptions): Spline {
  if (o.knots < 3 || !(o.to > o.from)) {
    throw new RangeError(
      `Cannot draw a spline with ${o.knots} knots over [${o.from}, ${o.to}]: need three or more knots over a non-empty interval`,
    );
  }
  const span = o.to - o.from;
  const step = span / (o.knots - 1);
  const xs = Array.from({ length: o.knots }, (_, i) => {
    if (i === 0) return o.from;
    if (i === o.knots - 1) return o.to;
    // Jitter by at most ±30 % of the spacing: knots stay ordered and never bunch up.
    return o.from + step * (i + 0.6 * (rng.uniform() - 0.5));
  });
  const ys: number[] = [];
  if (o.monotone) {
    // Secant slopes log-normal (median 1, spread ×e^±1): clearly bent, never flat.
    let y = 0;
    for (let i = 0; i < o.knots; i++) {
      if (i > 0) y += (xs[i]! - xs[i - 1]!) * Math.exp(rng.normal());
      ys.push(y);
    }
    return monotoneSpline(xs, ys);
  }
  for (let i = 0; i < o.knots; i++) ys.push(rng.normal() * span / 4);
  return naturalSpline(xs, ys);
}
