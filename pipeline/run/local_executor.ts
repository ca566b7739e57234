/**
 * The local executor: stages run in module Web Workers of this process, so a stage's module (and
 * tfjs, vega, …) is only ever imported there and stages use separate cores.
 *
 * Workers live across stages: spawning one and loading tfjs in it costs far more than a small
 * stage, so an idle worker takes the next stage and its loaded modules serve again (generic
 * module caching; the engine knows nothing of what the modules are). Isolation is kept by
 * throwing a worker away whenever it might carry something into the next stage: after a stage
 * that failed, threw outside its run function, was aborted, or changed the global scope or a
 * built-in (the worker reports what changed), and after {@linkcode DEFAULT_STAGES_PER_WORKER}
 * stages in any case, which bounds what slow leaks (memory a stage never frees) can add up to.
 * A timer or promise a stage leaves behind can still throw while the worker runs the next stage;
 * such an error (outside the run function, in a reused worker) gets that stage one more try in
 * a fresh worker instead of failing it.
 *
 * @module
 */
import { err, ok, type Result } from "../core/mod.ts";
import type { Executor, StageJob, StageRan, StageThrew } from "./executor.ts";
import type { WorkerReply, WorkerRequest } from "./_worker.ts";

/** Options of {@linkcode localExecutor}. */
export interface LocalExecutorOptions {
  /** A worker is retired after running this many stages (1: a fresh worker for every stage). */
  readonly stagesPerWorker?: number;
  /** Called when a worker is thrown away, with why (for tests and diagnostics). */
  readonly onRetire?: (why: RetireReason) => void;
}

/** Why a worker was not reused. */
export type RetireReason =
  | { readonly kind: "failed" }
  | { readonly kind: "aborted" }
  | { readonly kind: "leaked"; readonly globals: readonly string[] }
  | { readonly kind: "worn-out"; readonly stages: number }
  | { readonly kind: "closed" };

/** Stages one worker runs before it is replaced by a fresh one. */
export const DEFAULT_STAGES_PER_WORKER = 64;

/** A worker of the pool, its lane and how many stages it has run. */
interface PooledWorker {
  readonly worker: Worker;
  /** Its number, the lowest no other live worker has: the timeline's lane `worker <n>`. */
  readonly lane: number;
  stages: number;
  /** What to do with a message or error while the worker runs a stage. */
  onMessage?: (m: WorkerReply) => void;
  onError?: (message: string) => void;
}

/**
 * An executor that runs stages in a pool of reusable Web Workers of this process. At most as
 * many workers exist as stages run at once (the scheduler bounds that); `close()` ends them all.
 *
 * @example
 * ```ts ignore
 * const executor = localExecutor();
 * const ended = await executor.run(job);
 * await executor.close();
 * ```
 */
export function localExecutor(options: LocalExecutorOptions = {}): Executor {
  const limit = Math.max(1, options.stagesPerWorker ?? DEFAULT_STAGES_PER_WORKER);
  const idle: PooledWorker[] = [];
  const busy = new Set<PooledWorker>();
  let closed = false;

  const retire = (w: PooledWorker, why: RetireReason): void => {
    busy.delete(w);
    const i = idle.indexOf(w);
    if (i >= 0) idle.splice(i, 1);
    w.worker.terminate();
    options.onRetire?.(why);
  };

  const spawn = (): PooledWorker => {
    const worker = new Worker(new URL("./_worker.ts", import.meta.url), { type: "module" });
    const taken = new Set([...idle, ...busy].map((w) => w.lane));
    let lane = 1;
    while (taken.has(lane)) lane++;
    const w: PooledWorker = { worker, lane, stages: 0 };
    worker.onmessage = (e: MessageEvent<WorkerReply>) => w.onMessage?.(e.data);
    worker.onerror = (e: ErrorEvent) => {
      // An error outside the run function (the module failed to load, an unhandled rejection),
      // possibly after its stage ended: the worker is not trusted again either way.
      e.preventDefault();
      if (w.onError) w.onError(e.message);
      else retire(w, { kind: "failed" });
    };
    worker.onmessageerror = () => w.onError?.("the worker sent an unreadable message");
    return w;
  };

  const run = async (job: StageJob): Promise<Result<StageRan, StageThrew>> => {
    const first = await attempt(job, idle.pop());
    // An error outside the run function in a worker that ran earlier stages may be theirs (a
    // timer or promise they left behind): the stage gets one more try in a fresh worker, so a
    // leftover of one stage never fails the next.
    if (!first.ended.ok && first.outside && first.reused && !closed && !job.signal?.aborted) {
      return (await attempt(job, undefined)).ended;
    }
    return first.ended;
  };

  /** Runs `job` once, in `reuse` or a fresh worker. */
  const attempt = (
    job: StageJob,
    reuse: PooledWorker | undefined,
  ): Promise<{ ended: Result<StageRan, StageThrew>; outside: boolean; reused: boolean }> => {
    const failed = (ended: Result<StageRan, StageThrew>) => ({
      ended,
      outside: false,
      reused: false,
    });
    if (closed) {
      return Promise.resolve(
        failed(err({ code: "stage-threw", detail: "the executor is closed", hint: "" })),
      );
    }
    if (job.signal?.aborted) return Promise.resolve(failed(err(aborted())));
    const w = reuse ?? spawn();
    const reused = w.stages > 0;
    busy.add(w);
    w.stages++;
    job.onLane?.({ lane: `worker ${w.lane}` });
    return new Promise((resolve) => {
      let settled = false;
      const settle = (
        r: Result<StageRan, StageThrew>,
        after: RetireReason | null,
        outside = false,
      ): void => {
        if (settled) return;
        settled = true;
        delete w.onMessage;
        delete w.onError;
        job.signal?.removeEventListener("abort", onAbort);
        if (after !== null) retire(w, after);
        else if (closed) retire(w, { kind: "closed" });
        else {
          busy.delete(w);
          idle.push(w);
        }
        resolve({ ended: r, outside, reused });
      };
      const onAbort = (): void => settle(err(aborted()), { kind: "aborted" });
      job.signal?.addEventListener("abort", onAbort, { once: true });
      w.onMessage = (m) => {
        switch (m.kind) {
          case "progress":
            job.onProgress(m.done, m.total);
            return;
          case "note":
            job.onNote?.(m.message);
            return;
          case "done":
            return settle(
              ok({}),
              m.leaked.length > 0
                ? { kind: "leaked", globals: m.leaked }
                : w.stages >= limit
                ? { kind: "worn-out", stages: w.stages }
                : null,
            );
          case "failed":
            return settle(err({ code: m.code, detail: m.detail, hint: m.hint }), {
              kind: "failed",
            });
        }
      };
      w.onError = (message) =>
        settle(err({ code: "stage-threw", detail: message, hint: "" }), { kind: "failed" }, true);
      const request: WorkerRequest = {
        module: job.decl.module,
        exportName: job.decl.export ?? "run",
        params: job.params,
        inputs: job.inputs,
        outDir: job.outDir,
        ...(job.checkpoints ? { checkpoints: job.checkpoints } : {}),
        ...(job.resume ? { resume: job.resume } : {}),
      };
      w.worker.postMessage(request);
    });
  };

  return {
    run,
    close() {
      closed = true;
      // A stage still running ends as failed (its promise must settle); idle workers just end.
      for (const w of [...busy]) w.onError?.("the executor was closed before the stage ended");
      for (const w of [...idle]) retire(w, { kind: "closed" });
      return Promise.resolve();
    },
  };
}

function aborted(): StageThrew {
  return {
    code: "stage-aborted",
    detail: "the stage was stopped before it finished",
    hint: "",
  };
}
