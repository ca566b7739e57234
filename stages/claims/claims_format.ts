/**
 * The format of `claims.json`, which the `claims` stage writes: how the claims were decided, each
 * claim with its estimate, interval, verdict and evidence, and the runs that came out flipped.
 * Imports nothing, so that a reader's key does not cover the claims' code.
 *
 * @module
 */

/** What the interval says about a claim. */
export type Verdict = "supported" | "contradicted" | "inconclusive";

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
  /** Its confidence interval; null with the estimate. */
  readonly ci: readonly [number, number] | null;
  /** Replicates (seed × draw) the measure was computed on. */
  readonly n: number;
  readonly verdict: Verdict;
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
  readonly claims: readonly Claim[];
  /** Every run (configurations and sweep cells) whose f slopes against the data. */
  readonly flipped: readonly RunRef[];
  /** How many runs `flipped` was looked for in. */
  readonly runs: number;
}
