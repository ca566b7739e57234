/**
 * Where each stage's current result is, here or on a remote. A stage's key needs its inputs'
 * content, and on a fresh clone that content is known only from the remote's entries: stages
 * are resolved in graph order, each once its inputs are, from the local store first and else
 * from the remote's signed entry (one `GET` of a small entry per stage not here, at most 8 in
 * flight). Nothing is downloaded. `status --remote`, `gc --remote` and `verify --remote` read it.
 *
 * @module
 */
import { type CodeFingerprint, stageKey } from "../../key/mod.ts";
import type { Hash } from "../../core/mod.ts";
import { outputsMismatch, type RemoteCache, type RemoteEntry } from "../../remote/mod.ts";
import { fingerprintOf, type Plan } from "../../run/mod.ts";
import type { Manifest, Store } from "../../store/mod.ts";

/** Where a stage's current result is. */
export type RemoteState =
  /** In the local store, verified. */
  | { readonly kind: "here"; readonly key: Hash; readonly manifest: Manifest }
  /** Not here; the remote has a trusted entry for its key (its bundle is checked on download). */
  | { readonly kind: "available"; readonly key: Hash; readonly entry: RemoteEntry }
  /** Neither here nor on the remote. */
  | { readonly kind: "absent"; readonly key: Hash }
  /** The remote's entry for its key cannot be used, and why. */
  | { readonly kind: "rejected"; readonly key: Hash; readonly detail: string }
  /** Its key is unknown: an input's result is neither here nor on the remote. */
  | { readonly kind: "waiting"; readonly on: string }
  /** The remote failed while asked. */
  | { readonly kind: "failed"; readonly key: Hash; readonly detail: string };

/** Options of {@linkcode resolveRemote}. */
export interface ResolveOptions {
  readonly plan: Plan;
  /** Stage ids, topological order, closed under inputs. */
  readonly ids: readonly string[];
  readonly code: ReadonlyMap<string, CodeFingerprint>;
  readonly store: Store;
  readonly remote: RemoteCache;
}

/**
 * Every selected stage's {@linkcode RemoteState}, in the order of `ids`, with the number of
 * requests it took.
 *
 * @example
 * ```ts ignore
 * const { states, requests } = await resolveRemote({ plan, ids, code, store, remote });
 * ```
 */
export async function resolveRemote(
  opts: ResolveOptions,
): Promise<{ states: Map<string, RemoteState>; requests: number }> {
  let requests = 0;
  const pending = new Map<string, Promise<RemoteState>>();
  const one = async (id: string): Promise<RemoteState> => {
    const decl = opts.plan.graph.byId.get(id)!;
    const inputs: Record<string, Hash> = {};
    for (const [name, from] of Object.entries(decl.inputs)) {
      const up = await pending.get(from)!;
      const content = up.kind === "here"
        ? up.manifest.content
        : up.kind === "available"
        ? up.entry.manifest.content
        : undefined;
      if (content === undefined) return { kind: "waiting", on: from };
      inputs[name] = content;
    }
    const code = opts.code.get(decl.module)!;
    const key = await stageKey(fingerprintOf(decl, opts.plan.params.get(id)!, inputs, code.hash));
    const local = await opts.store.get(key);
    if (local.kind === "hit") return { kind: "here", key, manifest: local.manifest };
    requests++;
    const found = await opts.remote.lookup(key);
    switch (found.kind) {
      case "miss":
        return { kind: "absent", key };
      case "failed":
        return { kind: "failed", key, detail: found.error.detail };
      case "rejected":
        return { kind: "rejected", key, detail: found.detail };
      case "hit": {
        const mismatch = outputsMismatch(found.entry, decl.outputs);
        return mismatch === undefined
          ? { kind: "available", key, entry: found.entry }
          : { kind: "rejected", key, detail: mismatch };
      }
    }
  };
  for (const id of opts.ids) pending.set(id, one(id));
  const states = new Map<string, RemoteState>();
  for (const id of opts.ids) states.set(id, await pending.get(id)!);
  return { states, requests };
}
