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
 * @module
 */
import { err, ok, type Result } from "../core/mod.ts";

/** One file in a bundle. */
export interface BundleFile {
  /** Relative, `/`-separated path. */
  readonly path: string;
  readonly bytes: Uint8Array;
}

const MAGIC = new TextEncoder().encode("psinv-bundle/1\n");

/**
 * Packs files into one bundle, in path order whatever the order given.
 *
 * @example
 * ```ts
 * import { packBundle, unpackBundle } from "./bundle.ts";
 * const b = packBundle([{ path: "a.txt", bytes: new TextEncoder().encode("hi") }]);
 * const r = unpackBundle(b);
 * r.ok && r.value[0]!.path; // "a.txt"
 * ```
 */
export function packBundle(files: readonly BundleFile[]): Uint8Array<ArrayBuffer> {
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const encoder = new TextEncoder();
  const names = sorted.map((f) => encoder.encode(f.path));
  let size = MAGIC.length;
  sorted.forEach((f, i) => (size += 4 + names[i]!.length + 8 + f.bytes.length));
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  let at = MAGIC.length;
  sorted.forEach((f, i) => {
    view.setUint32(at, names[i]!.length);
    out.set(names[i]!, at + 4);
    at += 4 + names[i]!.length;
    view.setBigUint64(at, BigInt(f.bytes.length));
    out.set(f.bytes, at + 8);
    at += 8 + f.bytes.length;
  });
  return out;
}

/**
 * The files of a bundle, or what is wrong with it (bad header, truncation, trailing bytes, a
 * path repeated or not relative).
 *
 * @example
 * ```ts
 * import { unpackBundle } from "./bundle.ts";
 * unpackBundle(new Uint8Array([1, 2, 3])).ok; // false
 * ```
 */
export function unpackBundle(bundle: Uint8Array): Result<BundleFile[], string> {
  if (
    bundle.length < MAGIC.length || !MAGIC.every((b, i) => bundle[i] === b)
  ) {
    return err("the bundle does not start with its format header");
  }
  const view = new DataView(bundle.buffer, bundle.byteOffset, bundle.byteLength);
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const files: BundleFile[] = [];
  const seen = new Set<string>();
  let at = MAGIC.length;
  while (at < bundle.length) {
    if (at + 4 > bundle.length) return err(`the bundle is truncated at byte ${at}`);
    const nameLength = view.getUint32(at);
    if (at + 4 + nameLength + 8 > bundle.length) {
      return err(`the bundle is truncated at byte ${at}`);
    }
    let path: string;
    try {
      path = decoder.decode(bundle.subarray(at + 4, at + 4 + nameLength));
    } catch {
      return err(`a path in the bundle at byte ${at} is not UTF-8`);
    }
    at += 4 + nameLength;
    const size = view.getBigUint64(at);
    at += 8;
    if (size > BigInt(bundle.length - at)) return err(`the bundle is truncated in "${path}"`);
    if (!isRelative(path)) return err(`the bundle holds a path that is not relative: "${path}"`);
    if (seen.has(path)) return err(`the bundle holds "${path}" twice`);
    seen.add(path);
    files.push({ path, bytes: bundle.subarray(at, at + Number(size)) });
    at += Number(size);
  }
  return ok(files);
}

function isRelative(p: string): boolean {
  return p.length > 0 && !p.startsWith("/") &&
    !p.split("/").some((s) => s === "" || s === "." || s === "..");
}
