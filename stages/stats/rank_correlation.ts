/**
 * Spearman's rank correlation, with tied values given their average rank.
 *
 * @module
 */

/**
 * Ranks from 1, ties sharing the mean of the ranks they span.
 *
 * @example
 * ```ts
 * import { ranks } from "./rank_correlation.ts";
 * ranks([10, 30, 20, 20]); // [1, 4, 2.5, 2.5]
 * ```
 */
export function ranks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out = new Array<number>(values.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    for (let k = i; k <= j; k++) out[order[k]![1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return out;
}

/**
 * Spearman's ρ: the Pearson correlation of the ranks. 0 when either side is constant (no
 * ordering to agree or disagree with).
 *
 * @example
 * ```ts
 * import { spearman } from "./rank_correlation.ts";
 * spearman([1, 2, 3], [0.1, 0.5, 0.2]); // 0.5
 * spearman([1, 2, 3], [9, 4, 1]); // -1
 * ```
 */
export function spearman(x: readonly number[], y: readonly number[]): number {
  const rx = ranks(x), ry = ranks(y);
  const n = x.length;
  const mx = (n + 1) / 2;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = rx[i]! - mx, dy = ry[i]! - mx;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? 0 : sxy / Math.sqrt(sxx * syy);
}
