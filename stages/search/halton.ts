/**
 * Where a search puts its trials: the points of a randomised Halton sequence, mapped to the
 * parameters by {@linkcode logScale} and {@linkcode pick}. Halton's sequence (Numerische
 * Mathematik 2, 1960) fills the unit cube more evenly than independent draws, and its i-th point
 * does not depend on how many are drawn, so doubling a search's trials keeps the first ones and
 * their cached results. A seeded Cranley–Patterson rotation (SIAM J. Numer. Anal. 13, 1976)
 * shifts every coordinate by its own uniform draw, modulo 1, so that different seeds give
 * different but equally even designs.
 *
 * @module
 */
import { createRng } from "../data/random.ts";

/** The bases of the first eight coordinates: the first eight primes. */
export const HALTON_BASES = [2, 3, 5, 7, 11, 13, 17, 19] as const;

/**
 * The radical inverse of `n` in `base`: n's digits mirrored about the point (n = 6 = 110₂ gives
 * 0.011₂ = 0.375). The reversed digits are collected as an integer and divided once, so a value
 * is rounded only once.
 *
 * @example
 * ```ts
 * import { radicalInverse } from "./halton.ts";
 * radicalInverse(6, 2); // 0.375
 * radicalInverse(1, 3); // 0.3333333333333333
 * ```
 */
export function radicalInverse(n: number, base: number): number {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`Cannot take the radical inverse of "${n}": not a whole number ≥ 0`);
  }
  let reversed = 0;
  let scale = 1;
  for (let rest = n; rest > 0; rest = Math.floor(rest / base)) {
    reversed = reversed * base + (rest % base);
    scale *= base;
  }
  return reversed / scale;
}

/**
 * The Cranley–Patterson shifts of a seed: one uniform draw in [0, 1) a coordinate, from the
 * project's generator (stream "halton"). The first coordinates' shifts do not depend on `dims`.
 *
 * @example
 * ```ts
 * import { haltonShift } from "./halton.ts";
 * haltonShift(3, 0).slice(0, 2); // haltonShift(2, 0)
 * ```
 */
export function haltonShift(dims: number, seed: number): number[] {
  checkDims(dims);
  const rng = createRng(seed, "halton");
  return Array.from({ length: dims }, () => rng.uniform());
}

/**
 * The `index`-th point (from 0) of the `dims`-dimensional Halton sequence in [0, 1)^dims,
 * rotated by the seed's shifts: coordinate j is (φ_{p_j}(index + 1) + u_j) mod 1, with φ the
 * radical inverse in the j-th prime p_j. The sequence starts at index + 1 because every radical
 * inverse of 0 is 0: the unshifted point 0 would be the cube's corner, a value at the very end
 * of every range.
 *
 * @example
 * ```ts
 * import { haltonPoint } from "./halton.ts";
 * const p = haltonPoint(5, 2, 42);
 * p.length; // 2
 * p.every((x) => 0 <= x && x < 1); // true
 * ```
 */
export function haltonPoint(index: number, dims: number, seed: number): number[] {
  if (!Number.isSafeInteger(index) || index < 0) {
    throw new RangeError(`Cannot draw Halton point "${index}": not a whole number ≥ 0`);
  }
  return haltonShift(dims, seed).map((u, j) => {
    const x = radicalInverse(index + 1, HALTON_BASES[j]!) + u;
    // x < 2, so one exact subtraction is the modulus (a sum that rounds up to 1 becomes 0).
    return x >= 1 ? x - 1 : x;
  });
}

/**
 * Maps u in [0, 1) to [low, high) evenly on a log scale, low · (high / low)^u: for parameters
 * that matter by their order of magnitude, such as a learning rate or a weight.
 *
 * @example
 * ```ts
 * import { logScale } from "./halton.ts";
 * logScale(0, 1e-4, 1e-2); // 0.0001
 * logScale(0.5, 1, 100); // 10
 * ```
 */
export function logScale(u: number, low: number, high: number): number {
  checkUnit(u);
  if (!(low > 0 && high > 0 && Number.isFinite(low) && Number.isFinite(high))) {
    throw new RangeError(`Cannot scale logarithmically from "${low}" to "${high}": not positive`);
  }
  return low * (high / low) ** u;
}

/**
 * The item u in [0, 1) falls on when [0, 1) is cut into equal parts, items[⌊u · length⌋]: for a
 * parameter with a few values, such as the activation.
 *
 * @example
 * ```ts
 * import { pick } from "./halton.ts";
 * pick(0.5, ["relu", "silu", "tanh"]); // "silu"
 * ```
 */
export function pick<T>(u: number, items: readonly T[]): T {
  checkUnit(u);
  if (items.length === 0) throw new RangeError("Cannot pick from no items");
  return items[Math.floor(u * items.length)]!;
}

function checkUnit(u: number): void {
  if (!(u >= 0 && u < 1)) throw new RangeError(`Cannot map "${u}": not in [0, 1)`);
}

function checkDims(dims: number): void {
  if (!Number.isInteger(dims) || dims < 1 || dims > HALTON_BASES.length) {
    throw new RangeError(
      `Cannot draw Halton points of dimension "${dims}": not a whole number from 1 to ${HALTON_BASES.length}`,
    );
  }
}
