/**
 * The SLURM executor: ready stages are grouped into batches (`batch.ts`), each batch one job
 * whose worker pool runs its stages; batches formed together go in as one job array
 * (submissions rate-limited, at most `maxJobs` in flight). A group of stages too small for a
 * batch waits while jobs of the run are in flight (they may make more stages ready), for a
 * bounded time. A job that has finished its stages waits a few seconds for more: a batch whose
 * stages ask what it asked is offered to it rather than queued as a new job, so a chain of small
 * dependent stages does not pay the queue and Deno's start-up once per link.
 * Each stage's exit status appears in the shared store as soon as the stage ends, and its
 * outputs are re-hashed on arrival; one `squeue` call per poll interval tracks every job of the
 * run (`tracking.ts`). A job lost to the cluster has the stages it did not finish resubmitted;
 * the ids of submitted jobs are recorded in the store so a run that dies leaves nothing
 * untraceable.
 *
 * @module
 */
import {
  type Emit,
  err,
  type ExecutorFailure,
  type Result,
  slurmBatchDir,
  slurmTaskFile,
  type StageDecl,
  type StageResources,
} from "../core/mod.ts";
import type { Executor, StageJob, StageRan, StageThrew } from "../run/mod.ts";
import { writeAtomic } from "../store/mod.ts";
import { cancel, drained, sleep } from "./commands.ts";
import { submitArray } from "./submit.ts";
import type { BatchSpec } from "./task_file.ts";
import { recordJobs, runFolder } from "./leftovers.ts";
import {
  type BatchPolicy,
  DEFAULT_BATCH,
  type NodeShape,
  planBatches,
  type Planned,
  UNKNOWN_STAGE_SECONDS,
} from "./batch.ts";
import { offerToIdle, specOf } from "./offers.ts";
import { type Batch, cancelled, type Ended, type Task, tracker } from "./tracking.ts";

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
  /** How many stages a job runs (`--batch`). */
  readonly batch?: BatchPolicy;
  /** The smallest node of the partition (from the pre-flight check). */
  readonly node?: NodeShape;
  /** At most this many jobs (batches) pending or running at once (`--jobs`). */
  readonly maxJobs?: number;
  /** Stages arriving within this window of each other are batched together (ms). */
  readonly windowMs?: number;
  /** At least this long between two `sbatch` calls (ms). */
  readonly submitGapMs?: number;
  /** One `squeue` call per this interval (ms). */
  readonly pollMs?: number;
  /** How often the store is looked at for stages' exit statuses (ms). */
  readonly statusMs?: number;
  /** A partial batch waits at most this long for more stages while jobs are in flight (ms). */
  readonly holdMs?: number;
  /** How long a job that finished its stages waits for an offer of more (ms; 0: it ends). */
  readonly lingerMs?: number;
  /** An offer the job has not claimed within this time is taken back (ms). */
  readonly claimMs?: number;
  /** How long a job that has ended may take to show its exit statuses in the store (ms). */
  readonly exitReadTimeoutMs?: number;
  /** How long a submitted job may be absent from `squeue` before it counts as gone (ms). */
  readonly submitGraceMs?: number;
  /** Resubmissions of a stage after `NODE_FAIL`, `PREEMPTED` or `BOOT_FAIL`. */
  readonly maxResubmits?: number;
}

/** The defaults of the optional settings. */
export const SLURM_DEFAULTS = {
  batch: DEFAULT_BATCH,
  node: { cpus: 1 },
  maxJobs: 100,
  windowMs: 200,
  submitGapMs: 1000,
  pollMs: 5000,
  statusMs: 250,
  holdMs: 120_000,
  lingerMs: 5000,
  claimMs: 3000,
  exitReadTimeoutMs: 60_000,
  submitGraceMs: 60_000,
  maxResubmits: 3,
} as const satisfies Partial<SlurmExecutorOptions>;

/** SLURM's usual `MaxArraySize` is 1001: more batches are split over several arrays. */
const ARRAY_MAX = 1000;

/**
 * An executor that runs stages in batches, each batch a task of a SLURM job array.
 *
 * @example
 * ```ts ignore
 * const executor = slurmExecutor({ storeDir, cwd: Deno.cwd(), deno: Deno.execPath(),
 *   resources: (decl) => decl.resources ?? {}, emit, batch: { kind: "seconds", seconds: 120 } });
 * ```
 */
export function slurmExecutor(options: SlurmExecutorOptions): Executor {
  const o = { ...SLURM_DEFAULTS, ...options };
  const run = runFolder(o.storeDir);
  const pending: Task[] = [];
  const submitted: string[] = [];
  /** Mean seconds per stage module, from this run's arrivals: the guess for a stage never run. */
  const learned = new Map<string, { sum: number; n: number }>();
  const stop = new AbortController();
  let closed = false;
  /** Set once a stage was aborted or a submission went wrong: close() then cancels by name. */
  let unclean = false;
  let submissions = 0;
  let nextSubmitAt = 0;
  let windowTimer: ReturnType<typeof setTimeout> | undefined;
  let holdTimer: ReturnType<typeof setTimeout> | undefined;
  let windowOpened = 0;
  let flushing: Promise<void> | undefined;
  let flushAgain = false;
  let polling: Promise<void> | undefined;

  // One stage per job means exactly that: no job takes more.
  const lingerMs = o.batch.kind === "stages" && o.batch.stages === 1 ? 0 : o.lingerMs;
  const track = tracker({
    ...o,
    statusMs: Math.min(o.statusMs, o.pollMs),
    name: run.name,
    stop: stop.signal,
    onArrived: (task, seconds) => {
      const m = learned.get(task.job.decl.module) ?? { sum: 0, n: 0 };
      learned.set(task.job.decl.module, { sum: m.sum + seconds, n: m.n + 1 });
    },
    onResubmit: (tasks) => {
      for (const t of tasks) pending.push(t);
      arm();
    },
    onBatchEnded: () => {
      if (pending.length > 0) arm();
    },
  });

  const estimate = (t: Task): number => {
    if (t.previous !== undefined) return t.previous;
    const m = learned.get(t.job.decl.module);
    return m ? m.sum / m.n : UNKNOWN_STAGE_SECONDS;
  };

  /** Flushes once no stage has arrived for a window (but a steady trickle cannot delay it much). */
  const arm = (): void => {
    if (closed) return;
    const now = Date.now();
    if (windowTimer === undefined) windowOpened = now;
    clearTimeout(windowTimer);
    const at = Math.min(now + o.windowMs, windowOpened + 5 * o.windowMs);
    windowTimer = setTimeout(() => {
      windowTimer = undefined;
      startFlush();
    }, Math.max(0, at - now));
  };

  const startFlush = (): void => {
    if (flushing) {
      flushAgain = true;
      return;
    }
    flushing = flush().catch((e) => {
      for (const t of pending.splice(0)) {
        track.end(t, err({ code: "stage-threw", detail: `submission failed: ${e}`, hint: "" }));
      }
    }).finally(() => {
      flushing = undefined;
      if (flushAgain && !closed) {
        flushAgain = false;
        startFlush();
      }
    });
  };

  /**
   * Forms batches from the pending stages and sends those that should go now: to an idle job of
   * the run when one fits, else to SLURM. A group with enough work for a batch goes whole once
   * nothing is in flight; a smaller one waits while other jobs run (they may make more of its
   * stages ready), at most `holdMs`.
   */
  const flush = async (): Promise<void> => {
    clearTimeout(holdTimer);
    const now = Date.now();
    const { plans, held } = planBatches(pending.splice(0).filter((t) => !t.done), {
      policy: o.batch,
      node: o.node,
      seconds: estimate,
      busy: track.inFlight.size > 0,
      now,
      holdMs: o.holdMs,
    });
    const toSubmit: Planned<Task>[] = [];
    for (const p of plans) {
      if (await offerToIdle(track, p, now, o.emit)) {
        polling ??= track.poll().finally(() => (polling = undefined));
      } else toSubmit.push(p);
    }
    const room = Math.max(0, o.maxJobs - track.inFlight.size);
    for (const p of toSubmit.splice(room)) held.push(...p.tasks);
    pending.push(...held.sort((a, b) => a.since - b.since));
    if (held.length > 0) {
      const oldest = Math.min(...held.map((t) => t.since));
      holdTimer = setTimeout(arm, Math.max(0, oldest + o.holdMs - Date.now()));
    }
    // Idle jobs nobody needs end now: on a small cluster they hold CPUs the new jobs wait for.
    if (toSubmit.length > 0) { for (const b of [...track.idle]) await track.release(b); }
    // One array per distinct request, at most ARRAY_MAX batches each.
    const arrays = new Map<string, Planned<Task>[]>();
    for (const p of toSubmit) {
      const key = JSON.stringify(p.request);
      arrays.set(key, [...(arrays.get(key) ?? []), p]);
    }
    for (const same of arrays.values()) {
      for (let i = 0; i < same.length; i += ARRAY_MAX) {
        const wait = nextSubmitAt - Date.now();
        if (wait > 0) await sleep(wait, stop.signal);
        const part = same.slice(i, i + ARRAY_MAX);
        if (closed) {
          for (const p of part) for (const t of p.tasks) track.end(t, cancelled(t));
          continue;
        }
        nextSubmitAt = Date.now() + o.submitGapMs;
        await submit(part);
      }
    }
  };

  /** Writes the batches' task files and submits them as one array. */
  const submit = async (planned: Planned<Task>[]): Promise<void> => {
    // Stages aborted since they were planned stay out.
    const plans = planned.map((p) => ({ ...p, tasks: p.tasks.filter((t) => !t.done) }))
      .filter((p) => p.tasks.length > 0);
    if (plans.length === 0) return;
    const dir = slurmBatchDir(run.dir, ++submissions);
    await Deno.mkdir(dir, { recursive: true });
    const batches: Batch[] = plans.map((p, index) => ({
      tasks: [...p.tasks],
      dir,
      index,
      id: "",
      group: p.group,
      width: p.request.width,
      time: p.request.resources.time,
      lingerMs,
      submittedAt: 0,
      seen: false,
      offers: 0,
      open: lingerMs > 0,
      running: false,
    }));
    await Promise.all(batches.map((b, i) => {
      b.tasks.forEach((t, slot) => Object.assign(t, { batch: b, slot }));
      const spec: BatchSpec = {
        width: b.width,
        stages: b.tasks.map((t, slot) => specOf(t, slot)),
        linger: lingerMs / 1000,
      };
      return writeAtomic(slurmTaskFile(dir, i), { data: JSON.stringify(spec) });
    }));
    const sent = await submitArray({
      name: run.name,
      dir,
      count: batches.length,
      cwd: o.cwd,
      deno: o.deno,
      resources: plans[0]!.request.resources,
      ...(o.partition ? { partition: o.partition } : {}),
      ...(o.account ? { account: o.account } : {}),
    });
    if (!sent.ok) {
      unclean = true;
      for (const b of batches) {
        for (const t of b.tasks) {
          track.end(
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
      }
      return;
    }
    submitted.push(sent.value);
    await recordJobs(run, submitted);
    o.emit({
      kind: "cluster-submitted",
      job: sent.value,
      batches: batches.map((b) => b.tasks.map((t) => t.job.decl.id)),
    });
    const now = Date.now();
    for (const b of batches) {
      Object.assign(b, { id: `${sent.value}_${b.index}`, submittedAt: now });
      track.inFlight.add(b);
    }
    // Stages aborted while sbatch ran: their jobs are cancelled now.
    for (const b of batches) track.abortedIn(b);
    polling ??= track.poll().finally(() => (polling = undefined));
  };

  return {
    run(job: StageJob): Promise<Result<StageRan, StageThrew | ExecutorFailure>> {
      return new Promise<Ended>((resolve) => {
        const task: Task = {
          job,
          resources: o.resources(job.decl),
          resolve,
          attempt: 0,
          since: Date.now(),
          aborted: false,
          done: false,
        };
        if (closed || job.signal?.aborted) return resolve(cancelled(task));
        job.signal?.addEventListener("abort", () => {
          const i = pending.indexOf(task);
          if (i >= 0) pending.splice(i, 1);
          unclean = true;
          track.abort(task);
        }, { once: true });
        const enqueue = (previous: number | undefined): void => {
          if (task.done) return;
          if (previous !== undefined) task.previous = previous;
          task.since = Date.now();
          pending.push(task);
          arm();
        };
        (job.previousSeconds?.() ?? Promise.resolve(undefined)).then(
          enqueue,
          () => enqueue(undefined),
        );
      });
    },
    async close(hurry?: AbortSignal) {
      closed = true;
      clearTimeout(windowTimer);
      clearTimeout(holdTimer);
      stop.abort();
      // A submission under way completes first, so its job is known and cancelled below.
      await flushing;
      for (const b of [...track.idle]) await track.release(b);
      const live = [...track.inFlight].map((b) => b.id).filter((id) => id !== "");
      // By id, and by the run's name: that also finds a job sbatch made but did not report. A run
      // that ended well has nothing to cancel: its idle jobs were told to end.
      if (live.length > 0 || (unclean && submitted.length > 0)) await cancel(live, run.name);
      for (const b of [...track.inFlight]) for (const t of b.tasks) track.end(t, cancelled(t));
      for (const t of pending.splice(0)) track.end(t, cancelled(t));
      await polling;
      if (submitted.length === 0) {
        await Deno.remove(run.dir, { recursive: true }).catch(() => {});
        return;
      }
      // Keep the record of jobs still running, so the next run finds and cancels them.
      if (await drained(run.name, 30_000, hurry)) {
        await Deno.remove(run.dir, { recursive: true }).catch(() => {});
      }
    },
  };
}
