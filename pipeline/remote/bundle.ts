/**
 * A stage's outputs as one object, so a result travels in one request however many files it
 * has. The layout is length-prefixed and deterministic (files sorted by path), so two machines
 * with the same outputs make byte-identical bundles under one content address:
 *
 * ```text
 * "psinv-bundle/1\n"
 * per file: u32 path length · path (UTF-8) · u64 size · bytes     (big-endian)
 * ```
 *
 * A tar would need a dependency and normalised headers to be deterministic, and would say no
 * more: the signed manifest, not the bundle, is what names the files and their hashes.
 *
 * Bundles are written and read as streams, hashed on the way: memory stays bounded (a few
 * chunks) whatever a result's size.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { err, type Hash, ok, type Result } from "../core/mod.ts";
import type { StreamBody } from "./transport/transport.ts";
import { releaser } from "./_release.ts";

/** One file of a bundle as the manifest records it. */
export interface BundleEntry {
  /** Relative, `/`-separated path. */
  readonly path: string;
  readonly size: number;
  readonly hash: Hash;
}

/** A bundle's address: its SHA-256 and size. */
export interface BundleDigest {
  readonly hash: Hash;
  readonly size: number;
}

const MAGIC = new TextEncoder().encode("psinv-bundle/1\n");

/** The bytes before a file's content: its path's length, its path, its size. */
function fileHeader(path: string, size: number): Uint8Array<ArrayBuffer> {
  const name = new TextEncoder().encode(path);
  const out = new Uint8Array(4 + name.length + 8);
  const view = new DataView(out.buffer);
  view.setUint32(0, name.length);
  out.set(name, 4);
  view.setBigUint64(4 + name.length, BigInt(size));
  return out;
}

function byPath<T extends { readonly path: string }>(files: readonly T[]): T[] {
  return [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Packs small in-memory files into one bundle, in path order whatever the order given (what
 * {@linkcode bundleBody} streams from disk, byte for byte).
 *
 * @example
 * ```ts
 * import { packBundle } from "./bundle.ts";
 * const b = packBundle([{ path: "a.txt", bytes: new TextEncoder().encode("hi") }]);
 * b.length; // 15 + 4 + 5 + 8 + 2
 * ```
 */
export function packBundle(
  files: readonly { readonly path: string; readonly bytes: Uint8Array }[],
): Uint8Array<ArrayBuffer> {
  const parts = [
    MAGIC,
    ...byPath(files).flatMap((f) => [fileHeader(f.path, f.bytes.length), f.bytes]),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * The bundle of the files `entries` lists, read from the folder `dir` as a stream each time it
 * is opened. Each file is checked against its size and hash as it goes by: a file that no longer
 * matches ends the stream in an error, before its last byte, and `damaged()` then says which.
 *
 * @example
 * ```ts ignore
 * const body = bundleBody(outDir, entries);
 * const digest = await body.digest(); // pass 1: the content address
 * await transport.put(remoteBundlePath(digest.value.hash), body); // pass 2: the upload
 * ```
 */
export function bundleBody(
  dir: string,
  entries: readonly BundleEntry[],
): StreamBody & { damaged(): string | undefined; digest(): Promise<Result<BundleDigest, string>> } {
  const sorted = byPath(entries);
  let damaged: string | undefined;
  /**
   * The bundle's bytes in order. With `reuse`, one buffer is read into again and again (for a
   * consumer done with each chunk before asking for the next: hashing); otherwise each chunk is
   * fresh (an upload may still hold the previous one).
   */
  async function* chunks(reuse: boolean): AsyncGenerator<Uint8Array<ArrayBuffer>> {
    yield MAGIC;
    const shared = reuse ? new Uint8Array(CHUNK) : undefined;
    const moved = releaser();
    for (const f of sorted) {
      yield fileHeader(f.path, f.size);
      const hash = createHash("sha256");
      let size = 0;
      let file: Deno.FsFile;
      try {
        file = await Deno.open(`${dir}/${f.path}`, { read: true });
      } catch (e) {
        damaged = `cannot read "${f.path}": ${e instanceof Error ? e.message : String(e)}`;
        throw new Error(damaged);
      }
      try {
        for (;;) {
          const buffer = shared ?? new Uint8Array(CHUNK);
          const n = await file.read(buffer);
          if (n === null) break;
          size += n;
          if (size > f.size) break;
          const chunk = buffer.subarray(0, n);
          hash.update(chunk);
          if (!shared) moved(n);
          yield chunk;
        }
      } finally {
        file.close();
      }
      if (size !== f.size || hash.digest("hex") !== f.hash) {
        damaged = `"${f.path}" no longer matches its hash`;
        throw new Error(damaged);
      }
    }
  }
  return {
    size: MAGIC.length +
      sorted.reduce((n, f) => n + fileHeader(f.path, f.size).length + f.size, 0),
    open: () => ReadableStream.from(chunks(false)),
    damaged: () => damaged,
    async digest() {
      const hash = createHash("sha256");
      let size = 0;
      try {
        for await (const chunk of chunks(true)) {
          hash.update(chunk);
          size += chunk.length;
        }
      } catch (e) {
        return err(e instanceof Error ? e.message : String(e));
      }
      return ok({ hash: hash.digest("hex") as Hash, size });
    },
  };
}

/** Bytes read from a file at once. */
const CHUNK = 256 * 1024;

/**
 * Reads a bundle from `stream` into the folder `dir`, checking every file against `expected`
 * (the manifest's path → size and hash) as it is written: a bad header, a truncation, trailing
 * bytes, a path repeated, not relative or not listed, a file of the wrong size or hash, a file
 * listed but absent. Returns the bundle's own SHA-256 and size, for the caller to hold against
 * the address it asked for; on an error what was written stays for the caller to discard. A
 * stream that breaks throws {@linkcode StreamBroken}; a local write that fails throws its error.
 *
 * @example
 * ```ts ignore
 * const got = await unpackBundle(stream, scratchOut, manifest.files);
 * if (got.ok && got.value.hash !== entry.bundle.hash) … // not the bundle the entry names
 * ```
 */
export async function unpackBundle(
  stream: ReadableStream<Uint8Array>,
  dir: string,
  expected: Readonly<Record<string, { readonly size: number; readonly hash: string }>>,
): Promise<Result<BundleDigest, string>> {
  const input = new ByteReader(stream);
  try {
    const magic = await input.exactly(MAGIC.length);
    if (magic === undefined || !MAGIC.every((b, i) => magic[i] === b)) {
      return err("the bundle does not start with its format header");
    }
    const decoder = new TextDecoder("utf-8", { fatal: true });
    const seen = new Set<string>();
    while (!(await input.atEnd())) {
      const at = input.offset;
      const length = await input.exactly(4);
      if (length === undefined) return err(`the bundle is truncated at byte ${at}`);
      const nameLength = new DataView(length.buffer, length.byteOffset).getUint32(0);
      if (nameLength > 4096) return err(`the bundle holds a path of ${nameLength} bytes at ${at}`);
      const name = await input.exactly(nameLength);
      const sizeBytes = await input.exactly(8);
      if (name === undefined || sizeBytes === undefined) {
        return err(`the bundle is truncated at byte ${at}`);
      }
      let path: string;
      try {
        path = decoder.decode(name);
      } catch {
        return err(`a path in the bundle at byte ${at} is not UTF-8`);
      }
      const size = new DataView(sizeBytes.buffer, sizeBytes.byteOffset).getBigUint64(0);
      if (!isRelative(path)) return err(`the bundle holds a path that is not relative: "${path}"`);
      if (seen.has(path)) return err(`the bundle holds "${path}" twice`);
      seen.add(path);
      const want = expected[path];
      if (want === undefined) {
        return err(`the bundle holds "${path}", which the manifest does not list`);
      }
      if (BigInt(want.size) !== size) {
        return err(`the bundle holds "${path}" of ${size} bytes, the manifest says ${want.size}`);
      }
      const target = `${dir}/${path}`;
      await Deno.mkdir(target.slice(0, target.lastIndexOf("/")), { recursive: true });
      const file = await Deno.open(target, { write: true, createNew: true });
      const hash = createHash("sha256");
      try {
        const copied = await input.copy(want.size, async (chunk) => {
          hash.update(chunk);
          let written = 0;
          while (written < chunk.length) written += await file.write(chunk.subarray(written));
        });
        if (!copied) return err(`the bundle is truncated in "${path}"`);
      } finally {
        file.close();
      }
      if (hash.digest("hex") !== want.hash) {
        return err(`the bundle holds "${path}" not matching its hash in the manifest`);
      }
    }
    const listed = Object.keys(expected).length;
    if (seen.size !== listed) {
      return err(`the bundle holds ${seen.size} files, the manifest lists ${listed}`);
    }
    return ok(input.digest());
  } finally {
    await input.cancel();
  }
}

/** The stream a bundle was read from broke (the connection dropped): not the bundle's fault. */
export class StreamBroken extends Error {}

/** Reads exact byte counts off a stream, hashing everything that passes. */
class ByteReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #hash = createHash("sha256");
  readonly #moved = releaser();
  #buffer: Uint8Array = new Uint8Array();
  #done = false;
  /** Bytes taken off the front so far. */
  offset = 0;

  constructor(stream: ReadableStream<Uint8Array>) {
    this.#reader = stream.getReader();
  }

  /** Reads one more chunk into the buffer; `false` at the end of the stream. */
  async #more(): Promise<boolean> {
    if (this.#done) return false;
    let read;
    try {
      read = await this.#reader.read();
    } catch (e) {
      throw new StreamBroken(e instanceof Error ? e.message : String(e));
    }
    const { value, done } = read;
    if (done) {
      this.#done = true;
      return false;
    }
    this.#hash.update(value);
    this.#moved(value.length);
    this.#buffer = this.#buffer.length === 0 ? value : concat(this.#buffer, value);
    return true;
  }

  async atEnd(): Promise<boolean> {
    while (this.#buffer.length === 0) if (!(await this.#more())) return true;
    return false;
  }

  /** The next `n` (small) bytes, or `undefined` when the stream ends first. */
  async exactly(n: number): Promise<Uint8Array | undefined> {
    while (this.#buffer.length < n) if (!(await this.#more())) return undefined;
    const out = this.#buffer.subarray(0, n);
    this.#buffer = this.#buffer.subarray(n);
    this.offset += n;
    return out;
  }

  /** Hands the next `n` bytes to `sink` chunk by chunk; `false` when the stream ends first. */
  async copy(n: number, sink: (chunk: Uint8Array) => Promise<void>): Promise<boolean> {
    let left = n;
    while (left > 0) {
      if (this.#buffer.length === 0 && !(await this.#more())) return false;
      const part = this.#buffer.subarray(0, Math.min(left, this.#buffer.length));
      this.#buffer = this.#buffer.subarray(part.length);
      left -= part.length;
      this.offset += part.length;
      await sink(part);
    }
    return true;
  }

  /** SHA-256 and size of the whole stream (call at its end). */
  digest(): BundleDigest {
    return { hash: this.#hash.digest("hex") as Hash, size: this.offset };
  }

  async cancel(): Promise<void> {
    await this.#reader.cancel().catch(() => {});
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

function isRelative(p: string): boolean {
  return p.length > 0 && !p.startsWith("/") &&
    !p.split("/").some((s) => s === "" || s === "." || s === "..");
}
