/**
 * The format of `history.csv`, which `train` writes: one line per epoch, the epoch (from 1) and
 * every term of the loss L̃ after it. Imports nothing, so that the stages reading the history have
 * only this declaration, not the trainer's code, in their keys.
 *
 * @module
 */

/** The loss terms, in column order after `epoch` (also the order the loss computes them). */
export const TERM_NAMES = ["fit_f", "fit_g", "cyc_y", "cyc_x", "total"] as const;

/** A term of the loss, as named in `history.csv`. */
export type LossTerm = (typeof TERM_NAMES)[number];

/** The columns of `history.csv`. */
export const HISTORY_COLUMNS = ["epoch", ...TERM_NAMES] as const;

/**
 * One epoch of `history.csv`: the loss terms its Adam step computed (with minibatches, the mean of
 * the batches' terms weighted by their sizes).
 */
export interface HistoryRow {
  readonly epoch: number;
  /** mean|f(x) − y|². */
  readonly fit_f: number;
  /** mean|g(y) − x|². */
  readonly fit_g: number;
  /** mean|y − f(g(y))|², unweighted. */
  readonly cyc_y: number;
  /** mean|x − g(f(x))|², unweighted. */
  readonly cyc_x: number;
  /** L̃ = fit_f + fit_g + μ·cyc_y + λ·cyc_x. */
  readonly total: number;
}
