/**
 * What the coordinator and a compute node exchange through the shared store: a task file per
 * array task (the stage job to run) and the exit status the node writes back, each by an atomic
 * rename, under `.psinv/slurm/<run>/b<n>/`.
 *
 * @module
 */
import { type ExecutorFailure, slurmStatusFile, type StageDecl } from "../core/mod.ts";
import type { StageThrew } from "../run/mod.ts";

/** One array task: the stage job, as the node needs it. */
export interface TaskSpec {
  readonly decl: StageDecl;
  readonly params: Readonly<Record<string, unknown>>;
  readonly inputs: Readonly<Record<string, string>>;
  /** The scratch folder in the store the stage writes into (on the shared file system). */
  readonly outDir: string;
}

/** What a node writes when its stage has ended. */
export type TaskStatus =
  & {
    /** The node it ran on. */
    readonly host: string;
    readonly seconds: number;
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
 * Reads an exit status; `undefined` while it is not (yet) visible or not complete JSON.
 *
 * @example
 * ```ts
 * import { readStatus } from "./task_file.ts";
 * await readStatus("/nonexistent", 0); // undefined
 * ```
 */
export async function readStatus(dir: string, index: number): Promise<TaskStatus | undefined> {
  try {
    const doc = JSON.parse(await Deno.readTextFile(slurmStatusFile(dir, index)));
    return typeof doc === "object" && doc !== null && typeof doc.ok === "boolean"
      ? doc as TaskStatus
      : undefined;
  } catch {
    // Not there yet (NFS lag included): the caller waits a bounded time.
    return undefined;
  }
}
