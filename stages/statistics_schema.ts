/**
 * The `statistics` group of `params.json`: how replicates are summarised and the post's claims
 * decided. Its own module, below the rest of the schema, because it names the claims (whose
 * rows and verdicts live in claims/).
 *
 * @module
 */
import { z } from "zod";

/** The post's claims, in the order `claims.json` lists them. */
export const CLAIM_IDS = [
  "fit-rises",
  "inversion-falls",
  "nearly-linear",
  "unconstrained-fits-best",
  "silu-fits-better",
  "too-simple",
  "misses-trend",
  "search-front",
] as const;

/** A claim's stable id. */
export type ClaimId = (typeof CLAIM_IDS)[number];

const positiveInt = z.number().int().min(1);

/** `reproduce --decide`: how far it may add replicates to a claim still undecided. */
export const decideSchema = z.strictObject({
  /** The most seeds per data draw a claim's rows are trained on; rounds double up to it. */
  maxSeeds: positiveInt.max(1000),
});

/** How replicates are summarised and the post's claims decided. */
export const statisticsSchema = z.strictObject({
  /** Bootstrap resamples per confidence interval. */
  resamples: positiveInt.min(100).max(100_000),
  /**
   * Coverage of every confidence interval, e.g. 0.95; for a claim, the family-wise level over
   * the looks `--decide` may take (each look at 1 − (1 − confidence) / looks).
   */
  confidence: z.number().gt(0).lt(1),
  /** Seed of the bootstrap's resampling: the same seed gives the same intervals, bit for bit. */
  seed: z.number().int().nonnegative(),
  /**
   * R² of the least-squares straight line through f (and g) over the data range above which a
   * network counts as "nearly linear".
   */
  nearlyLinearR2: z.number().gt(0).lt(1),
  /**
   * Paired runs a claim is first decided on: the seeds per draw of the rows it reads are raised
   * until they hold this many (claims/claim_rows.ts). A claim with fewer than 10 runs is
   * undecided, not a verdict.
   */
  minRuns: positiveInt.max(10_000),
  decide: decideSchema,
  /**
   * Seeds per draw for the rows a claim reads, above `minRuns`' (what a `--decide` round sets;
   * by hand, to look at one round); none when absent.
   */
  claimSeeds: z.partialRecord(z.enum(CLAIM_IDS), positiveInt.max(10_000)).optional(),
});

/** The `statistics` group. */
export type StatisticsParams = z.infer<typeof statisticsSchema>;
