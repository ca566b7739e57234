/**
 * When a claim is decided, and how `reproduce --decide` may look again without inflating the
 * false-verdict rate. A claim's rows start at the seeds per draw that give `statistics.minRuns`
 * runs; each `--decide` round doubles them, up to `statistics.decide.maxSeeds`. That fixes the
 * looks in advance (5, 10, 20, 40 seeds per draw: four), so each look's interval is taken at
 * 1 − α/K for K planned looks: by Bonferroni's inequality the chance that any look gives a false
 * verdict is at most α, whichever look the rounds stop at (the "Bonferroni over planned looks"
 * rule of group-sequential designs, e.g. Jennison and Turnbull, "Group Sequential Methods with
 * Applications to Clinical Trials", 2000, §2.2). Every verdict is such a look, with or without
 * `--decide`, so a verdict never changes meaning with the command that produced it.
 *
 * @module
 */

/** Fewer runs than this and a claim's interval is not computed: "undecided: too few runs". */
export const FEWEST_RUNS = 10;

/**
 * The seeds per draw of each planned look: `start`, doubled until `max` (the last look at
 * `max`); only `start` when it already reaches `max`.
 *
 * @example
 * ```ts
 * import { plannedLooks } from "./stopping_rule.ts";
 * plannedLooks(5, 40); // [5, 10, 20, 40]
 * plannedLooks(3, 40); // [3, 6, 12, 24, 40]
 * plannedLooks(50, 40); // [50]
 * ```
 */
export function plannedLooks(start: number, max: number): number[] {
  const looks = [start];
  while (looks.at(-1)! < max) looks.push(Math.min(2 * looks.at(-1)!, max));
  return looks;
}

/**
 * The confidence of each look's interval so that K looks keep the family-wise level.
 *
 * @example
 * ```ts
 * import { lookConfidence } from "./stopping_rule.ts";
 * lookConfidence(0.95, 4); // 0.9875
 * ```
 */
export function lookConfidence(confidence: number, looks: number): number {
  return 1 - (1 - confidence) / looks;
}

/**
 * The seeds per draw of the next look, or undefined when `seeds` is already the cap.
 *
 * @example
 * ```ts
 * import { nextSeeds } from "./stopping_rule.ts";
 * nextSeeds(5, 40); // 10
 * nextSeeds(30, 40); // 40
 * nextSeeds(40, 40); // undefined
 * ```
 */
export function nextSeeds(seeds: number, max: number): number | undefined {
  return seeds >= max ? undefined : Math.min(2 * seeds, max);
}
