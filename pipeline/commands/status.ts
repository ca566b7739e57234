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
  /** The newest stored result of the stage, if any. */
  readonly latest?: Manifest;
  /** The current fingerprint's key inputs (when all inputs are fresh). */
  readonly inputs?: Readonly<Record<string, Hash>>;
}

/** Computes every selected stage's state, in topological order. */
export async function stageStates(opts: StatusOptions): Promise<Map<string, StateWithResult>> {
  const { plan, store } = opts;
  const out = new Map<string, StateWithResult>();
  for (const id of opts.ids) {
    const decl = plan.graph.byId.get(id)!;
    const code = opts.code.get(decl.module)!;
    const params = plan.params.get(id)!;
    const latest = await store.latest(id);
    const inputs: Record<string, Hash> = {};
    const waiting: Record<string, string> = {};
    for (const [name, from] of Object.entries(decl.inputs)) {
      const up = out.get(from)?.fresh;
      if (up) inputs[name] = up.content;
      else {
        waiting[name] = from;
        // Compare like with like: an input whose stage is not fresh is reported as waiting.
        const before = latest?.fingerprint.inputs[name];
        if (before !== undefined) inputs[name] = before;
      }
    }
    const fingerprint = fingerprintOf(decl, params, inputs, code.hash);
    const ready = Object.keys(waiting).length === 0;
    let damaged: string | undefined;
    if (ready) {
      const key = await stageKey(fingerprint);
      const found = await store.get(key);
      if (found.kind === "hit") {
        out.set(id, {
          state: { id, state: "fresh", key, changes: [], waiting: {}, codeOnly: false },
          fresh: found.manifest,
          ...(latest ? { latest } : {}),
          inputs,
        });
        continue;
      }
      if (found.kind === "corrupt") damaged = found.detail;
    }
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
    out.set(id, { state, ...(latest ? { latest } : {}), ...(ready ? { inputs } : {}) });
  }
  return out;
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
