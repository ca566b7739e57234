/**
 * The codes the experiment's stages fail with, as one union (wireit's `Failure` reasons are the
 * model): a stage builds its errors with {@linkcode stageError}, so a code not listed here does
 * not compile, and this list is every expected failure a user can meet.
 *
 * @module
 */
import { StageError } from "../pipeline/core/stage.ts";

/** Every code a stage of this experiment fails with. */
export type StageCode =
  /** A loss term stopped being finite (train). */
  | "stage-diverged"
  /** The backend asked for cannot run here: no compiler, no memory, no WebAssembly (train). */
  | "backend-unavailable"
  /** An input file a stage reads is not there. */
  | "input-missing"
  /** An input file does not have its declared format. */
  | "input-malformed"
  /** The post names a value or figure the results do not have (post). */
  | "post-reference"
  /** A stored training state to continue from does not match the training (train). */
  | "checkpoint-invalid";

/**
 * A stage error with one of the experiment's codes.
 *
 * @example
 * ```ts
 * import { stageError } from "./stage_codes.ts";
 * stageError("input-missing", 'No "points.csv" in the data', "rerun generate").code; // "input-missing"
 * ```
 */
export function stageError(code: StageCode, message: string, hint: string): StageError<StageCode> {
  return new StageError(code, message, hint);
}
