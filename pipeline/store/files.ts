/**
 * The file-system helpers of the store and of everything that writes under the project: atomic
 * and synced writes, reads for which a missing file is an answer, tree walks and removal, and the
 * sweep of temporary files dead writers left (named by {@linkcode tempName}).
 *
 * @module
 */
import { createHash } from "node:crypto";
import { type Hash, parseTempName, sha256, tempName } from "../core/mod.ts";
import { isProcessAlive } from "./lock.ts";
import { StoreIoError } from "./store_io_error.ts";

/**
 * Writes `data` (or copies the file `from`) to `path` so that readers see the old content or
 * the new, never half of it: a temporary file beside it, then a rename over it. Creates parent
 * folders. A crash leaves only the temporary file, which {@linkcode sweepTemporaries} removes.
 *
 * @example
 * ```ts
 * import { writeAtomic } from "./files.ts";
 * const dir = await Deno.makeTempDir();
 * await writeAtomic(`${dir}/sub/a.txt`, { data: "hi" });
 * await Deno.readTextFile(`${dir}/sub/a.txt`); // "hi"
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeAtomic(
  path: string,
  content: { readonly data: Uint8Array | string } | { readonly from: string },
): Promise<void> {
  await ensureParent(path);
  const tmp = tempName(path);
  try {
    if ("from" in content) {
      await Deno.copyFile(content.from, tmp);
    } else if (typeof content.data === "string") {
      await Deno.writeTextFile(tmp, content.data);
    } else {
      await Deno.writeFile(tmp, content.data);
    }
    await Deno.rename(tmp, path);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw e;
  }
}

/**
 * Removes the temporary files under `dir` (recursively) whose writer is no longer running;
 * returns how many. A live process's temporary file is left alone.
 *
 * @example
 * ```ts
 * import { sweepTemporaries } from "./files.ts";
 * await sweepTemporaries("/no/such/folder"); // 0
 * ```
 */
export async function sweepTemporaries(dir: string): Promise<number> {
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(dir));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotADirectory) return 0;
    throw e;
  }
  let swept = 0;
  for (const e of entries) {
    if (e.isDirectory) {
      swept += await sweepTemporaries(`${dir}/${e.name}`);
      continue;
    }
    const temp = parseTempName(e.name);
    if (temp === undefined || isProcessAlive(temp.pid)) continue;
    await Deno.remove(`${dir}/${e.name}`).then(() => swept++, () => {});
  }
  return swept;
}

/** Runs `read` with stack capture off; returns `undefined` when the file does not exist. */
function ifPresent<T>(read: () => T): T | undefined {
  // A NotFound is an expected answer here, asked thousands of times a run: its stack trace
  // would cost more than the read.
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return read();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/**
 * A file's text, or `undefined` if it does not exist; any other error is thrown.
 *
 * @example
 * ```ts
 * import { readTextIfPresent } from "./files.ts";
 * readTextIfPresent("/no/such/file"); // undefined
 * ```
 */
export function readTextIfPresent(path: string): string | undefined {
  return ifPresent(() => Deno.readTextFileSync(path));
}

/**
 * A file's bytes, or `undefined` if it does not exist; any other error is thrown.
 *
 * @example
 * ```ts
 * import { readBytesIfPresent } from "./files.ts";
 * readBytesIfPresent("/no/such/file"); // undefined
 * ```
 */
export function readBytesIfPresent(path: string): Uint8Array | undefined {
  return ifPresent(() => Deno.readFileSync(path));
}

/**
 * A path's `stat` (links followed), or `undefined` if nothing is there.
 *
 * @example
 * ```ts
 * import { statIfPresent } from "./files.ts";
 * statIfPresent("/no/such/file"); // undefined
 * ```
 */
export function statIfPresent(path: string): Deno.FileInfo | undefined {
  return ifPresent(() => Deno.statSync(path));
}

/** Creates the folder `path` will be in. */
export async function ensureParent(path: string): Promise<void> {
  await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
}

/** Flushes a file's or folder's content (a folder's: its entries) to the disk. */
export async function syncPath(path: string): Promise<void> {
  const f = await Deno.open(path, { read: true });
  try {
    await f.sync();
  } finally {
    f.close();
  }
}

/** Writes `text` to `path` and flushes it to the disk before returning. */
export async function writeSynced(path: string, text: string): Promise<void> {
  const f = await Deno.open(path, { write: true, create: true, truncate: true });
  try {
    const bytes = new TextEncoder().encode(text);
    let written = 0;
    while (written < bytes.length) written += await f.write(bytes.subarray(written));
    await f.sync();
  } finally {
    f.close();
  }
}

/** Whether a rename failed because its target folder exists and is not empty. */
export function isDirNotEmpty(e: unknown): boolean {
  return e instanceof Deno.errors.AlreadyExists ||
    (e instanceof Error &&
      /ENOTEMPTY|not empty|os error 39/i.test(`${(e as { code?: string }).code} ${e.message}`));
}

/** A folder's entries sorted by name; none when it does not exist. */
export async function listDir(path: string): Promise<Deno.DirEntry[]> {
  const out: Deno.DirEntry[] = [];
  try {
    for await (const e of Deno.readDir(path)) out.push(e);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    throw new StoreIoError(path, e);
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Removes a file or folder tree; nothing there is fine. */
export async function removeTree(path: string): Promise<void> {
  try {
    await Deno.remove(path, { recursive: true });
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw new StoreIoError(path, e);
  }
}

/**
 * Bytes of the files under `path` (0 when nothing is there). Walks synchronously: an entry is
 * a few small files, and awaited stats cost more in round trips to Deno's I/O threads than
 * the stats themselves.
 */
export function treeBytes(path: string): Promise<number> {
  try {
    return Promise.resolve(treeBytesSync(path));
  } catch (e) {
    return Promise.reject(e instanceof StoreIoError ? e : new StoreIoError(path, e));
  }
}

function treeBytesSync(path: string): number {
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync(path)];
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return 0;
    if (!(e instanceof Deno.errors.NotADirectory)) throw e;
    return Deno.statSync(path).size;
  }
  // Folders are listed, never stat'ed: only files have a size that counts.
  let total = 0;
  for (const e of entries) {
    const child = `${path}/${e.name}`;
    if (e.isDirectory) total += treeBytesSync(child);
    else {
      try {
        total += Deno.statSync(child).size;
      } catch (err) {
        if (!(err instanceof Deno.errors.NotFound)) throw err;
      }
    }
  }
  return total;
}

/** Files larger than this are hashed as a stream, so a result larger than memory can be stored. */
export const STREAM_ABOVE = 8 * 1024 * 1024;

/**
 * A file's SHA-256 and size; read whole when small (one call), as a stream above
 * {@linkcode STREAM_ABOVE} bytes, so memory stays bounded whatever its size.
 *
 * @example
 * ```ts
 * import { hashFile } from "./files.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/a`, "abc");
 * (await hashFile(`${dir}/a`)).hash.startsWith("ba7816bf"); // true
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function hashFile(path: string): Promise<{ hash: Hash; size: number }> {
  const f = await Deno.open(path, { read: true });
  try {
    if ((await f.stat()).size <= STREAM_ABOVE) {
      const bytes = await Deno.readFile(path);
      return { hash: await sha256(bytes), size: bytes.byteLength };
    }
    const hash = createHash("sha256");
    let size = 0;
    const chunk = new Uint8Array(1024 * 1024);
    for (;;) {
      const n = await f.read(chunk);
      if (n === null) break;
      hash.update(chunk.subarray(0, n));
      size += n;
    }
    return { hash: hash.digest("hex") as Hash, size };
  } finally {
    f.close();
  }
}
