/**
 * The format of `points.csv` (the point cloud) and `curve.csv` (the noiseless curve on an even
 * grid), which `generate` writes in standardised units: one point per line. Imports nothing, so
 * that the stages reading these files have only this declaration, not `generate`'s code, in their
 * keys.
 *
 * @module
 */

/** The columns of `points.csv` and `curve.csv`. */
export const POINT_COLUMNS = ["x", "y"] as const;

/** One line of `points.csv` or `curve.csv`. */
export interface XY {
  readonly x: number;
  readonly y: number;
}
