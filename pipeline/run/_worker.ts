/// <reference no-default-lib="true" />
/// <reference lib="deno.worker" />
/**
 * Runs stages inside a Web Worker, one at a time: imports a stage's module (kept loaded for the
 * next stage of this worker, so tfjs and vega initialise once per worker, not once per stage),
 * calls its run function and reports back.
 *
 * This is the exception boundary: whatever the stage throws is caught here, once, and sent as
 * data; the scheduler turns it into a `stage-failed` failure.
 *
 * Isolation: after each stage the worker compares the global scope with how it was before the
 * stage's run function was called (see {@linkcode globalsSnapshot}) and names what changed; the
 * executor then throws this worker away rather than run another stage in it.
 *
 * @module
 */
import { type StageCheckpoint, StageError, type StageResume } from "../core/mod.ts";

/** What the executor sends: one stage to run. */
export interface WorkerRequest {
  readonly module: string;
  readonly exportName: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly inputs: Readonly<Record<string, string>>;
  readonly outDir: string;
  readonly checkpoints?: readonly StageCheckpoint[];
  readonly resume?: StageResume;
}

/** What the worker sends back. */
export type WorkerReply =
  | { readonly kind: "progress"; readonly done: number; readonly total: number }
  | { readonly kind: "note"; readonly message: string }
  /** The stage ended well; `leaked` names globals it added, replaced or removed (none: []). */
  | { readonly kind: "done"; readonly leaked: readonly string[] }
  | {
    readonly kind: "failed";
    readonly code: string;
    readonly detail: string;
    readonly hint: string;
  };

/** Progress is posted at most this often (ms), and always for the last step. */
const PROGRESS_EVERY_MS = 100;

/**
 * Built-in objects a stage could patch for everyone after it (`Math.random = …`,
 * `Array.prototype.x = …`); their own properties are compared along with the global scope's.
 */
const WATCHED: Readonly<Record<string, object>> = {
  globalThis,
  Math,
  JSON,
  Reflect,
  "Object.prototype": Object.prototype,
  "Array.prototype": Array.prototype,
  "Function.prototype": Function.prototype,
  "String.prototype": String.prototype,
  "Number.prototype": Number.prototype,
  "Promise.prototype": Promise.prototype,
  "Map.prototype": Map.prototype,
  "Set.prototype": Set.prototype,
};

/** Owner name → property → what the property held (value, or getter and setter). */
type Snapshot = Map<string, Map<PropertyKey, readonly unknown[]>>;

/** The own properties of the watched objects, by identity of their values (getters not called). */
function globalsSnapshot(): Snapshot {
  const snap: Snapshot = new Map();
  for (const [owner, obj] of Object.entries(WATCHED)) {
    const props = new Map<PropertyKey, readonly unknown[]>();
    for (const key of Reflect.ownKeys(obj)) {
      const d = Reflect.getOwnPropertyDescriptor(obj, key)!;
      props.set(key, "value" in d ? [d.value] : [d.get, d.set]);
    }
    snap.set(owner, props);
  }
  return snap;
}

/** What differs between two snapshots, as `owner.property` names. */
function changed(before: Snapshot, after: Snapshot): string[] {
  const out: string[] = [];
  for (const [owner, now] of after) {
    const was = before.get(owner)!;
    const name = (k: PropertyKey) => `${owner === "globalThis" ? "" : owner + "."}${String(k)}`;
    for (const [k, v] of now) {
      const w = was.get(k);
      if (w === undefined || w.length !== v.length || w.some((x, i) => !Object.is(x, v[i]))) {
        out.push(name(k));
      }
    }
    for (const k of was.keys()) if (!now.has(k)) out.push(name(k));
  }
  return out;
}

function reply(message: WorkerReply): void {
  self.postMessage(message);
}

self.onmessage = async (e: MessageEvent<WorkerRequest>) => {
  const req = e.data;
  try {
    // Globals a module sets while it loads are that module's own state (tfjs registers its
    // engine and backends); they stay with the loaded module and do not count as a leak.
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
    const before = globalsSnapshot();
    const note = (message: string): void => reply({ kind: "note", message });
    const { params, inputs, outDir, checkpoints, resume } = req;
    await fn({
      params,
      inputs,
      outDir,
      progress,
      note,
      ...(checkpoints ? { checkpoints } : {}),
      ...(resume ? { resume } : {}),
    });
    reply({ kind: "done", leaked: changed(before, globalsSnapshot()) });
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
