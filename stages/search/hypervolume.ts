/**
 * How good a set of trade-offs is, in one number: the hypervolume indicator (Zitzler and Thiele,
 * "Multiobjective optimization using evolutionary algorithms — a comparative case study", PPSN V,
 * 1998), the area of the objective plane that the points dominate, bounded by a reference point
 * that every useful point beats. It grows whenever a point improves the front and ignores points
 * that do not, so a search's progress can be plotted round by round. Two objectives, both
 * minimised; the sweep sorts once, O(n log n).
 *
 * @module
 */

/** A point of two objectives, both to be minimised. */
export type Point2 = readonly [number, number];

/** A NaN objective is worse than any number, as in `pareto.ts`. */
function value(x: number): number {
  return Number.isNaN(x) ? Infinity : x;
}

/** The indices of `points` ordered by the first objective, then the second, then the index. */
function sweepOrder(points: readonly Point2[]): number[] {
  return points.map((_, i) => i).sort((a, b) => {
    const [p, q] = [points[a]!, points[b]!];
    return value(p[0]) - value(q[0]) || value(p[1]) - value(q[1]) || a - b;
  });
}

/**
 * The area dominated by `points` and bounded by `reference`: the union of the rectangles from each
 * point to the reference. A point not strictly better than the reference in both objectives adds
 * nothing, nor do dominated or repeated points.
 *
 * @example
 * ```ts
 * import { hypervolume2d } from "./hypervolume.ts";
 * hypervolume2d([[1, 3], [2, 2], [3, 1]], [4, 4]); // 6
 * hypervolume2d([[5, 1]], [4, 4]); // 0
 * ```
 */
export function hypervolume2d(points: readonly Point2[], reference: Point2): number {
  const [rx, ry] = reference;
  const inside = points.filter(([x, y]) => x < rx && y < ry);
  let area = 0;
  let lowest = ry;
  // Left to right, each point that lowers the staircase adds the strip from it to the reference.
  for (const i of sweepOrder(inside)) {
    const [x, y] = inside[i]!;
    if (y < lowest) {
      area += (rx - x) * (lowest - y);
      lowest = y;
    }
  }
  return area;
}

/**
 * The indices of the points no other point dominates, by increasing first objective (then second,
 * then index): the corners of the front's staircase. Repeated non-dominated points are all listed,
 * as `nonDominatedRanks` gives them all rank 0.
 *
 * @example
 * ```ts
 * import { paretoFront2d } from "./hypervolume.ts";
 * paretoFront2d([[3, 1], [2, 2], [3, 3], [1, 3]]); // [3, 1, 0]
 * ```
 */
export function paretoFront2d(points: readonly Point2[]): number[] {
  const front: number[] = [];
  let lowest = Infinity;
  let last: Point2 | undefined;
  for (const i of sweepOrder(points)) {
    const [x, y] = [value(points[i]![0]), value(points[i]![1])];
    // Sorted by x, a point is dominated unless it is lower than all before it or repeats the last
    // corner; the first point is never dominated, even at Infinity.
    const repeats = last !== undefined && x === last[0] && y === last[1];
    if (last === undefined || y < lowest || repeats) {
      front.push(i);
      lowest = y;
      last = [x, y];
    }
  }
  return front;
}
