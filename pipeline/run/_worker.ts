/// <reference no-default-lib="true" />
/// <reference lib="deno.worker" />
/**
 * Runs one stage inside a Web Worker: imports its module, calls its run function and reports
 * back. One worker per stage run, so CPU-heavy stages use separate cores and a stage's globals
 * (tfjs backends, caches) die with it.
 *
 * This is the exception boundary: whatever the stage throws is caught here, once, and sent as
 * data; the scheduler turns it into a `stage-failed` failure.
 *
 * @module
 */
import { StageError } from "../core/mod.ts";

/** What the scheduler sends: one stage to run. */
export interface WorkerRequest {
  readonly module: string;
  readonly exportName: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly inputs: Readonly<Record<string, string>>;
  readonly outDir: string;
}

/** What the worker sends back. */
export type WorkerReply =
  | { readonly kind: "progress"; readonly done: number; readonly total: number }
  | { readonly kind: "done" }
  | {
    readonly kind: "failed";
    readonly code: string;
    readonly detail: string;
    readonly hint: string;
  };

/** Progress is posted at most this often (ms), and always for the last step. */
const PROGRESS_EVERY_MS = 100;

function reply(message: WorkerReply): void {
  self.postMessage(message);
}

self.onmessage = async (e: MessageEvent<WorkerRequest>) => {
  const req = e.data;
  try {
    const mod = await import(req.module) as Record<string, unknown>;
    const fn = mod[req.exportName];
    if (typeof fn !== "function") {
      reply({
        kind: "failed",
        code: "stage-threw",
        detail: `module "${req.module}" exports no function "${req.exportName}"`,
        hint: "export the stage's run function under the declared name",
      });
      return;
    }
    let last = 0;
    const progress = (done: number, total: number): void => {
      const now = Date.now();
      if (done < total && now - last < PROGRESS_EVERY_MS) return;
      last = now;
      reply({ kind: "progress", done, total });
    };
    await fn({ params: req.params, inputs: req.inputs, outDir: req.outDir, progress });
    reply({ kind: "done" });
  } catch (error) {
    reply(describe(error));
  }
};

function describe(error: unknown): WorkerReply {
  if (error instanceof StageError) {
    return { kind: "failed", code: error.code, detail: error.message, hint: error.hint };
  }
  // A StageError from another copy of stage.ts (another URL) is still one by shape.
  const e = error as { name?: unknown; code?: unknown; hint?: unknown; message?: unknown };
  if (
    error instanceof Error && e.name === "StageError" && typeof e.code === "string" &&
    typeof e.hint === "string"
  ) {
    return { kind: "failed", code: e.code, detail: error.message, hint: e.hint };
  }
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { kind: "failed", code: "stage-threw", detail, hint: "" };
}
