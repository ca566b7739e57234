/**
 * Following a SLURM run's batches: each stage's exit status is picked up from the store as soon
 * as its node writes it (outputs re-hashed first), and one `squeue` call per poll interval
 * decides the fate of jobs that ended: statuses late on a shared file system are waited for
 * (bounded), the unfinished stages of a job lost to the cluster go back to be resubmitted, and
 * those of a job that timed out, failed or vanished end with SLURM's verdict. Aborted stages
 * have their batch's job cancelled once no stage of it is still wanted. A job that finished its
 * stages waits a little for an offer of more (see `_task.ts`): it is kept as idle meanwhile, and
 * an offer it does not claim in time is taken back and its stages submitted again.
 *
 * @module
 */
import {
  type Emit,
  err,
  type ExecutorFailure,
  ok,
  type Result,
  slurmOfferFile,
  slurmReleaseFile,
  slurmStatusFile,
  type StageResources,
} from "../core/mod.ts";
import type { StageJob, StageRan, StageThrew } from "../run/mod.ts";
import { writeAtomic } from "../store/mod.ts";
import { cancel, queue, type QueueRow, sleep } from "./commands.ts";
import { classifyState } from "./job_state.ts";
import { logTail, mismatchedOutput, readStatus, type TaskStatus } from "./task_file.ts";

/** How a stage handed to the SLURM executor ended. */
export type Ended = Result<StageRan, StageThrew | ExecutorFailure>;

/** One stage handed to the SLURM executor. */
export interface Task {
  readonly job: StageJob;
  readonly resources: StageResources;
  readonly resolve: (r: Ended) => void;
  /** Resubmissions so far. */
  attempt: number;
  /** When it (last) became pending. */
  since: number;
  /** Seconds its latest stored result took, if any. */
  previous?: number;
  /** Its batch and place in it, once submitted. */
  batch?: Batch;
  slot?: number;
  /** Since when its status has named outputs that do not (yet) read back with their hash. */
  waitingSince?: number;
  aborted: boolean;
  done: boolean;
}

/** One batch: a task of a job array, running its stages (and any it is offered) in a pool. */
export interface Batch {
  /** Every stage the job was given, in slot order (its batch, then its offers). */
  readonly tasks: Task[];
  /** The submission's folder and the batch's index in its array. */
  readonly dir: string;
  readonly index: number;
  /** `<array>_<index>`; `""` while `sbatch` has not answered. */
  id: string;
  /** Its stages' resources as one key: only stages with the same ones are offered to it. */
  readonly group: string;
  /** Stages its pool runs at once. */
  readonly width: number;
  /** The job's time request, if any. */
  readonly time: string | undefined;
  /** How long the job waits for offers once idle (ms; 0: none are made). */
  readonly lingerMs: number;
  submittedAt: number;
  /** Seen in `squeue` at least once. */
  seen: boolean;
  /** Known to have started (`squeue` said so, or a status arrived). */
  running: boolean;
  /** Since when the job has ended with stages still lacking a readable status. */
  waitingSince?: number;
  /** Offers made so far (the next is number `offers + 1`). */
  offers: number;
  /** The latest offer while the job has not claimed it. */
  unclaimed?: { readonly k: number; readonly at: number; readonly tasks: readonly Task[] };
  /** Whether it may still be offered stages. */
  open: boolean;
  /** Since when all its stages have ended (while it waits for an offer). */
  idleSince?: number;
}

/** What the tracker needs to know and whom it tells. */
export interface TrackerOptions {
  /** The run's job name. */
  readonly name: string;
  /** Ends the polling. */
  readonly stop: AbortSignal;
  readonly emit: Emit;
  readonly statusMs: number;
  readonly pollMs: number;
  readonly exitReadTimeoutMs: number;
  readonly submitGraceMs: number;
  readonly maxResubmits: number;
  /** An offer not claimed within this time is taken back (ms). */
  readonly claimMs: number;
  /** A stage's result arrived, having taken `seconds` on its node. */
  readonly onArrived: (task: Task, seconds: number) => void;
  /** Stages to submit again (their job was lost to the cluster, or did not claim them). */
  readonly onResubmit: (tasks: Task[]) => void;
  /** Every stage of a batch has ended. */
  readonly onBatchEnded: () => void;
}

/** The batches in flight and what can happen to their stages. */
export interface Tracker {
  /** Batches submitted (or being submitted) with stages not yet ended. */
  readonly inFlight: Set<Batch>;
  /** Batches whose stages have all ended, their jobs waiting for an offer. */
  readonly idle: Set<Batch>;
  /** Ends a stage (once), and its batch when it was the last. */
  end(task: Task, r: Ended): void;
  /** The stage is no longer wanted: ends it, or has its job cancelled once none of it is. */
  abort(task: Task): void;
  /** Cancels a just-submitted batch whose stages were all aborted meanwhile. */
  abortedIn(batch: Batch): void;
  /** Tells an idle job to end now rather than wait for offers. */
  release(batch: Batch): Promise<void>;
  /** Follows the batches in flight until none is left or `stop` is aborted. */
  poll(): Promise<void>;
}

/** The outcome of a stage stopped because the run was interrupted. */
export function cancelled(task: Task): Ended {
  return err({ reason: "stage-cancelled", stage: task.job.decl.id, signal: "interrupted" });
}

/** A tracker of one run's batches. */
export function tracker(o: TrackerOptions): Tracker {
  const inFlight = new Set<Batch>();
  const idle = new Set<Batch>();
  const toCancel = new Set<Batch>();

  const end = (task: Task, r: Ended): void => {
    if (task.done) return;
    task.done = true;
    task.resolve(r);
    const b = task.batch;
    if (b && inFlight.has(b) && b.tasks.every((t) => t.done)) {
      inFlight.delete(b);
      // While another job of the run may still wait in the queue for CPUs, waiting for offers
      // would keep them from it: the job ends instead.
      if (b.open && b.lingerMs > 0 && r.ok && [...inFlight].every((x) => x.running)) {
        b.idleSince = Date.now();
        idle.add(b);
      } else if (b.open && b.lingerMs > 0) void release(b);
      o.onBatchEnded();
    }
  };

  const release = async (b: Batch): Promise<void> => {
    idle.delete(b);
    b.open = false;
    await writeAtomic(slurmReleaseFile(b.dir, b.index), { data: "" }).catch(() => {});
  };

  /**
   * Takes back the batch's unclaimed offer, if the job has not claimed it meanwhile (one rename
   * decides); its stages go back to be submitted, and the job gets no more offers.
   */
  const withdraw = async (b: Batch): Promise<void> => {
    const offer = b.unclaimed;
    if (offer === undefined) return;
    delete b.unclaimed;
    try {
      await Deno.rename(
        slurmOfferFile(b.dir, b.index, offer.k, "offer"),
        slurmOfferFile(b.dir, b.index, offer.k, "withdrawn"),
      );
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return; // Claimed: the job runs them.
      throw e;
    }
    b.open = false;
    const back = offer.tasks.filter((t) => !t.done);
    b.tasks.splice(b.tasks.length - offer.tasks.length);
    for (const t of back) {
      delete t.batch;
      delete t.slot;
      t.since = Date.now();
    }
    if (b.tasks.every((t) => t.done)) inFlight.delete(b);
    if (back.length > 0) o.onResubmit(back);
  };

  const abortedIn = (b: Batch): void => {
    if (b.id === "" || !b.tasks.every((t) => t.done || t.aborted)) return;
    if (b.tasks.every((t) => t.done)) return;
    toCancel.add(b);
    if (toCancel.size > 1) return;
    // Stages aborted together (an interrupt aborts them all) are cancelled in one scancel.
    setTimeout(async () => {
      const batches = [...toCancel];
      toCancel.clear();
      await cancel(batches.map((x) => x.id));
      for (const x of batches) for (const t of x.tasks) end(t, cancelled(t));
    }, 0);
  };

  const abort = (task: Task): void => {
    task.aborted = true;
    if (task.batch === undefined) return end(task, cancelled(task));
    abortedIn(task.batch);
  };

  const lost = (task: Task, b: Batch, detail: string): Ended =>
    err({
      reason: "cluster-job-lost",
      stage: task.job.decl.id,
      job: b.id,
      detail: `no exit status in "${b.dir}" after ${
        Math.round(o.exitReadTimeoutMs / 1000)
      } s (${detail}); check that the compute nodes see the store's file system`,
    });

  /** A status arrived: the outputs it names must read back with the hashes the node computed. */
  const arrived = async (task: Task, status: TaskStatus, now: number): Promise<void> => {
    const b = task.batch!;
    b.running = true;
    // The node's own times: the timeline leaves the queue's wait and the file system's lag out.
    if (status.lane !== undefined) {
      task.job.onLane?.({
        lane: `job ${b.id} ${status.lane}`,
        ...(status.began === undefined ? {} : { started: status.began }),
        ...(status.ended === undefined ? {} : { finished: status.ended }),
      });
    }
    if (!status.ok) {
      const e = status.error;
      return end(
        task,
        err("reason" in e && e.reason === "stage-timeout" ? { ...e, job: b.id } : e),
      );
    }
    const bad = await mismatchedOutput(task.job.outDir, status.files);
    if (bad !== undefined) {
      // NFS may show the status before the outputs' last bytes: wait, within the bound.
      task.waitingSince ??= now;
      if (now - task.waitingSince < o.exitReadTimeoutMs) return;
      return end(task, lost(task, b, `output "${bad}" does not match the hash the node wrote`));
    }
    o.onArrived(task, status.seconds);
    end(task, ok({ seconds: status.seconds, host: status.host, job: b.id }));
  };

  /** Reads the statuses of a batch's open stages: those listed in `names`, or every one. */
  const collect = async (b: Batch, now: number, names?: ReadonlySet<string>): Promise<void> => {
    for (const task of b.tasks) {
      if (task.done) continue;
      const file = slurmStatusFile(b.dir, b.index, task.slot!);
      if (names && !names.has(file.slice(file.lastIndexOf("/") + 1))) continue;
      const status = await readStatus(b.dir, b.index, task.slot!);
      if (status) await arrived(task, status, now);
    }
  };

  /**
   * One listing per submission folder finds the statuses written since the last look, and
   * whether offers were claimed; an offer unclaimed for too long is taken back.
   */
  const collectAll = async (): Promise<void> => {
    const now = Date.now();
    const byDir = new Map<string, Batch[]>();
    for (const b of inFlight) byDir.set(b.dir, [...(byDir.get(b.dir) ?? []), b]);
    for (const [dir, batches] of byDir) {
      const names = new Set<string>();
      try {
        for await (const e of Deno.readDir(dir)) names.add(e.name);
      } catch {
        continue;
      }
      for (const b of batches) {
        const offer = b.unclaimed;
        if (offer !== undefined) {
          const taken = slurmOfferFile(b.dir, b.index, offer.k, "taken");
          if (names.has(taken.slice(taken.lastIndexOf("/") + 1))) delete b.unclaimed;
          else if (now - offer.at >= o.claimMs) await withdraw(b);
        }
        await collect(b, now, names);
      }
    }
  };

  /** The job has ended with stages lacking a status: wait for them, within the bound. */
  const awaitLate = (b: Batch, now: number, why: string): void => {
    b.waitingSince ??= now;
    if (now - b.waitingSince < o.exitReadTimeoutMs) return;
    for (const t of b.tasks) end(t, lost(t, b, why));
  };

  const jobFailed = (t: Task, b: Batch, row: QueueRow, detail: string, hint: string): Ended =>
    err({
      reason: "cluster-job-failed",
      stage: t.job.decl.id,
      job: b.id,
      state: row.state,
      detail: `${row.reason !== "" && row.reason !== "None" ? `${row.reason}; ` : ""}${detail}`,
      hint,
    });

  /** Decides, from its `squeue` row, what becomes of a batch's stages that have not ended. */
  const judge = async (b: Batch, rows: Map<string, QueueRow> | undefined): Promise<void> => {
    if (rows === undefined) return; // squeue failed this time: ask again next interval.
    const now = Date.now();
    const row = rows.get(b.id);
    if (row === undefined && !b.seen && now - b.submittedAt < o.submitGraceMs) return;
    const verdict = row === undefined ? undefined : classifyState(row.state);
    if (verdict?.kind === "active") {
      b.seen = true;
      b.running ||= row!.state === "RUNNING";
      return;
    }
    // An offer the job never claimed goes elsewhere; whatever the job finished is kept.
    await withdraw(b);
    await collect(b, now);
    const open = b.tasks.filter((t) => !t.done);
    if (open.length === 0) return;
    if (row === undefined || verdict === undefined) {
      return awaitLate(b, now, "the job left the queue without writing one");
    }
    switch (verdict.kind) {
      case "ended":
        return awaitLate(b, now, "the job completed without writing one");
      case "resubmit": {
        inFlight.delete(b);
        const again = open.filter((t) => t.attempt < o.maxResubmits);
        for (const t of open) {
          if (t.attempt < o.maxResubmits) continue;
          const why = `still ${row.state} after ${t.attempt} resubmissions`;
          end(t, jobFailed(t, b, row, why, "check the cluster's health (sinfo -R)"));
        }
        if (again.length === 0) return o.onBatchEnded();
        for (const t of again) {
          t.attempt++;
          t.since = now;
          delete t.batch;
          delete t.slot;
          delete t.waitingSince;
        }
        o.emit({
          kind: "cluster-resubmitted",
          stages: again.map((t) => t.job.decl.id),
          job: b.id,
          state: row.state,
          attempt: Math.max(...again.map((t) => t.attempt)),
        });
        return o.onResubmit(again);
      }
      case "timeout":
        for (const t of open) {
          end(
            t,
            err({
              reason: "stage-timeout",
              stage: t.job.decl.id,
              limit: b.time ?? "the partition's default",
              job: b.id,
            }),
          );
        }
        return;
      case "failed": {
        const tail = await logTail(b.dir, b.index);
        for (const t of open) end(t, jobFailed(t, b, row, tail, verdict.hint));
        return;
      }
    }
  };

  const poll = async (): Promise<void> => {
    let lastQueue = Date.now();
    while (inFlight.size > 0 && !o.stop.aborted) {
      await sleep(o.statusMs, o.stop);
      if (o.stop.aborted) return;
      try {
        await collectAll();
        if (Date.now() - lastQueue < o.pollMs) continue;
        lastQueue = Date.now();
        const rows = await queue(o.name);
        for (const b of [...inFlight]) await judge(b, rows);
      } catch {
        // The shared file system failed us this time (a rename, a listing): look again next
        // interval; a job whose statuses never show ends as cluster-job-lost, within its bound.
      }
    }
  };

  return { inFlight, idle, end, abort, abortedIn, release, poll };
}
