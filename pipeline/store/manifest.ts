/**
 * The record of one stored result: which fingerprint produced it and the hash of every file.
 * It is written last into an entry, so an entry without a valid manifest is never complete.
 *
 * @module
 */
import { z } from "zod";
import { type CodeFingerprint, ENGINE_FORMAT, type Fingerprint } from "../key/mod.ts";
import {
  canonicalJson,
  err,
  type Hash,
  isHash,
  ok,
  type RanOn,
  type Result,
  sha256,
} from "../core/mod.ts";

/** One output file as stored: its hash and size (size lets a truncation be named cheaply). */
export interface FileRecord {
  readonly hash: Hash;
  readonly size: number;
}

/** The manifest of one store entry (`manifest.json`). */
export interface Manifest {
  /** {@linkcode ENGINE_FORMAT} of the engine that wrote it. */
  readonly format: number;
  /** The stage key, equal to the entry's folder name. */
  readonly key: Hash;
  /** Id of the stage that first produced it (another stage with the same fingerprint may reuse it). */
  readonly stage: string;
  /** What the key was computed from, kept so `status` can say what changed since. */
  readonly fingerprint: Fingerprint;
  /** Output path (relative, `/`-separated) → hash and size. */
  readonly files: Readonly<Record<string, FileRecord>>;
  /** {@linkcode contentHash} of `files`: what downstream stages see as this input's hash. */
  readonly content: Hash;
  /** How long the stage ran, in seconds. */
  readonly seconds: number;
  /** When the result was produced (ISO 8601); informational, never part of a key. */
  readonly created: string;
  /** Per-file code hashes, kept to name edited modules in `status`; not part of the key. */
  readonly code?: CodeFingerprint;
  /** Where it ran (executor, host, job), for its provenance; not part of the key. */
  readonly ran?: RanOn;
  /**
   * The stored result it continued (a stage with progress), and the progress value of the state
   * it started from; absent when it started from the beginning. Not part of the key: a continued
   * result is the same bytes as one computed from the start.
   */
  readonly resumed?: Resumed;
}

/** Where a continued result started: the result it continued and the progress of that state. */
export interface Resumed {
  readonly key: Hash;
  readonly progress: number;
}

const hash = z.string().refine(isHash, "expected a 64-digit lowercase hex SHA-256");
const relPath = z.string().min(1).refine(
  (p) => !p.startsWith("/") && !p.split("/").some((s) => s === ".." || s === "." || s === ""),
  "expected a relative path without '.' or '..' segments",
);

const manifestSchema = z.strictObject({
  format: z.number().int(),
  key: hash,
  stage: z.string().min(1),
  fingerprint: z.strictObject({
    format: z.number().int(),
    params: z.record(z.string(), z.unknown()),
    inputs: z.record(z.string(), hash),
    code: hash,
    version: z.number(),
  }),
  files: z.record(relPath, z.strictObject({ hash, size: z.number().int().nonnegative() })),
  content: hash,
  seconds: z.number().nonnegative(),
  created: z.string(),
  code: z.strictObject({
    hash,
    files: z.record(z.string(), hash),
    npm: z.record(z.string(), z.string()),
    deno: z.string(),
  }).optional(),
  ran: z.strictObject({
    executor: z.string(),
    host: z.string(),
    job: z.string().optional(),
  }).optional(),
  resumed: z.strictObject({ key: hash, progress: z.number().nonnegative() }).optional(),
});

/**
 * Hash of a result's content: SHA-256 over the canonical JSON of path → file hash. Sizes and
 * timestamps stay out, so identical bytes under identical names always hash the same.
 *
 * @example
 * ```ts
 * import { contentHash } from "./manifest.ts";
 * import { sha256 } from "../core/hash.ts";
 * const h = await sha256("x,y\n");
 * const a = await contentHash({ "a.csv": { hash: h, size: 4 }, "b.csv": { hash: h, size: 4 } });
 * const b = await contentHash({ "b.csv": { hash: h, size: 4 }, "a.csv": { hash: h, size: 4 } });
 * a === b; // true
 * ```
 */
export async function contentHash(files: Readonly<Record<string, FileRecord>>): Promise<Hash> {
  const byPath: Record<string, Hash> = {};
  for (const [path, rec] of Object.entries(files)) byPath[path] = rec.hash;
  return await sha256(canonicalJson(byPath));
}

/**
 * Parses and checks a manifest's text: shape, engine format, and that `content` agrees with
 * `files`; `expectedKey`, when given, must equal `key`. An error string names what is wrong.
 *
 * @example
 * ```ts
 * import { parseManifest } from "./manifest.ts";
 * const r = await parseManifest("{");
 * r.ok; // false
 * ```
 */
export async function parseManifest(
  text: string,
  expectedKey?: Hash,
): Promise<Result<Manifest, string>> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return err(`manifest is not valid JSON: ${(e as Error).message}`);
  }
  const parsed = manifestSchema.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return err(
      `manifest does not fit its schema at "${issue?.path.join(".") ?? ""}": ${issue?.message}`,
    );
  }
  const m = parsed.data as Manifest;
  // An older format's entry is laid out alike and stays readable: `status` then reports its
  // format as what changed, and nothing can hit it, since keys include the format.
  if (m.format < 1 || m.format > ENGINE_FORMAT) {
    return err(`manifest format is ${m.format}, this engine reads formats 1 to ${ENGINE_FORMAT}`);
  }
  if (expectedKey !== undefined && m.key !== expectedKey) {
    return err(`manifest key "${m.key}" does not match its entry "${expectedKey}"`);
  }
  if (await contentHash(m.files) !== m.content) {
    return err("manifest content hash does not match its file list");
  }
  return ok(m);
}

/** Serialises a manifest as stable, human-readable JSON (sorted keys, two-space indent). */
export function formatManifest(m: Manifest): string {
  return JSON.stringify(JSON.parse(canonicalJson(m)), null, 2) + "\n";
}
