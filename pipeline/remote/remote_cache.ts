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
  limiter,
  ok,
  remoteBundlePath,
  remoteEntryPath,
  remoteStagePath,
} from "../core/mod.ts";
import type { Manifest } from "../store/mod.ts";
import { bundleBody, StreamBroken, unpackBundle } from "./bundle.ts";
import { checkRemoteEntry, type RemoteEntry, signEntry } from "./entry.ts";
import type { SigningKey } from "./signing_key.ts";
import { oneLine, type Transport, type TransportError } from "./transport/transport.ts";
import type { TrustedKeys } from "./trusted_keys.ts";

/** What a lookup found. */
export type RemoteLookup =
  /** A trusted, well-formed entry; `fetch` downloads and checks its files. */
  | {
    readonly kind: "hit";
    readonly entry: RemoteEntry;
    /** Streams the bundle's files into the empty folder `dir`, checking each on the way. */
    fetch(dir: string): Promise<RemoteFetch>;
  }
  /** No entry for this key. */
  | { readonly kind: "miss" }
  /** An entry that cannot be used (unsigned, untrusted, malformed), and why. */
  | { readonly kind: "rejected"; readonly detail: string }
  /** The remote failed. */
  | { readonly kind: "failed"; readonly error: TransportError };

/** What fetching a hit's files into a folder found. */
export type RemoteFetch =
  /** The files are in the folder, each checked against the signed manifest; `bytes`: the bundle's size. */
  | { readonly kind: "ok"; readonly bytes: number }
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
  /** The transport underneath, for housekeeping (`gc --remote`) that works on objects. */
  readonly transport: Transport;
  /** Runs requests so that at most the remote's bound (8) are in flight. */
  limit<T>(task: () => Promise<T>): Promise<T>;
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

  const fetchFiles = async (entry: RemoteEntry, dir: string): Promise<RemoteFetch> => {
    const path = remoteBundlePath(entry.bundle.hash);
    const name = `its bundle cas/${entry.bundle.hash.slice(0, 12)}…`;
    // The whole download holds one of the requests in flight.
    return await limit(async (): Promise<RemoteFetch> => {
      const got = await transport.read(path);
      if (!got.ok) return { kind: "failed", error: got.error };
      if (got.value === undefined) {
        return { kind: "rejected", detail: `its bundle ${path} is missing` };
      }
      let read;
      try {
        read = await unpackBundle(got.value, dir, entry.manifest.files);
      } catch (e) {
        // The connection broke: not the bundle's fault. A local disk's error goes up as it is.
        if (!(e instanceof StreamBroken)) throw e;
        return {
          kind: "failed",
          error: { kind: "unreachable", detail: `GET ${path}: ${oneLine(e)}` },
        };
      }
      if (!read.ok) {
        const why = read.error.startsWith("the bundle ")
          ? ` ${read.error.slice("the bundle ".length)}`
          : `: ${read.error}`;
        return { kind: "rejected", detail: `${name}${why}` };
      }
      if (read.value.size !== entry.bundle.size) {
        return {
          kind: "rejected",
          detail: `${name} is ${read.value.size} bytes, the entry says ${entry.bundle.size}`,
        };
      }
      if (read.value.hash !== entry.bundle.hash) {
        return { kind: "rejected", detail: `${name} has SHA-256 ${read.value.hash.slice(0, 12)}…` };
      }
      return { kind: "ok", bytes: read.value.size };
    });
  };

  return {
    url: transport.url,
    ...(signer ? { signer } : {}),
    trusted,
    transport,
    limit,
    async lookup(key) {
      const got = await get(remoteEntryPath(key));
      if (!got.ok) return { kind: "failed", error: got.error };
      if (got.value === undefined) return { kind: "miss" };
      const checked = await checkRemoteEntry(got.value, key, trusted);
      if (!checked.ok) return { kind: "rejected", detail: checked.error };
      const entry = checked.value;
      return { kind: "hit", entry, fetch: (dir) => fetchFiles(entry, dir) };
    },
    async upload({ manifest, dir }, { replace = false } = {}) {
      if (signer === undefined) throw new Error("remoteCache: uploading needs a signing key");
      if (!replace && await isPresent(manifest)) return ok({ kind: "present" as const });
      const body = bundleBody(
        dir,
        Object.entries(manifest.files).map(([path, f]) => ({ path, ...f })),
      );
      // Pass 1 finds the content address, pass 2 sends the bytes: each checks every file.
      const digest = await body.digest();
      if (!digest.ok) return err({ kind: "damaged" as const, detail: digest.error });
      const ref = digest.value;
      const bundlePath = remoteBundlePath(ref.hash);
      const putBundle = async () => {
        const r = await limit(() => transport.put(bundlePath, body));
        const damaged = body.damaged();
        return damaged === undefined ? r : err({ kind: "damaged" as const, detail: damaged });
      };
      const sent = await putBundle();
      if (!sent.ok) return sent;
      const entry = await signEntry({ manifest, bundle: ref }, signer);
      const putEntry = await limit(() => transport.put(remoteEntryPath(manifest.key), entry));
      if (!putEntry.ok) return putEntry;
      // A remote gc that saw neither this entry nor a young bundle may have deleted the bundle
      // meanwhile: the entry must not stay without it.
      const there = await limit(() => transport.head(bundlePath));
      if (!there.ok) return there;
      if (there.value?.size !== ref.size) {
        const again = await putBundle();
        if (!again.ok) return again;
      }
      const key = new TextEncoder().encode(`${manifest.key}\n`);
      const putLatest = await limit(() => transport.put(remoteStagePath(manifest.stage), key));
      if (!putLatest.ok) return putLatest;
      return ok({ kind: "uploaded" as const, bytes: ref.size });
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
    return size.ok && size.value?.size === checked.value.bundle.size;
  }
}
