/**
 * The format of `loss_bands.csv`, which `loss-bands` writes: for each configuration, term and
 * kept epoch, the mean, the median and the range (lowest to highest) of that loss term over the
 * configuration's replicates (the median: where runs flip, the mean describes no run). Imports nothing, so that a reader's key does not cover the stage's
 * code.
 *
 * @module
 */

/** The values of the `term` column: the total loss L̃, the fit terms, the cycle terms. */
export const BAND_TERMS = ["total", "fit", "cycle"] as const;

/** A term of `loss_bands.csv`. */
export type BandTerm = (typeof BAND_TERMS)[number];

/** The columns of `loss_bands.csv`. */
export const BAND_COLUMNS = ["config", "epoch", "term", "mean", "median", "low", "high"] as const;

/** One line of `loss_bands.csv`. */
export interface BandRow {
  readonly config: string;
  readonly epoch: number;
  /** One of {@linkcode BAND_TERMS}. */
  readonly term: string;
  readonly mean: number;
  readonly median: number;
  readonly low: number;
  readonly high: number;
}
