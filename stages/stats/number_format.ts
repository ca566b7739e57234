/**
 * How numbers are written in tables and sentences: three significant digits.
 *
 * @module
 */

/**
 * A number with three significant digits: plain where that reads well, else in exponent form.
 *
 * @example
 * ```ts
 * import { formatNumber } from "./number_format.ts";
 * formatNumber(0.012345); // "0.0123"
 * formatNumber(0.0000123); // "1.23e-5"
 * formatNumber(100); // "100"
 * formatNumber(null); // "—" (no grid point off the data)
 * ```
 */
export function formatNumber(value: number | null): string {
  if (value === null) return "—";
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude === 0 || (magnitude >= 1e-3 && magnitude < 1e5)) {
    return String(Number(value.toPrecision(3)));
  }
  return value.toExponential(2).replace(/\.?0+e/, "e").replace("e+", "e");
}
