/**
 * The formats of what a search's table stage writes: `front.csv` (published as
 * `search/<name>.csv`), one row per trial and rung, and `front.json` (`search/<name>.json`), the
 * fronts, their hypervolumes and the epochs each side spent. Imports nothing, so that the stages
 * reading these files (the figure, the claims, the report) have only this declaration in their
 * keys.
 *
 * @module
 */

/** The columns of `front.csv`, in order. */
export const FRONT_COLUMNS = [
  "trial",
  "rung",
  "epochs",
  "lambda",
  "mu",
  "layers",
  "activation",
  "fit",
  "inversion",
  "promoted",
] as const;

/** Prefix of the table's inputs that are runs of the compared sweep: `cell/<cell>/s<i>-d<d>`. */
export const SWEEP_INPUT = "cell/";

/** A cell of the compared sweep, as the table is told it. */
export interface SweepCell {
  readonly id: string;
  readonly lambda: number;
  readonly mu: number;
}

/** One point of a front: its errors (means over replicates) and what it was. */
export interface FrontPoint {
  /** The trial's index, or the sweep cell's id. */
  readonly id: string;
  readonly lambda: number;
  readonly mu: number;
  /** The epochs it trained. */
  readonly epochs: number;
  readonly fit: number;
  readonly inversion: number;
}

/** One side of the comparison: the search, or the sweep it is measured against. */
export interface FrontSide {
  /** Epochs trained in all (a resumed rung counts only what it added). */
  readonly epochs: number;
  /** Trainings (runs) it made. */
  readonly runs: number;
  /** Hypervolume of its front in log₁₀ space, against the reference. */
  readonly hypervolume: number;
  /** Its non-dominated points, by increasing fit error. */
  readonly front: readonly FrontPoint[];
  /** Every point it offers (a trial at its last rung, a sweep cell). */
  readonly points: readonly FrontPoint[];
}

/** The content of `front.json`. */
export interface FrontSummary {
  readonly search: string;
  /** The sweep compared against. */
  readonly sweep: string;
  /** The hypervolume's reference point, in the errors' own units. */
  readonly reference: { readonly fit: number; readonly inversion: number };
  readonly searched: FrontSide;
  readonly swept: FrontSide;
  /**
   * Per replicate both sides share (training seed index, data draw): each side's hypervolume
   * from that replicate's runs alone, the pairs a claim is decided over.
   */
  readonly replicates: readonly {
    readonly seed: number;
    readonly draw: number;
    readonly searched: number;
    readonly swept: number;
  }[];
}
