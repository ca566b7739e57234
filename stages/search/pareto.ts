/**
 * Which trials of a multi-objective search are best, all objectives to be minimised: NSGA-II's
 * ranking (Deb, Pratap, Agarwal and Meyarivan, "A fast and elitist multiobjective genetic
 * algorithm: NSGA-II", IEEE Trans. Evol. Comput. 6, 2002). Trials are sorted into fronts by
 * non-domination, and within the front that does not fit whole, those in the least crowded
 * regions are kept, so the survivors spread along the trade-off instead of bunching on it.
 *
 * Two choices of ours, both so that the result does not depend on the order of the input: an
 * objective that is NaN (a diverged trial) counts as +Infinity, worse than any number; and the
 * crowding distance treats equal values as one (see {@linkcode crowdingDistances}). Remaining ties
 * go to the lower index.
 *
 * @module
 */

/** The objectives of one point, all to be minimised. */
export type Objectives = readonly number[];

/** A NaN objective is worse than any number. */
function value(x: number): number {
  return Number.isNaN(x) ? Infinity : x;
}

/**
 * Whether `a` dominates `b`: no worse in every objective and better in one (minimisation).
 * Equal points do not dominate each other.
 *
 * @example
 * ```ts
 * import { dominates } from "./pareto.ts";
 * dominates([1, 2], [1, 3]); // true
 * dominates([1, 2], [1, 2]); // false
 * dominates([1, 3], [2, 1]); // false
 * ```
 */
export function dominates(a: Objectives, b: Objectives): boolean {
  if (a.length !== b.length) {
    throw new RangeError(`Cannot compare points of ${a.length} and ${b.length} objectives`);
  }
  let better = false;
  for (let m = 0; m < a.length; m++) {
    const [x, y] = [value(a[m]!), value(b[m]!)];
    if (x > y) return false;
    if (x < y) better = true;
  }
  return better;
}

/**
 * Each point's non-domination rank: 0 for the points no other point dominates (the Pareto
 * front), 1 for those of the front that remains when rank 0 is removed, and so on. Deb et al.'s
 * fast non-dominated sort, O(n² · objectives).
 *
 * @example
 * ```ts
 * import { nonDominatedRanks } from "./pareto.ts";
 * nonDominatedRanks([[1, 4], [2, 2], [3, 3], [4, 1], [5, 5]]); // [0, 0, 1, 0, 2]
 * ```
 */
export function nonDominatedRanks(points: readonly Objectives[]): number[] {
  const n = points.length;
  // For each point, the points it dominates and how many dominate it.
  const beats: number[][] = points.map(() => []);
  const beatenBy = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (dominates(points[i]!, points[j]!)) {
        beats[i]!.push(j);
        beatenBy[j]!++;
      } else if (dominates(points[j]!, points[i]!)) {
        beats[j]!.push(i);
        beatenBy[i]!++;
      }
    }
  }
  const ranks = new Array<number>(n).fill(-1);
  let front = beatenBy.flatMap((c, i) => c === 0 ? [i] : []);
  for (let rank = 0; front.length > 0; rank++) {
    const next: number[] = [];
    for (const i of front) {
      ranks[i] = rank;
      for (const j of beats[i]!) if (--beatenBy[j]! === 0) next.push(j);
    }
    front = next;
  }
  return ranks;
}

/**
 * NSGA-II's crowding distance of each member of one front (`members` index `points`): the sum
 * over objectives of the gap between a member's two neighbours along that objective, divided by
 * the front's range in it. The members with the smallest or largest value of an objective are
 * boundary points, at Infinity; an objective in which all members are equal contributes 0. Equal
 * values count as one: tied members share the gap between the next smaller and next larger value,
 * and all members tied at an extreme are boundary points, so the distances do not depend on the
 * order of `members` (Deb et al. take neighbours in sorted order, where ties fall arbitrarily).
 *
 * @example
 * ```ts
 * import { crowdingDistances } from "./pareto.ts";
 * const d = crowdingDistances([[0, 4], [1, 2], [3, 1], [4, 0]], [0, 1, 2, 3]);
 * [...d.values()]; // [Infinity, 1.5, 1.25, Infinity]
 * ```
 */
export function crowdingDistances(
  points: readonly Objectives[],
  members: readonly number[],
): Map<number, number> {
  const distance = new Map<number, number>(members.map((i) => [i, 0]));
  const objectives = members.length === 0 ? 0 : points[members[0]!]!.length;
  for (let m = 0; m < objectives; m++) {
    const distinct = [...new Set(members.map((i) => value(points[i]![m]!)))].sort((a, b) => a - b);
    if (distinct.length < 2) continue;
    const range = distinct.at(-1)! - distinct[0]!;
    const at = new Map(distinct.map((v, k) => [v, k]));
    for (const i of members) {
      const k = at.get(value(points[i]![m]!))!;
      const gap = k === 0 || k === distinct.length - 1
        ? Infinity
        : (distinct[k + 1]! - distinct[k - 1]!) / range;
      // An infinite range (a diverged member) leaves no finite gap to compare: NaN counts as 0.
      distance.set(i, distance.get(i)! + (Number.isNaN(gap) ? 0 : gap));
    }
  }
  return distance;
}

/**
 * The indices of the `k` best points, in ascending order: whole fronts by rank while they fit,
 * then from the front that does not fit the members of largest crowding distance, ties to the
 * lower index. `k` at or above the number of points selects all.
 *
 * @example
 * ```ts
 * import { selectBest } from "./pareto.ts";
 * selectBest([[5, 5], [1, 4], [2, 3], [3, 2], [4, 1]], 2); // [1, 4]
 * ```
 */
export function selectBest(points: readonly Objectives[], k: number): number[] {
  if (!Number.isInteger(k) || k < 0) {
    throw new RangeError(`Cannot select "${k}" points: not a whole number ≥ 0`);
  }
  const ranks = nonDominatedRanks(points);
  const fronts: number[][] = [];
  ranks.forEach((r, i) => (fronts[r] ??= []).push(i));
  const chosen: number[] = [];
  for (const front of fronts) {
    const room = k - chosen.length;
    if (room <= 0) break;
    if (front.length <= room) {
      chosen.push(...front);
      continue;
    }
    const d = crowdingDistances(points, front);
    const order = front.toSorted((a, b) => d.get(b)! - d.get(a)! || a - b);
    chosen.push(...order.slice(0, room));
  }
  return chosen.sort((a, b) => a - b);
}
