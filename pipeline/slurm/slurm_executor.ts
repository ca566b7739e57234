/**
 * The SLURM executor: stages handed to it within a short window go to the cluster as one job
 * array (submissions rate-limited); one `squeue` call per poll interval tracks every job of the
 * run; each job's exit status is read from the shared store (waiting a bounded time for NFS lag)
 * and its outputs are re-hashed on arrival. Jobs lost to the cluster are resubmitted; the ids of
 * submitted jobs are recorded in the store so a run that dies leaves nothing untraceable.
 *
 * @module
 */
import {
  type Emit,
  err,
  type ExecutorFailure,
  formatTimeLimit,
  ok,
  parseTimeLimit,
  type Result,
  sha256,
  slurmBatchDir,
  slurmLogFile,
  slurmTaskFile,
  type StageDecl,
  type StageResources,
} from "../core/mod.ts";
import type { Executor, StageJob, StageRan, StageThrew } from "../run/mod.ts";
import { writeAtomic } from "../store/mod.ts";
import { cancel, drained, queue, type QueueRow } from "./commands.ts";
import { submitArray } from "./submit.ts";
import { classifyState } from "./job_state.ts";
import { readStatus, type TaskSpec, type TaskStatus } from "./task_file.ts";
import { recordJobs, runFolder } from "./leftovers.ts";

/** Options of {@linkcode slurmExecutor}. */
export interface SlurmExecutorOptions {
  /** The store folder (`<root>/.psinv`), on a file system the compute nodes see. */
  readonly storeDir: string;
  /** Folder jobs start in (Deno finds the project's `deno.json` from there). */
  readonly cwd: string;
  readonly partition?: string;
  readonly account?: string;
  /** Shell words that start Deno on a node, e.g. `npx -y deno@2.9.6` or a path. */
  readonly deno: string;
  /** Each stage's resolved resources. */
  readonly resources: (decl: StageDecl) => StageResources;
  readonly emit: Emit;
  /** Stages arriving within this window share one array (ms). */
  readonly windowMs?: number;
  /** At least this long between two `sbatch` calls (ms). */
  readonly submitGapMs?: number;
  /** One `squeue` call per this interval (ms). */
  readonly pollMs?: number;
  /** How long a job that has ended may take to show its exit status in the store (ms). */
  readonly exitReadTimeoutMs?: number;
  /** How long a submitted job may be absent from `squeue` before it counts as gone (ms). */
  readonly submitGraceMs?: number;
  /** Resubmissions of a stage after `NODE_FAIL`, `PREEMPTED` or `BOOT_FAIL`. */
  readonly maxResubmits?: number;
}

/** The defaults of the optional timings and counts. */
export const SLURM_DEFAULTS = {
  windowMs: 300,
  submitGapMs: 1000,
  pollMs: 5000,
  exitReadTimeoutMs: 60_000,
  submitGraceMs: 60_000,
  maxResubmits: 3,
} as const satisfies Partial<SlurmExecutorOptions>;

/** SLURM's usual `MaxArraySize` is 1001: larger batches are split. */
const ARRAY_MAX = 1000;

type Ended = Result<StageRan | void, StageThrew | ExecutorFailure>;

interface Task {
  readonly job: StageJob;
  readonly resources: StageResources;
  readonly resolve: (r: Ended) => void;
  /** Resubmissions so far. */
  attempt: number;
  /** Set once submitted: batch folder, index in the array, `<array>_<index>`. */
  dir?: string;
  index?: number;
  id?: string;
  submittedAt?: number;
  /** Seen in `squeue` at least once. */
  seen?: boolean;
  /** Since when the job has ended without a readable status (or with outputs not yet matching). */
  waitingSince?: number | undefined;
  done?: boolean;
}

/**
 * An executor that runs every stage as a task of a SLURM job array.
 *
 * @example
 * ```ts ignore
 * const executor = slurmExecutor({ storeDir, cwd: Deno.cwd(), deno: Deno.execPath(),
 *   resources: (decl) => decl.resources ?? {}, emit });
 * ```
 */
export function slurmExecutor(options: SlurmExecutorOptions): Executor {
  const o = { ...SLURM_DEFAULTS, ...options };
  const run = runFolder(o.storeDir);
  const pending: Task[] = [];
  const inFlight = new Set<Task>();
  const toCancel = new Set<Task>();
  let flushTimer: ReturnType<typeof setTimeout> | undefined;
  let nextSubmitAt = 0;
  let batches = 0;
  let polling: Promise<void> | undefined;
  let closed = false;
  const submitted: string[] = [];

  const end = (task: Task, r: Ended): void => {
    if (task.done) return;
    task.done = true;
    inFlight.delete(task);
    const i = pending.indexOf(task);
    if (i >= 0) pending.splice(i, 1);
    task.resolve(r);
  };
  const cancelled = (task: Task): Ended =>
    err({ reason: "stage-cancelled", stage: task.job.decl.id, signal: "interrupted" });

  const armFlush = (delay: number): void => {
    if (flushTimer !== undefined) return;
    flushTimer = setTimeout(() => {
      flushTimer = undefined;
      flush().catch((e) => failAll(pending.splice(0), e));
    }, delay);
  };

  const flush = async (): Promise<void> => {
    const wait = nextSubmitAt - Date.now();
    if (wait > 0) return armFlush(wait);
    const groups = new Map<string, Task[]>();
    for (const task of pending.splice(0)) {
      const key = JSON.stringify(task.resources);
      groups.set(key, [...(groups.get(key) ?? []), task]);
    }
    for (const tasks of groups.values()) {
      for (let i = 0; i < tasks.length; i += ARRAY_MAX) {
        const wait = nextSubmitAt - Date.now();
        if (wait > 0) await sleep(wait);
        nextSubmitAt = Date.now() + o.submitGapMs;
        await submit(tasks.slice(i, i + ARRAY_MAX));
      }
    }
  };

  const submit = async (tasks: Task[]): Promise<void> => {
    tasks = tasks.filter((t) => !t.done);
    if (tasks.length === 0 || closed) return tasks.forEach((t) => end(t, cancelled(t)));
    const dir = slurmBatchDir(run.dir, ++batches);
    await Deno.mkdir(dir, { recursive: true });
    await Promise.all(tasks.map((t, i) => {
      const spec: TaskSpec = {
        decl: t.job.decl,
        params: t.job.params,
        inputs: t.job.inputs,
        outDir: t.job.outDir,
      };
      return writeAtomic(slurmTaskFile(dir, i), { data: JSON.stringify(spec) });
    }));
    const sent = await submitArray({
      name: run.name,
      dir,
      count: tasks.length,
      cwd: o.cwd,
      deno: o.deno,
      resources: tasks[0]!.resources,
      ...(o.partition ? { partition: o.partition } : {}),
      ...(o.account ? { account: o.account } : {}),
    });
    if (!sent.ok) {
      for (const t of tasks) {
        end(
          t,
          err({
            reason: "cluster-job-failed",
            stage: t.job.decl.id,
            job: "-",
            state: "SUBMIT",
            detail: `sbatch refused the job: ${sent.error}`,
            hint: "check --partition, --account, --time and --mem against the cluster's limits",
          }),
        );
      }
      return;
    }
    submitted.push(sent.value);
    await recordJobs(run, submitted);
    o.emit({ kind: "cluster-submitted", job: sent.value, stages: tasks.map((t) => t.job.decl.id) });
    const now = Date.now();
    tasks.forEach((t, i) => {
      Object.assign(t, { dir, index: i, id: `${sent.value}_${i}`, submittedAt: now });
      t.seen = false;
      t.waitingSince = undefined;
      inFlight.add(t);
    });
    polling ??= poll().finally(() => (polling = undefined));
  };

  const failAll = (tasks: Task[], e: unknown): void => {
    for (const t of tasks) {
      end(t, err({ code: "stage-threw", detail: `submission failed: ${String(e)}`, hint: "" }));
    }
  };

  const poll = async (): Promise<void> => {
    while (inFlight.size > 0 && !closed) {
      await sleep(o.pollMs);
      if (closed) return;
      const rows = await queue(run.name);
      for (const task of [...inFlight]) await check(task, rows);
    }
  };

  /** Decides one task's fate from its status file first, then its `squeue` row. */
  const check = async (task: Task, rows: Map<string, QueueRow> | undefined): Promise<void> => {
    const now = Date.now();
    const status = await readStatus(task.dir!, task.index!);
    if (status) return await arrived(task, status, now);
    if (rows === undefined) return; // squeue failed this time: ask again next interval.
    const row = rows.get(task.id!);
    if (row === undefined) {
      if (!task.seen && now - task.submittedAt! < o.submitGraceMs) return;
      return awaitStatus(task, now, "the job left the queue without writing one");
    }
    task.seen = true;
    const verdict = classifyState(row.state);
    switch (verdict.kind) {
      case "active":
        return;
      case "ended":
        return awaitStatus(task, now, "the job completed without writing one");
      case "resubmit":
        if (task.attempt < o.maxResubmits) {
          task.attempt++;
          inFlight.delete(task);
          o.emit({
            kind: "cluster-resubmitted",
            stage: task.job.decl.id,
            job: task.id!,
            state: row.state,
            attempt: task.attempt,
          });
          pending.push(task);
          return armFlush(o.windowMs);
        }
        return end(
          task,
          jobFailed(
            task,
            row,
            `still ${row.state} after ${task.attempt} resubmissions`,
            "check the cluster's health (sinfo -R)",
          ),
        );
      case "timeout": {
        const limit = parseTimeLimit(task.resources.time ?? "");
        return end(
          task,
          err({
            reason: "stage-timeout",
            stage: task.job.decl.id,
            limit: limit === undefined ? "the partition's default" : formatTimeLimit(limit),
            job: task.id!,
          }),
        );
      }
      case "failed":
        return end(task, jobFailed(task, row, await logTail(task), verdict.hint));
    }
  };

  const jobFailed = (task: Task, row: QueueRow, detail: string, hint: string): Ended =>
    err({
      reason: "cluster-job-failed",
      stage: task.job.decl.id,
      job: task.id!,
      state: row.state,
      detail: `${row.reason !== "" && row.reason !== "None" ? `${row.reason}; ` : ""}${detail}`,
      hint,
    });

  const awaitStatus = (task: Task, now: number, why: string): void => {
    task.waitingSince ??= now;
    if (now - task.waitingSince < o.exitReadTimeoutMs) return;
    end(
      task,
      err({
        reason: "cluster-job-lost",
        stage: task.job.decl.id,
        job: task.id!,
        detail: `no exit status in "${task.dir}" after ${
          Math.round(o.exitReadTimeoutMs / 1000)
        } s (${why}); check that the compute nodes see the store's file system`,
      }),
    );
  };

  /** A status arrived: the outputs it names must read back with the hashes the node computed. */
  const arrived = async (task: Task, status: TaskStatus, now: number): Promise<void> => {
    if (!status.ok) return end(task, err(status.error));
    for (const [f, rec] of Object.entries(status.files)) {
      let hash: string | undefined;
      try {
        hash = await sha256(await Deno.readFile(`${task.job.outDir}/${f}`));
      } catch {
        hash = undefined;
      }
      if (hash !== rec.hash) {
        // NFS may show the status before the outputs' last bytes: wait, within the bound.
        return awaitStatus(task, now, `output "${f}" does not match the hash the node wrote`);
      }
    }
    end(task, ok({ host: status.host, job: task.id! }));
  };

  const logTail = async (task: Task): Promise<string> => {
    try {
      const log = slurmLogFile(task.dir!, task.index!);
      const text = await Deno.readTextFile(log);
      const lines = text.trim().split("\n").filter((l) => l.trim() !== "");
      const tail = lines.slice(-2).join(" | ").slice(0, 300);
      return tail === "" ? "its log is empty" : `log ${log}: ${tail}`;
    } catch {
      return "it left no log";
    }
  };

  /** Cancels aborted tasks' jobs together, in one `scancel`. */
  const cancelSoon = (task: Task): void => {
    if (task.id === undefined) return end(task, cancelled(task));
    toCancel.add(task);
    if (toCancel.size > 1) return;
    setTimeout(async () => {
      const tasks = [...toCancel];
      toCancel.clear();
      await cancel(tasks.filter((t) => !t.done).map((t) => t.id!));
      for (const t of tasks) end(t, cancelled(t));
    }, 0);
  };

  return {
    run(job) {
      return new Promise<Ended>((resolve) => {
        const task: Task = { job, resources: o.resources(job.decl), resolve, attempt: 0 };
        if (closed || job.signal?.aborted) return resolve(cancelled(task));
        job.signal?.addEventListener("abort", () => cancelSoon(task), { once: true });
        pending.push(task);
        armFlush(o.windowMs);
      });
    },
    async close() {
      closed = true;
      if (flushTimer !== undefined) clearTimeout(flushTimer);
      const live = [...inFlight].filter((t) => t.id !== undefined);
      if (live.length > 0) await cancel(live.map((t) => t.id!));
      for (const t of [...inFlight, ...pending]) end(t, cancelled(t));
      await polling;
      // Keep the record of jobs that are still running, so the next run finds and cancels them.
      if (await drained(run.name)) await Deno.remove(run.dir, { recursive: true }).catch(() => {});
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
