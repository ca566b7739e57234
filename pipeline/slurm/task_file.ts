/**
 * What the coordinator and a compute node exchange through the shared store: a task file per
 * array task (the batch of stages its job runs, and how many at once) and an exit status per
 * stage, which the node writes as soon as that stage has ended, each by an atomic rename, under
 * `.psinv/slurm/<run>/b<n>/`.
 *
 * @module
 */
import {
  type ExecutorFailure,
  sha256,
  slurmLogFile,
  slurmStatusFile,
  type StageCheckpoint,
  type StageDecl,
  type StageResume,
} from "../core/mod.ts";
import type { StageThrew } from "../run/mod.ts";

/** One stage of a batch, as the node needs it. */
export interface StageSpec {
  readonly decl: StageDecl;
  readonly params: Readonly<Record<string, unknown>>;
  readonly inputs: Readonly<Record<string, string>>;
  /** The scratch folder in the store the stage writes into (on the shared file system). */
  readonly outDir: string;
  /** For a stage with progress: the states it writes, in `outDir`. */
  readonly checkpoints?: readonly StageCheckpoint[];
  /** For a stage with progress: the stored state it continues (in the shared store). */
  readonly resume?: StageResume;
  /** The stage's own time limit in seconds, enforced inside the job (none: the job's). */
  readonly limit?: number;
  /** Its place among every stage the job runs: its status is `status-<index>.<slot>.json`. */
  readonly slot: number;
}

/**
 * One array task: a batch of ready stages, the width of the worker pool that runs them, and how
 * long the job then waits for offers of more stages (each a {@linkcode StageSpec} list).
 */
export interface BatchSpec {
  /** Stages run at once (the job asked for this many times each stage's CPUs). */
  readonly width: number;
  readonly stages: readonly StageSpec[];
  /** Seconds an idle job waits for an offer before it ends (0: it ends after its batch). */
  readonly linger: number;
}

/** More stages for a job that finished its batch. */
export interface Offer {
  readonly stages: readonly StageSpec[];
}

/** What a node writes when one stage of its batch has ended. */
export type TaskStatus =
  & {
    /** The node it ran on. */
    readonly host: string;
    /** Seconds the stage took on the node. */
    readonly seconds: number;
    /** The worker of the job's pool that ran it (`worker 1`), and when (the node's clock, ms). */
    readonly lane?: string;
    readonly began?: number;
    readonly ended?: number;
  }
  & (
    | {
      readonly ok: true;
      /** Each declared output the stage wrote: SHA-256 and size, re-checked on arrival. */
      readonly files: Readonly<Record<string, { readonly hash: string; readonly size: number }>>;
    }
    | { readonly ok: false; readonly error: StageThrew | ExecutorFailure }
  );

/**
 * Reads the exit status of stage `stage` of array task `index`; `undefined` while it is not
 * (yet) visible or not complete JSON.
 *
 * @example
 * ```ts
 * import { readStatus } from "./task_file.ts";
 * await readStatus("/nonexistent", 0, 0); // undefined
 * ```
 */
export async function readStatus(
  dir: string,
  index: number,
  stage: number,
): Promise<TaskStatus | undefined> {
  try {
    const doc = JSON.parse(await Deno.readTextFile(slurmStatusFile(dir, index, stage)));
    return typeof doc === "object" && doc !== null && typeof doc.ok === "boolean"
      ? doc as TaskStatus
      : undefined;
  } catch {
    // Not there yet (NFS lag included): the caller waits a bounded time.
    return undefined;
  }
}

/**
 * Re-hashes the outputs a status names (as the coordinator reads them); the first that does not
 * match, if any.
 *
 * @example
 * ```ts
 * import { mismatchedOutput } from "./task_file.ts";
 * await mismatchedOutput("/nonexistent", { "a.txt": { hash: "0" } }); // "a.txt"
 * ```
 */
export async function mismatchedOutput(
  outDir: string,
  files: Readonly<Record<string, { readonly hash: string }>>,
): Promise<string | undefined> {
  for (const [f, rec] of Object.entries(files)) {
    let hash: string | undefined;
    try {
      hash = await sha256(await Deno.readFile(`${outDir}/${f}`));
    } catch {
      hash = undefined;
    }
    if (hash !== rec.hash) return f;
  }
  return undefined;
}

/** The last lines of array task `index`'s job log, for a failure's message. */
export async function logTail(dir: string, index: number): Promise<string> {
  try {
    const log = slurmLogFile(dir, index);
    const text = await Deno.readTextFile(log);
    const lines = text.trim().split("\n").filter((l) => l.trim() !== "");
    const tail = lines.slice(-2).join(" | ").slice(0, 300);
    return tail === "" ? "its log is empty" : `log ${log}: ${tail}`;
  } catch {
    return "it left no log";
  }
}
