/**
 * A downloaded result enters the local store by the store's own write path: its files are
 * written into a scratch folder and committed by `Store.put` (hashed, synced, manifest last, one
 * atomic rename), then read back and verified like any cached result. A failure anywhere
 * leaves the store as it was.
 *
 * @module
 */
import { err, type Failure, ok, type Result } from "../core/mod.ts";
import { type Manifest, type Store, StoreIoError } from "../store/mod.ts";
import type { BundleFile } from "./bundle.ts";
import type { RemoteEntry } from "./entry.ts";

/** A result as stored locally. */
export interface StoredResult {
  readonly manifest: Manifest;
  /** The folder holding its outputs. */
  readonly dir: string;
}

/**
 * Stores the checked `files` of a remote `entry` as the result of `stage`, recording the key in
 * its history; the stored content must hash as the entry's did.
 *
 * @example
 * ```ts ignore
 * const fetched = await hit.fetch();
 * if (fetched.kind === "ok") await restoreResult(store, "train/a", hit.entry, fetched.files);
 * ```
 */
export async function restoreResult(
  store: Store,
  stage: string,
  entry: RemoteEntry,
  files: readonly BundleFile[],
): Promise<Result<StoredResult, Failure>> {
  const out = await store.scratch();
  try {
    for (const f of files) {
      const path = `${out}/${f.path}`;
      await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
      await Deno.writeFile(path, f.bytes);
    }
  } catch (e) {
    await store.discard(out);
    return err(new StoreIoError(out, e).failure);
  }
  const m = entry.manifest;
  const put = await store.put({
    stage,
    fingerprint: m.fingerprint,
    key: m.key,
    dir: out,
    outputs: files.map((f) => f.path),
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
