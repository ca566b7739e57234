/**
 * `artifacts/run.json`: what the last `reproduce` did, per stage, with timestamps (so overlap of
 * parallel stages can be read off it) and, for a stage that ran, where in the executor it ran
 * (its lane, which `timeline.svg` draws). Written atomically.
 *
 * @module
 */
import { ARTIFACTS_HINT, writeAtomic } from "../store/mod.ts";
import {
  artifactsDir,
  err,
  type IoFailed,
  ok,
  type Result,
  runReportFile,
  type StageOutcomeStatus,
} from "../core/mod.ts";

/** One stage's line in the report. */
export interface StageReport {
  readonly id: string;
  readonly status: StageOutcomeStatus;
  /** The stage key, `null` when it could not be computed (skipped). */
  readonly key: string | null;
  /** Seconds of work; 0 when cached or skipped. */
  readonly seconds: number;
  /** When it began executing, or was looked up (ISO 8601, ms). */
  readonly started: string;
  /** When it ended (ISO 8601, ms). */
  readonly finished: string;
  /** The stage's failure as one line, when it failed or was skipped. */
  readonly error?: string;
  /** An executed stage with progress that continued a stored state: its key and progress. */
  readonly resumed?: { readonly key: string; readonly progress: number };
  /**
   * A stage that ran (executed, or failed or interrupted once started): its lane in the executor
   * (`worker 2`, a SLURM job's worker) and its work there (ISO 8601, ms), storing left out.
   */
  readonly execution?: {
    readonly lane: string;
    readonly started: string;
    readonly finished: string;
  };
}

/** The content of `artifacts/run.json`. */
export interface RunReport {
  /** When the run began (ISO 8601). */
  readonly started: string;
  /** Wall time of the whole run. */
  readonly seconds: number;
  readonly stages: readonly StageReport[];
}

/** The minimum the report needs of a stage's outcome. */
export interface OutcomeLike {
  readonly id: string;
  readonly status: StageOutcomeStatus;
  readonly key?: string;
  readonly seconds: number;
  readonly started: number;
  readonly finished: number;
  readonly resumed?: { readonly key: string; readonly progress: number };
  readonly execution?: {
    readonly lane: string;
    readonly started: number;
    readonly finished: number;
  };
}

/**
 * Builds the report from stage outcomes and the run's start and end (ms since the epoch).
 *
 * @example
 * ```ts
 * import { runReport } from "./run_report.ts";
 * const r = runReport([{ id: "a", status: "cached", key: "k", seconds: 0, started: 0, finished: 5 }], 0, 1500, new Map());
 * r.seconds; // 1.5
 * ```
 */
export function runReport(
  outcomes: readonly OutcomeLike[],
  started: number,
  finished: number,
  errors: ReadonlyMap<string, string>,
): RunReport {
  return {
    started: iso(started),
    seconds: round((finished - started) / 1000),
    stages: outcomes.map((o) => {
      const error = errors.get(o.id);
      return {
        id: o.id,
        status: o.status,
        key: o.key ?? null,
        seconds: round(o.seconds),
        started: iso(o.started),
        finished: iso(o.finished),
        ...(error === undefined ? {} : { error }),
        ...(o.resumed ? { resumed: { key: o.resumed.key, progress: o.resumed.progress } } : {}),
        ...(o.execution
          ? {
            execution: {
              lane: o.execution.lane,
              started: iso(o.execution.started),
              finished: iso(o.execution.finished),
            },
          }
          : {}),
      };
    }),
  };
}

/** Writes the report to `<root>/artifacts/run.json` atomically. */
export function writeRunReport(root: string, report: RunReport): Promise<Result<string, IoFailed>> {
  return writeArtifact(runReportFile(artifactsDir(root)), JSON.stringify(report, null, 2) + "\n");
}

/** Writes one of the engine's own files of `artifacts/` atomically; a failure is `io-failed`. */
export async function writeArtifact(
  path: string,
  data: string,
): Promise<Result<string, IoFailed>> {
  try {
    await writeAtomic(path, { data });
    return ok(path);
  } catch (e) {
    return err({
      reason: "io-failed",
      path,
      detail: e instanceof Error ? e.message : String(e),
      hint: ARTIFACTS_HINT,
    });
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}
