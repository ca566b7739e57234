/**
 * Where a stage executes: the interface every executor implements, and the job it is handed.
 *
 * @module
 */
import type {
  ExecutorFailure,
  RanOn,
  Result,
  StageCheckpoint,
  StageDecl,
  StageResume,
} from "../core/mod.ts";

/** One stage's job as handed to an executor. */
export interface StageJob {
  readonly decl: StageDecl;
  /** Declared parameters by local name. */
  readonly params: Readonly<Record<string, unknown>>;
  /** Input name → folder of that input's stored outputs. */
  readonly inputs: Readonly<Record<string, string>>;
  /** Scratch folder to write outputs into. */
  readonly outDir: string;
  /** For a stage with progress: the states it writes (`StageContext.checkpoints`). */
  readonly checkpoints?: readonly StageCheckpoint[];
  /** For a stage with progress: the stored state it continues (`StageContext.resume`). */
  readonly resume?: StageResume;
  readonly onProgress: (done: number, total: number) => void;
  /** What the stage says about how it ran (`StageContext.note`); dropped when absent. */
  readonly onNote?: (message: string) => void;
  /** Told where the stage runs once the executor knows (again if it moves, as on a retry). */
  readonly onLane?: (lane: StageLane) => void;
  /**
   * Aborted when the stage must stop now (its time limit passed, or the run was interrupted): the
   * executor then stops it (terminates its worker, cancels its job) and resolves with an error.
   */
  readonly signal?: AbortSignal;
  /**
   * Seconds the latest stored result of this stage id took to compute (whatever its key), if
   * any: for executors that plan ahead (the SLURM executor sizes its batches with it).
   */
  readonly previousSeconds?: () => Promise<number | undefined>;
}

/**
 * Where a stage ran inside an executor, for the timeline: one lane runs one stage at a time.
 */
export interface StageLane {
  /** The executor's name for it: a worker of the pool (`worker 2`), a SLURM job's worker. */
  readonly lane: string;
  /**
   * When the stage began and ended there (ms since the epoch), when the executor's clock knows
   * better than the caller's (a cluster's node: the queue's wait left out); else the caller
   * takes the time it is told the lane as the start, and the run's end as the end.
   */
  readonly started?: number;
  readonly finished?: number;
}

/**
 * How a stage that ran to its end went, as far as the executor knows better than the caller:
 * where it ran (`host`, `job`) and how long its own work took.
 */
export interface StageRan extends Partial<Pick<RanOn, "host" | "job">> {
  /**
   * Seconds the stage's own work took where it ran (a cluster's queue wait left out); absent
   * when the executor measures nothing beyond the scheduler's clock.
   */
  readonly seconds?: number;
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
  /**
   * Runs one stage; resolves once it has ended, never rejects for a stage's own error. A
   * `StageThrew` is the stage's verdict; an `ExecutorFailure` says how the executor ended it.
   */
  run(job: StageJob): Promise<Result<StageRan, StageThrew | ExecutorFailure>>;
  /**
   * Ends the executor: stops whatever still runs and releases its resources. It may then wait
   * (bounded) for stopped work to wind down, such as cancelled cluster jobs leaving the queue;
   * aborting `hurry` ends that wait, never the stopping itself.
   */
  close(hurry?: AbortSignal): Promise<void>;
}
