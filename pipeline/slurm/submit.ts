/**
 * One `sbatch --array` submission: every task of the array runs `_task.ts` on its task file.
 *
 * @module
 */
import { err, ok, type Result, slurmLogFile, type StageResources } from "../core/mod.ts";
import { call, shellQuote } from "./commands.ts";

/** What {@linkcode submitArray} submits. */
export interface ArraySubmission {
  /** Job name shared by every job of the run (what `squeue -n` and `scancel --name` select). */
  readonly name: string;
  /** Batch folder holding `task-<i>.json`. */
  readonly dir: string;
  /** Number of tasks (array indices 0 … count − 1). */
  readonly count: number;
  readonly cwd: string;
  /** Shell words that start Deno on a node. */
  readonly deno: string;
  readonly resources: StageResources;
  readonly partition?: string;
  readonly account?: string;
}

/** The compute-node entry. */
const TASK = new URL("./_task.ts", import.meta.url).pathname;

/**
 * The `sbatch` arguments for a submission (pure, so the command line can be checked).
 *
 * @example
 * ```ts
 * import { sbatchArgs } from "./submit.ts";
 * sbatchArgs({ name: "psinv-1", dir: "/s/b1", count: 2, cwd: "/p", deno: "deno",
 *   resources: { time: "10" } }).includes("--array=0-1"); // true
 * ```
 */
export function sbatchArgs(s: ArraySubmission): string[] {
  const r = s.resources;
  return [
    "--parsable",
    // Resubmission after a lost node is ours to count, not SLURM's.
    "--no-requeue",
    `--job-name=${s.name}`,
    `--array=0-${s.count - 1}`,
    `--output=${slurmLogFile(s.dir, "%a")}`,
    `--chdir=${s.cwd}`,
    ...(s.partition ? [`--partition=${s.partition}`] : []),
    ...(s.account ? [`--account=${s.account}`] : []),
    ...(r.time ? [`--time=${r.time}`] : []),
    ...(r.mem ? [`--mem=${r.mem}`] : []),
    ...(r.cpus ? [`--cpus-per-task=${r.cpus}`] : []),
    `--wrap=exec ${s.deno} run -A ${shellQuote(TASK)} ${shellQuote(s.dir)}`,
  ];
}

/** Submits the array; its job id, or `sbatch`'s complaint. */
export async function submitArray(s: ArraySubmission): Promise<Result<string, string>> {
  const out = await call("sbatch", sbatchArgs(s));
  const id = out.stdout.trim().split(";")[0] ?? "";
  if (out.code !== 0 || !/^\d+$/.test(id)) {
    return err(out.stderr.trim().split("\n").pop() || `exit code ${out.code}`);
  }
  return ok(id);
}
