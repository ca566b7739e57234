/**
 * A downloaded result enters the local store by the store's own write path: its bundle streams
 * into a scratch folder, every file checked on the way, and is committed by `Store.put` (hashed,
 * synced, manifest last, one atomic rename), then read back and verified like any cached result.
 * A failure anywhere leaves the store as it was.
 *
 * @module
 */
import { err, type Failure, ok, type Result } from "../core/mod.ts";
import type { Manifest, Store } from "../store/mod.ts";
import type { RemoteEntry } from "./entry.ts";
import type { RemoteFetch, RemoteLookup } from "./remote_cache.ts";

/** A result as stored locally. */
export interface StoredResult {
  readonly manifest: Manifest;
  /** The folder holding its outputs. */
  readonly dir: string;
}

/** What downloading a hit did: stored it, or why not (the remote's fault, not the store's). */
export type Downloaded =
  | { readonly kind: "stored"; readonly result: StoredResult; readonly bytes: number }
  | Exclude<RemoteFetch, { kind: "ok" }>;

/**
 * Downloads a hit's files and stores them as the result of `stage`, recording the key in its
 * history; the stored content must hash as the entry's did. Only a local store failure is an
 * error.
 *
 * @example
 * ```ts ignore
 * const found = await remote.lookup(key);
 * if (found.kind === "hit") await downloadResult(store, "train/a", found);
 * ```
 */
export async function downloadResult(
  store: Store,
  stage: string,
  hit: Extract<RemoteLookup, { kind: "hit" }>,
): Promise<Result<Downloaded, Failure>> {
  const out = await store.scratch();
  let fetched: RemoteFetch;
  try {
    fetched = await hit.fetch(out);
  } catch (e) {
    await store.discard(out);
    throw e;
  }
  if (fetched.kind !== "ok") {
    await store.discard(out);
    return ok(fetched);
  }
  const stored = await storeFetched(store, stage, hit.entry, out);
  return stored.ok ? ok({ kind: "stored", result: stored.value, bytes: fetched.bytes }) : stored;
}

/** Commits the checked files in the scratch folder `out` as the entry's result. */
async function storeFetched(
  store: Store,
  stage: string,
  entry: RemoteEntry,
  out: string,
): Promise<Result<StoredResult, Failure>> {
  const m = entry.manifest;
  const put = await store.put({
    stage,
    fingerprint: m.fingerprint,
    key: m.key,
    dir: out,
    outputs: Object.keys(m.files),
    seconds: m.seconds,
    created: m.created,
    ...(m.code ? { code: m.code } : {}),
    ...(m.resumed ? { resumed: m.resumed } : {}),
  });
  if (!put.ok) return put;
  const stored = await store.get(m.key);
  if (stored.kind !== "hit" || stored.manifest.content !== m.content) {
    return err({
      reason: "io-failed",
      path: store.dir,
      detail: `the result downloaded for "${stage}" cannot be read back`,
      hint: "check the disk holding the .psinv folder",
    });
  }
  return ok({ manifest: stored.manifest, dir: stored.dir });
}
