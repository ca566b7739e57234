/**
 * What makes one run of a stage distinct from another: the fingerprint, its key, and the
 * explanation of why two fingerprints differ (for `status`).
 *
 * @module
 */
import { canonicalJson, type Change, type Hash, sha256 } from "../core/mod.ts";

/**
 * Version of the engine's key and store layout. Bumped when the way keys are computed or
 * entries are laid out changes, so old entries stop matching instead of being misread.
 */
export const ENGINE_FORMAT = 2;

/**
 * Everything a stage's outputs may depend on, and nothing else: no mtimes, no absolute paths,
 * no time of day, not even the stage id (two stages doing exactly the same work share a key).
 */
export interface Fingerprint {
  /** {@linkcode ENGINE_FORMAT}: a new engine must not trust keys computed by the rules of an old one. */
  readonly format: number;
  /**
   * Dotted parameter path → value, for exactly the parameters the stage declares. Hashed because
   * they are the stage's arguments; keyed by path, not local name, so `status` can name the field
   * the user edits; undeclared parameters are absent so editing them reruns nothing.
   */
  readonly params: Readonly<Record<string, unknown>>;
  /**
   * Input name → content hash of that input stage's outputs. Hashed by content, not by the
   * upstream key, so an upstream rerun that writes identical bytes does not rerun this stage.
   */
  readonly inputs: Readonly<Record<string, Hash>>;
  /**
   * Hash of the stage's code: its module, the local modules it imports, the resolved npm
   * versions and the Deno version (see `code_graph.ts`). Code is what turns inputs into outputs.
   */
  readonly code: Hash;
  /** The author's `version` (0 when absent): a way to invalidate results without editing code. */
  readonly version: number;
}

/**
 * The stage key: SHA-256 of the fingerprint's canonical JSON.
 *
 * @example
 * ```ts
 * import { ENGINE_FORMAT, stageKey } from "./fingerprint.ts";
 * import { sha256 } from "../core/hash.ts";
 * const code = await sha256("export const run = () => {};");
 * const a = await stageKey({ format: ENGINE_FORMAT, params: { x: 1, y: 2 }, inputs: {}, code, version: 0 });
 * const b = await stageKey({ format: ENGINE_FORMAT, params: { y: 2, x: 1 }, inputs: {}, code, version: 0 });
 * a === b; // true
 * ```
 */
export async function stageKey(fp: Fingerprint): Promise<Hash> {
  return await sha256(canonicalJson(fp));
}

/** Per-file code hashes of both sides, to name the edited modules in a `code` change. */
export interface CodeFiles {
  /** File → hash as recorded with the old result. */
  readonly before?: Readonly<Record<string, Hash>>;
  /** File → hash of the current code. */
  readonly after?: Readonly<Record<string, Hash>>;
}

/**
 * Lists why `now` differs from `old`, in a stable order (format, params, inputs, code, version);
 * empty when they produce the same key.
 *
 * @example
 * ```ts
 * import { diffFingerprints, ENGINE_FORMAT } from "./fingerprint.ts";
 * import { sha256 } from "../core/hash.ts";
 * const code = await sha256("code");
 * const old = { format: ENGINE_FORMAT, params: { "configs.a.lambda": 1 }, inputs: {}, code, version: 0 };
 * const now = { ...old, params: { "configs.a.lambda": 10 } };
 * diffFingerprints(old, now);
 * // [{ kind: "param", path: "configs.a.lambda", before: 1, after: 10 }]
 * ```
 */
export function diffFingerprints(old: Fingerprint, now: Fingerprint, code?: CodeFiles): Change[] {
  const changes: Change[] = [];
  if (old.format !== now.format) {
    changes.push({ kind: "format", before: old.format, after: now.format });
  }
  for (const path of unionKeys(old.params, now.params)) {
    diffValue(path, own(old.params, path), own(now.params, path), changes);
  }
  for (const name of unionKeys(old.inputs, now.inputs)) {
    const before = own(old.inputs, name), after = own(now.inputs, name);
    if (before !== after) changes.push({ kind: "input", name, before, after });
  }
  if (old.code !== now.code) {
    const files = code?.before && code.after
      ? unionKeys(code.before, code.after).filter((f) =>
        own(code.before!, f) !== own(code.after!, f)
      )
      : [];
    changes.push({ kind: "code", files });
  }
  if (old.version !== now.version) {
    changes.push({ kind: "version", before: old.version, after: now.version });
  }
  return changes;
}

function diffValue(path: string, before: unknown, after: unknown, out: Change[]): void {
  if (isPlainObject(before) && isPlainObject(after)) {
    for (const k of unionKeys(before, after)) {
      diffValue(`${path}.${k}`, own(before, k), own(after, k), out);
    }
    return;
  }
  if (same(before, after)) return;
  out.push({ kind: "param", path, before, after });
}

function same(a: unknown, b: unknown): boolean {
  if (a === undefined || b === undefined) return a === b;
  try {
    return canonicalJson(a) === canonicalJson(b);
  } catch {
    return Object.is(a, b);
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function own<T>(rec: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(rec, key) ? rec[key] : undefined;
}

function unionKeys(a: object, b: object): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
}
