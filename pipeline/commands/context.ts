/**
 * What the command line hands every command: the project, where events go, the clock, and how a
 * run is recorded. The CLI builds it once; commands never reach for the process themselves.
 *
 * @module
 */
import type { Emit, Failure, Result } from "../core/mod.ts";
import type { Graph, StageOutcome } from "../run/mod.ts";

/** What a command is given by the command line that runs it. */
export interface CommandContext {
  /** The project root, without a trailing `/`: parameters file, `.psinv/` and `artifacts/`. */
  readonly root: string;
  /** Where the command's events go (the CLI's logger). */
  readonly emit: Emit;
  /** The clock (ms since the epoch). */
  readonly now: () => number;
  /**
   * Records how each stage of a run ended, with the run's start and end (ms since the epoch) and
   * the graph it ran; the CLI writes `artifacts/run.json` and `artifacts/timeline.svg`. A
   * failure to record is the run's failure.
   */
  readonly recordRun: (
    outcomes: readonly StageOutcome[],
    started: number,
    finished: number,
    graph: Graph,
  ) => Promise<Result<unknown, Failure>>;
}
