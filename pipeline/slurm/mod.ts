/**
 * Running stages on a SLURM cluster: the executor (job arrays, one squeue per poll, exit status
 * through the shared store), its pre-flight checks, and the recovery of jobs a killed run left.
 *
 * Other folders of the engine import this folder through this file.
 *
 * @module
 */
export * from "./slurm_executor.ts";
export * from "./preflight.ts";
export * from "./leftovers.ts";
export * from "./job_state.ts";
export * from "./commands.ts";
export * from "./submit.ts";
export * from "./task_file.ts";
export * from "./batch.ts";
