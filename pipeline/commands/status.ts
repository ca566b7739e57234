/**
 * `status`: for each stage, whether the store holds its result for the current parameters and
 * code (fresh), holds only an older one (stale, with what changed since), or none (missing).
 * Reads the store, never runs a stage.
 *
 * @module
 */
import { type CodeFingerprint, diffFingerprints, stageKey } from "../key/mod.ts";
import type { Hash, StageState, StatusReport } from "../core/mod.ts";
import type { Manifest, Store } from "../store/mod.ts";
import { fingerprintOf, type Plan } from "../run/mod.ts";

/** Options of {@linkcode stageStates}. */
export interface StatusOptions {
  readonly plan: Plan;
  /** Stage ids, topological order, closed under inputs. */
  readonly ids: readonly string[];
  readonly code: ReadonlyMap<string, CodeFingerprint>;
  readonly store: Store;
}

/** One stage's state plus, when fresh, its stored result (for downstream stages and `accept`). */
export interface StateWithResult {
  readonly state: StageState;
  readonly fresh?: Manifest;
  /** The newest stored result of a stage that is not fresh, if any (not read for fresh ones). */
  readonly latest?: Manifest;
  /** The current fingerprint's key inputs (when all inputs are fresh). */
  readonly inputs?: Readonly<Record<string, Hash>>;
}

/**
 * Computes every selected stage's state; the map is in topological order. Stages are looked up
 * concurrently, each once its inputs' states are known, so the store's reads overlap.
 */
export async function stageStates(opts: StatusOptions): Promise<Map<string, StateWithResult>> {
  const pending = new Map<string, Promise<StateWithResult>>();
  for (const id of opts.ids) pending.set(id, stateOf(opts, id, pending));
  const out = new Map<string, StateWithResult>();
  for (const id of opts.ids) out.set(id, await pending.get(id)!);
  return out;
}

async function stateOf(
  opts: StatusOptions,
  id: string,
  pending: ReadonlyMap<string, Promise<StateWithResult>>,
): Promise<StateWithResult> {
  const { plan, store } = opts;
  const decl = plan.graph.byId.get(id)!;
  const code = opts.code.get(decl.module)!;
  const params = plan.params.get(id)!;
  const ups = await Promise.all(
    Object.entries(decl.inputs).map(async ([name, from]) =>
      [name, from, (await pending.get(from)!).fresh] as const
    ),
  );
  const inputs: Record<string, Hash> = {};
  for (const [name, , up] of ups) if (up) inputs[name] = up.content;
  let damaged: string | undefined;
  if (ups.every(([, , up]) => up !== undefined)) {
    const key = await stageKey(fingerprintOf(decl, params, inputs, code.hash));
    const found = await store.get(key);
    if (found.kind === "hit") {
      return {
        state: { id, state: "fresh", key, changes: [], waiting: {}, codeOnly: false },
        fresh: found.manifest,
        inputs,
      };
    }
    if (found.kind === "corrupt") damaged = found.detail;
  }
  // Not fresh: explain against the newest stored result.
  const latest = await store.latest(id);
  const waiting: Record<string, string> = {};
  for (const [name, from, up] of ups) {
    if (up) continue;
    waiting[name] = from;
    // Compare like with like: an input whose stage is not fresh is reported as waiting.
    const before = latest?.fingerprint.inputs[name];
    if (before !== undefined) inputs[name] = before;
  }
  const fingerprint = fingerprintOf(decl, params, inputs, code.hash);
  const ready = Object.keys(waiting).length === 0;
  const key = ready ? await stageKey(fingerprint) : undefined;
  const changes = latest
    ? diffFingerprints(latest.fingerprint, fingerprint, {
      ...(latest.code ? { before: latest.code.files } : {}),
      after: code.files,
    })
    : [];
  const state: StageState = {
    id,
    state: latest ? "stale" : "missing",
    ...(key ? { key } : {}),
    changes,
    waiting,
    codeOnly: ready && changes.length > 0 && changes.every((c) => c.kind === "code"),
    ...(damaged !== undefined ? { damaged } : {}),
  };
  return { state, ...(latest ? { latest } : {}), ...(ready ? { inputs } : {}) };
}

/** The `status` report: every selected stage's state and the store's size. */
export async function statusReport(opts: StatusOptions): Promise<StatusReport> {
  const states = await stageStates(opts);
  return {
    kind: "status",
    stages: [...states.values()].map((s) => s.state),
    store: await opts.store.size(),
  };
}
