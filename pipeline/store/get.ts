/**
 * The read path: an entry is served only after its manifest and every file's size and SHA-256
 * check out; a damaged one is moved to `corrupt/` so it is recomputed, never served.
 *
 * @module
 */
import {
  entryDir,
  type Hash,
  isHash,
  manifestFile,
  outDir,
  quarantineDir,
  sha256,
} from "../core/mod.ts";
import { hashFile, readTextIfPresent, statIfPresent, STREAM_ABOVE } from "./files.ts";
import { type Manifest, parseManifest } from "./manifest.ts";
import { StoreIoError } from "./store_io_error.ts";

/** The answer of a lookup ({@linkcode getEntry}). */
export type GetResult =
  /** A verified entry; `dir` is the folder holding its outputs (read only). */
  | { readonly kind: "hit"; readonly manifest: Manifest; readonly dir: string }
  /** No entry for this key. */
  | { readonly kind: "miss" }
  /** The entry was damaged; it has been moved aside and must be recomputed. */
  | { readonly kind: "corrupt"; readonly detail: string };

/**
 * Looks up and verifies the entry of `key`. A damaged entry is quarantined and reported as
 * `corrupt`; only a genuinely absent entry is a `miss`; other I/O errors throw
 * {@linkcode StoreIoError}.
 *
 * @example
 * ```ts
 * import { getEntry } from "./get.ts";
 * import { sha256 } from "../core/mod.ts";
 * (await getEntry("/no/such/.psinv", await sha256("k"))).kind; // "miss"
 * ```
 */
export async function getEntry(psinv: string, key: Hash): Promise<GetResult> {
  if (!isHash(key)) return { kind: "miss" };
  const checked = await checkEntry(psinv, key);
  if (checked.kind !== "corrupt") return checked;
  await quarantine(psinv, entryDir(psinv, key), key);
  return checked;
}

/**
 * Verifies the entry of `key` without moving it. Reads synchronously: a lookup reads a manifest
 * and a few small files, and awaited reads cost more in round trips to Deno's I/O threads than
 * the reads themselves.
 */
export async function checkEntry(psinv: string, key: string): Promise<GetResult> {
  const entry = entryDir(psinv, key);
  const manifestPath = manifestFile(entry);
  let text: string | undefined;
  try {
    text = readTextIfPresent(manifestPath);
  } catch (e) {
    throw new StoreIoError(manifestPath, e);
  }
  if (text === undefined) {
    // A folder in store/ always has its manifest; one without lost it after the commit.
    let present: Deno.FileInfo | undefined;
    try {
      present = statIfPresent(entry);
    } catch (e) {
      throw new StoreIoError(entry, e);
    }
    return present === undefined
      ? { kind: "miss" }
      : { kind: "corrupt", detail: "manifest.json is missing" };
  }
  const parsed = await parseManifest(text, key as Hash);
  if (!parsed.ok) return { kind: "corrupt", detail: parsed.error };
  const manifest = parsed.value;
  const dir = outDir(entry);
  const problems = await Promise.all(
    Object.entries(manifest.files).map(async ([f, rec]) => {
      const path = `${dir}/${f}`;
      if (rec.size > STREAM_ABOVE) return await checkLargeFile(path, f, rec);
      let bytes: Uint8Array;
      try {
        bytes = Deno.readFileSync(path);
      } catch (e) {
        if (e instanceof Deno.errors.NotFound) return `output "${f}" is missing`;
        if (e instanceof Deno.errors.IsADirectory) return `output "${f}" is a folder`;
        throw new StoreIoError(path, e);
      }
      if (bytes.byteLength !== rec.size) {
        return `output "${f}" is ${bytes.byteLength} bytes, expected ${rec.size}`;
      }
      const h = await sha256(bytes);
      return h === rec.hash ? undefined : `output "${f}" has hash ${h}, expected ${rec.hash}`;
    }),
  );
  const problem = problems.find((p) => p !== undefined);
  if (problem !== undefined) return { kind: "corrupt", detail: problem };
  return { kind: "hit", manifest, dir };
}

/** What is wrong with a large output, read as a stream (memory stays bounded); or nothing. */
async function checkLargeFile(
  path: string,
  f: string,
  rec: { readonly hash: Hash; readonly size: number },
): Promise<string | undefined> {
  let got: { hash: Hash; size: number };
  try {
    got = await hashFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return `output "${f}" is missing`;
    if (e instanceof Deno.errors.IsADirectory) return `output "${f}" is a folder`;
    throw new StoreIoError(path, e);
  }
  if (got.size !== rec.size) return `output "${f}" is ${got.size} bytes, expected ${rec.size}`;
  return got.hash === rec.hash
    ? undefined
    : `output "${f}" has hash ${got.hash}, expected ${rec.hash}`;
}

/** Moves the damaged folder at `path` to `corrupt/` under `name`, kept until the next gc. */
export async function quarantine(psinv: string, path: string, name: string): Promise<void> {
  const aside = quarantineDir(psinv, name, Date.now(), crypto.randomUUID().slice(0, 4));
  try {
    await Deno.rename(path, aside);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw new StoreIoError(path, e);
  }
}

/**
 * The manifest of the entry of `key` when present and valid; its files are not hashed (for
 * history listings, not for serving the entry).
 */
export async function readManifest(psinv: string, key: string): Promise<Manifest | undefined> {
  const path = manifestFile(entryDir(psinv, key));
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw new StoreIoError(path, e);
  }
  const parsed = await parseManifest(text, key as Hash);
  return parsed.ok ? parsed.value : undefined;
}
