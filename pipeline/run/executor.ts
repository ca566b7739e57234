/**
 * Where a stage executes: the interface every executor implements, and the job it is handed.
 *
 * @module
 */
import type { ExecutorFailure, RanOn, Result, StageDecl } from "../core/mod.ts";

/** One stage's job as handed to an executor. */
export interface StageJob {
  readonly decl: StageDecl;
  /** Declared parameters by local name. */
  readonly params: Readonly<Record<string, unknown>>;
  /** Input name → folder of that input's stored outputs. */
  readonly inputs: Readonly<Record<string, string>>;
  /** Scratch folder to write outputs into. */
  readonly outDir: string;
  readonly onProgress: (done: number, total: number) => void;
  /**
   * Aborted when the stage must stop now (its time limit passed, or the run was interrupted): the
   * executor then stops it (terminates its worker, cancels its job) and resolves with an error.
   */
  readonly signal?: AbortSignal;
}

/** Why a stage's run function failed, as reported across the worker boundary. */
export interface StageThrew {
  readonly code: string;
  readonly detail: string;
  readonly hint: string;
}

/** What an executor may say about where a stage ran, when it knows better than the caller. */
export type StageRan = Partial<Pick<RanOn, "host" | "job">>;

/**
 * Where stages execute. The scheduler decides what runs and stores results; an executor only runs
 * one stage's function with its inputs into a scratch folder and says how it ended. Chosen once,
 * at the CLI edge: {@linkcode localExecutor} here, a cluster's elsewhere.
 */
export interface Executor {
  /**
   * Runs one stage; resolves once it has ended, never rejects for a stage's own error. A
   * `StageThrew` is the stage's verdict; an `ExecutorFailure` says how the executor ended it.
   */
  run(job: StageJob): Promise<Result<StageRan | void, StageThrew | ExecutorFailure>>;
  /** Ends the executor: stops whatever still runs and releases its resources. */
  close(): Promise<void>;
}
