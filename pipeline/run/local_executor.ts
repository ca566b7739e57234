/**
 * The local executor: each stage in a fresh module Web Worker, so the stage's module (and tfjs,
 * vega, …) is only ever imported there, stages use separate cores, and a stage's globals die with
 * its worker.
 *
 * @module
 */
import { err, ok, type Result } from "../core/mod.ts";
import type { Executor, StageJob, StageThrew } from "./executor.ts";
import type { WorkerReply, WorkerRequest } from "./_worker.ts";

/**
 * An executor that runs every stage in a fresh Web Worker of this process.
 *
 * @example
 * ```ts ignore
 * const executor = localExecutor();
 * const ended = await executor.run(job);
 * await executor.close();
 * ```
 */
export function localExecutor(): Executor {
  return { run: runInWorker, close: () => Promise.resolve() };
}

/** Executes one stage in a fresh module Web Worker. */
function runInWorker(job: StageJob): Promise<Result<void, StageThrew>> {
  return new Promise((resolve) => {
    const worker = new Worker(new URL("./_worker.ts", import.meta.url), { type: "module" });
    let settled = false;
    const settle = (r: Result<void, StageThrew>): void => {
      if (settled) return;
      settled = true;
      worker.terminate();
      job.signal?.removeEventListener("abort", abort);
      resolve(r);
    };
    // terminate() stops even a stage spinning without awaits (a hung stage).
    const abort = (): void =>
      settle(err({ code: "stage-aborted", detail: "stopped before it finished", hint: "" }));
    if (job.signal?.aborted) return abort();
    job.signal?.addEventListener("abort", abort, { once: true });
    worker.onmessage = (e: MessageEvent<WorkerReply>) => {
      const m = e.data;
      switch (m.kind) {
        case "progress":
          job.onProgress(m.done, m.total);
          return;
        case "done":
          return settle(ok(undefined));
        case "failed":
          return settle(err({ code: m.code, detail: m.detail, hint: m.hint }));
      }
    };
    worker.onerror = (e: ErrorEvent) => {
      // An error outside the run function (the module failed to load, an unhandled rejection).
      e.preventDefault();
      settle(err({ code: "stage-threw", detail: e.message, hint: "" }));
    };
    worker.onmessageerror = () => {
      settle(
        err({ code: "stage-threw", detail: "the worker sent an unreadable message", hint: "" }),
      );
    };
    const request: WorkerRequest = {
      module: job.decl.module,
      exportName: job.decl.export ?? "run",
      params: job.params,
      inputs: job.inputs,
      outDir: job.outDir,
    };
    worker.postMessage(request);
  });
}
