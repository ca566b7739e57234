/**
 * The remote as a cache of stage results, behind one interface whatever the transport. A lookup
 * is separate from fetching the files (wireit's `Cache`): only an absent entry is a miss; an
 * entry that is there but cannot be used is `rejected` with the reason, and a remote that fails
 * is `failed`, for the caller to report. Uploads send the bundle first and the signed entry
 * last, so a half-finished upload is never a hit.
 *
 * @module
 */
import {
  err,
  type Hash,
  isHash,
  ok,
  remoteBundlePath,
  remoteEntryPath,
  remoteStagePath,
  type Result,
  sha256,
} from "../core/mod.ts";
import type { Manifest } from "../store/mod.ts";
import { type BundleFile, packBundle, unpackBundle } from "./bundle.ts";
import { checkRemoteEntry, type RemoteEntry, signEntry } from "./entry.ts";
import { limiter } from "./limit.ts";
import type { SigningKey } from "./signing_key.ts";
import { oneLine, type Transport, type TransportError } from "./transport.ts";
import type { TrustedKeys } from "./trusted_keys.ts";

/** What a lookup found. */
export type RemoteLookup =
  /** A trusted, well-formed entry; `fetch` downloads and checks its files. */
  | { readonly kind: "hit"; readonly entry: RemoteEntry; fetch(): Promise<RemoteFetch> }
  /** No entry for this key. */
  | { readonly kind: "miss" }
  /** An entry that cannot be used (unsigned, untrusted, malformed), and why. */
  | { readonly kind: "rejected"; readonly detail: string }
  /** The remote failed. */
  | { readonly kind: "failed"; readonly error: TransportError };

/** What fetching a hit's files found. */
export type RemoteFetch =
  /** The files, each checked against the signed manifest; `bytes` is the bundle's size. */
  | { readonly kind: "ok"; readonly files: readonly BundleFile[]; readonly bytes: number }
  /** The bundle is missing or does not match the entry. */
  | { readonly kind: "rejected"; readonly detail: string }
  | { readonly kind: "failed"; readonly error: TransportError };

/** How an upload ended. */
export type RemoteUpload =
  | { readonly kind: "uploaded"; readonly bytes: number }
  /** The remote had a valid entry with the same content already (only checked without `replace`). */
  | { readonly kind: "present" };

/** Why an upload did not happen: the remote failed, or the local files no longer match. */
export type UploadError = TransportError | { readonly kind: "damaged"; readonly detail: string };

/** A remote cache of stage results. */
export interface RemoteCache {
  /** The remote as shown in messages. */
  readonly url: string;
  /** The key that signs uploads, when there is one. */
  readonly signer?: SigningKey;
  /** The keys whose entries are used. */
  readonly trusted: TrustedKeys;
  /** Looks `key` up. */
  lookup(key: Hash): Promise<RemoteLookup>;
  /**
   * The manifest of the entry last uploaded for stage id `stage`, when there is one that a trusted
   * key signed; a hint to explain a miss, so every problem is just `undefined`.
   */
  latest(stage: string): Promise<Manifest | undefined>;
  /**
   * Uploads a stored result (its manifest and the folder of its files), then records its key as
   * the latest of its stage id. Without `replace`, a valid entry with the same content whose
   * bundle is present is left as it is.
   */
  upload(
    stored: { readonly manifest: Manifest; readonly dir: string },
    opts?: { readonly replace?: boolean },
  ): Promise<{ ok: true; value: RemoteUpload } | { ok: false; error: UploadError }>;
}

/** Options of {@linkcode remoteCache}. */
export interface RemoteCacheOptions {
  readonly transport: Transport;
  /** The keys whose signatures are trusted. */
  readonly trusted: TrustedKeys;
  /** The key uploads are signed with (needed only to upload). */
  readonly signer?: SigningKey;
  /** Requests in flight at once (default 8). */
  readonly concurrency?: number;
}

/**
 * A remote cache over `opts.transport`.
 *
 * @example
 * ```ts ignore
 * const remote = remoteCache({ transport: fileTransport("/mnt/share/psinv"), trusted, signer });
 * const found = await remote.lookup(key);
 * if (found.kind === "hit") await found.fetch();
 * ```
 */
export function remoteCache(opts: RemoteCacheOptions): RemoteCache {
  const { transport, trusted, signer } = opts;
  const limit = limiter(opts.concurrency ?? 8);
  const get = (path: string) => limit(() => transport.get(path));

  const fetchFiles = async (entry: RemoteEntry): Promise<RemoteFetch> => {
    const path = remoteBundlePath(entry.bundle.hash);
    const got = await get(path);
    if (!got.ok) return { kind: "failed", error: got.error };
    const bytes = got.value;
    if (bytes === undefined) return { kind: "rejected", detail: `its bundle ${path} is missing` };
    const files = await checkBundle(bytes, entry);
    if (!files.ok) return { kind: "rejected", detail: files.error };
    return { kind: "ok", files: files.value, bytes: bytes.length };
  };

  return {
    url: transport.url,
    ...(signer ? { signer } : {}),
    trusted,
    async lookup(key) {
      const got = await get(remoteEntryPath(key));
      if (!got.ok) return { kind: "failed", error: got.error };
      if (got.value === undefined) return { kind: "miss" };
      const checked = await checkRemoteEntry(got.value, key, trusted);
      if (!checked.ok) return { kind: "rejected", detail: checked.error };
      const entry = checked.value;
      return { kind: "hit", entry, fetch: () => fetchFiles(entry) };
    },
    async upload({ manifest, dir }, { replace = false } = {}) {
      if (signer === undefined) throw new Error("remoteCache: uploading needs a signing key");
      if (!replace && await isPresent(manifest)) return ok({ kind: "present" as const });
      const files: BundleFile[] = [];
      for (const [path, rec] of Object.entries(manifest.files)) {
        let bytes: Uint8Array;
        try {
          bytes = await Deno.readFile(`${dir}/${path}`);
        } catch (e) {
          return err({ kind: "damaged" as const, detail: `cannot read "${path}": ${oneLine(e)}` });
        }
        if (bytes.length !== rec.size || await sha256(bytes) !== rec.hash) {
          return err({ kind: "damaged" as const, detail: `"${path}" no longer matches its hash` });
        }
        files.push({ path, bytes });
      }
      const bundle = packBundle(files);
      const ref = { hash: await sha256(bundle), size: bundle.length };
      const putBundle = await limit(() => transport.put(remoteBundlePath(ref.hash), bundle));
      if (!putBundle.ok) return putBundle;
      const entry = await signEntry({ manifest, bundle: ref }, signer);
      const putEntry = await limit(() => transport.put(remoteEntryPath(manifest.key), entry));
      if (!putEntry.ok) return putEntry;
      const key = new TextEncoder().encode(`${manifest.key}\n`);
      const putLatest = await limit(() => transport.put(remoteStagePath(manifest.stage), key));
      if (!putLatest.ok) return putLatest;
      return ok({ kind: "uploaded" as const, bytes: bundle.length });
    },
    async latest(stage) {
      const pointer = await get(remoteStagePath(stage));
      if (!pointer.ok || pointer.value === undefined) return undefined;
      const key = new TextDecoder().decode(pointer.value).trim();
      if (!isHash(key)) return undefined;
      const got = await get(remoteEntryPath(key));
      if (!got.ok || got.value === undefined) return undefined;
      const checked = await checkRemoteEntry(got.value, key, trusted);
      return checked.ok ? checked.value.manifest : undefined;
    },
  };

  /** Whether the remote has a valid entry of this content whose bundle is there in full. */
  async function isPresent(manifest: Manifest): Promise<boolean> {
    const got = await get(remoteEntryPath(manifest.key));
    if (!got.ok || got.value === undefined) return false;
    const checked = await checkRemoteEntry(got.value, manifest.key, trusted);
    if (!checked.ok || checked.value.manifest.content !== manifest.content) return false;
    const size = await limit(() => transport.head(remoteBundlePath(checked.value.bundle.hash)));
    return size.ok && size.value === checked.value.bundle.size;
  }
}

/** The files of a downloaded bundle, each checked against the entry; or why it does not match. */
async function checkBundle(
  bytes: Uint8Array,
  entry: RemoteEntry,
): Promise<Result<BundleFile[], string>> {
  const name = `its bundle cas/${entry.bundle.hash.slice(0, 12)}…`;
  if (bytes.length !== entry.bundle.size) {
    return err(`${name} is ${bytes.length} bytes, the entry says ${entry.bundle.size}`);
  }
  const h = await sha256(bytes);
  if (h !== entry.bundle.hash) return err(`${name} has SHA-256 ${h.slice(0, 12)}…`);
  const files = unpackBundle(bytes);
  if (!files.ok) return err(`${name}: ${files.error}`);
  const expected = entry.manifest.files;
  const listed = Object.keys(expected).length;
  if (files.value.length !== listed) {
    return err(`${name} holds ${files.value.length} files, the manifest lists ${listed}`);
  }
  for (const f of files.value) {
    const rec = expected[f.path];
    if (rec === undefined) {
      return err(`${name} holds "${f.path}", which the manifest does not list`);
    }
    if (f.bytes.length !== rec.size || await sha256(f.bytes) !== rec.hash) {
      return err(`${name} holds "${f.path}" not matching its hash in the manifest`);
    }
  }
  return ok(files.value);
}
