/**
 * Where a stage executes: the interface every executor implements, and the job it is handed.
 *
 * @module
 */
import type { Result, StageDecl } from "../core/mod.ts";

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
  /** Aborting it stops the stage (its run ends as failed and nothing of it is kept). */
  readonly signal?: AbortSignal;
}

/** Why a stage's run function failed, as reported across the worker boundary. */
export interface StageThrew {
  readonly code: string;
  readonly detail: string;
  readonly hint: string;
}

/**
 * Where stages execute. The scheduler decides what runs and stores results; an executor only runs
 * one stage's function with its inputs into a scratch folder and says how it ended. Chosen once,
 * at the CLI edge: {@linkcode localExecutor} here, a cluster's elsewhere.
 */
export interface Executor {
  /** Runs one stage; resolves once it has ended, never rejects for a stage's own error. */
  run(job: StageJob): Promise<Result<void, StageThrew>>;
  /** Ends the executor: stops whatever still runs and releases its resources. */
  close(): Promise<void>;
}
