/**
 * The format of `claims.json`, which the `claims` stage writes: how the claims were decided, each
 * claim with its estimate, interval, verdict and evidence, and the runs that came out flipped.
 * Imports nothing, so that a reader's key does not cover the claims' code.
 *
 * @module
 */

/**
 * What the interval says about a claim: on the claimed side of zero, on the other, spanning it;
 * `undecided` when there is no interval (fewer than 10 runs, or a row the claim needs is absent).
 */
export type Verdict = "supported" | "contradicted" | "inconclusive" | "undecided";

/** The share of a setting's runs that flipped (f sloping against the data), with its interval. */
export interface FlipRate {
  readonly flipped: number;
  readonly runs: number;
  readonly rate: number;
  /** Clopper–Pearson's exact interval at `confidence`. */
  readonly low: number;
  readonly high: number;
}

/** One number with its interval, e.g. the mean fit error of one configuration. */
export interface Estimate {
  readonly label: string;
  readonly mean: number;
  /** The median over the runs: robust to a run that collapsed. */
  readonly median: number;
  readonly low: number;
  readonly high: number;
  readonly n: number;
}

/** A decided claim, as written to `claims.json`. */
export interface Claim {
  /** Stable id, e.g. `fit-rises`. */
  readonly id: string;
  /** The post's statement. */
  readonly claim: string;
  /** What is computed per replicate and averaged. */
  readonly measure: string;
  /** The mean of the measure over the paired replicates; null when it cannot be computed. */
  readonly estimate: number | null;
  /** Its confidence interval at `level`; null when undecided. */
  readonly ci: readonly [number, number] | null;
  /** Replicates (seed × draw) the measure was computed on: the runs that decided it. */
  readonly n: number;
  readonly verdict: Verdict;
  /** Confidence of `ci`: 1 − (1 − confidence) / looks (Bonferroni over the planned looks). */
  readonly level: number;
  /** Looks planned from the claim's first seeds per draw to `statistics.decide.maxSeeds`. */
  readonly looks: number;
  /**
   * Seeds per draw and draws this claim asked of its rows for this look (a row another claim
   * also reads may hold more; `n` counts the runs used).
   */
  readonly seeds: number;
  readonly draws: number;
  /** Still undecided with its rows at `statistics.decide.maxSeeds` seeds per draw. */
  readonly cap: boolean;
  /**
   * Where runs flip (λ = μ = 100): the flip rate; the measure is then that of the typical run,
   * the runs that did not flip.
   */
  readonly flips?: FlipRate;
  /** One sentence with the numbers. */
  readonly summary: string;
  /** The numbers behind it: per-configuration means and intervals. */
  readonly evidence: readonly Estimate[];
}

/** One run: a configuration or sweep cell, a training seed, a data draw. */
export interface RunRef {
  readonly id: string;
  readonly seed: number;
  readonly draw: number;
}

/** Contents of `claims.json`. */
export interface ClaimsFile {
  /** Coverage of every interval, e.g. 0.95. */
  readonly confidence: number;
  /** Bootstrap resamples per interval. */
  readonly resamples: number;
  /** Seed of the bootstrap resampler. */
  readonly seed: number;
  /** Training seeds per configuration. */
  readonly seeds: number;
  /** Data draws per configuration. */
  readonly draws: number;
  /** Paired runs a claim is first decided on (`statistics.minRuns`). */
  readonly minRuns: number;
  /** Fewest runs a claim's interval is computed from. */
  readonly fewestRuns: number;
  /** The most seeds per draw `--decide` trains a claim's rows on. */
  readonly maxSeeds: number;
  readonly claims: readonly Claim[];
  /** Every run (configurations and sweep cells) whose f slopes against the data. */
  readonly flipped: readonly RunRef[];
  /** How many runs `flipped` was looked for in. */
  readonly runs: number;
}
