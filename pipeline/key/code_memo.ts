/**
 * The code memo: what {@link ./code_graph.ts} learnt from `deno info` and from hashing files,
 * kept in one JSON file per project so an unchanged graph is reused without spawning anything.
 * Entries are keyed by module URL; syntax hashes by raw content hash.
 *
 * @module
 */
import { codeGraphMemoFile, type Hash, isHash, psinvDir, tempName } from "../core/mod.ts";
import type { Stamp } from "./file_stamp.ts";

/** One local module of a memoised graph. */
export interface MemoFile {
  /** Absolute path, for re-stat. */
  readonly path: string;
  /** The file's stamp when it was hashed. */
  readonly stamp: Stamp;
  /** Hash of the raw bytes: a change means the graph (its imports) may have changed. */
  readonly hash: Hash;
  /** The code hash that enters the fingerprint (the syntax hash for TS/JS, else `hash`). */
  readonly code: Hash;
  /** When the content was read (ms): a hash taken too close to the mtime is not trusted. */
  readonly hashedAt: number;
}

/** The memoised graph of one module. */
export interface MemoEntry {
  /** Every local module of the graph, by URL. */
  readonly files: Record<string, MemoFile>;
  /** Remote modules: specifier → content hash (immutable once cached). */
  readonly remote: Record<string, Hash>;
  /** npm package name → resolved version(s), as in the fingerprint. */
  readonly npm: Record<string, string>;
  /** Stamps of the config and lock files; `null` when absent. */
  readonly config: Record<string, Stamp | null>;
}

/** The whole memo file; valid only for the Deno, normaliser and root it names. */
export interface Memo {
  /** The layout version it was written with ({@link MEMO_FORMAT}). */
  readonly format: number;
  /** `TOKEN_FORMAT` and source hash of the normaliser the syntax hashes were taken with. */
  readonly tokens: string;
  /** The Deno version the graphs were read with. */
  readonly deno: string;
  /** The real project root the paths belong to. */
  readonly root: string;
  /** Module URL → its memoised graph. */
  readonly entries: Record<string, MemoEntry>;
  /** `<language>:<raw content hash>` → syntax hash, so content seen before is never re-parsed. */
  readonly syntax: Record<string, Hash>;
}

/** The memo layout's version; a memo of another format is discarded. */
const MEMO_FORMAT = 3;
/** At most this many syntax hashes of content no current graph holds are kept in the memo. */
const SYNTAX_MEMO_MAX = 1000;

/**
 * Where the memo lives in a project's store folder.
 *
 * @example
 * ```ts
 * import { defaultMemoFile } from "./code_memo.ts";
 * defaultMemoFile("/p"); // "/p/.psinv/memo/code_graph.json"
 * ```
 */
export function defaultMemoFile(root: string): string {
  return codeGraphMemoFile(psinvDir(root));
}

/** A memo with nothing in it, for the given root, Deno version and normaliser. */
export function emptyMemo(root: string, deno: string, tokens: string): Memo {
  return { format: MEMO_FORMAT, tokens, deno, root, entries: {}, syntax: {} };
}

/**
 * Reads the memo; anything unexpected (absent, garbled, other Deno or root) starts afresh.
 *
 * @example
 * ```ts ignore
 * import { defaultMemoFile, readMemo } from "./code_memo.ts";
 * const memo = await readMemo(defaultMemoFile(root), root, Deno.version.deno, tokens);
 * ```
 */
export async function readMemo(
  file: string,
  root: string,
  deno: string,
  tokens: string,
): Promise<Memo> {
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return emptyMemo(root, deno, tokens);
    throw e;
  }
  try {
    const memo = JSON.parse(text) as Memo;
    if (
      memo.format !== MEMO_FORMAT || memo.tokens !== tokens || memo.deno !== deno ||
      memo.root !== root || typeof memo.entries !== "object" || memo.entries === null ||
      !Object.values(memo.entries).every(validEntry) || typeof memo.syntax !== "object" ||
      memo.syntax === null || !Object.values(memo.syntax).every(isHash)
    ) return emptyMemo(root, deno, tokens);
    return memo;
  } catch {
    // A memo is only a cache of things we can recompute: a garbled one is simply discarded.
    return emptyMemo(root, deno, tokens);
  }
}

function validEntry(e: MemoEntry): boolean {
  return typeof e === "object" && e !== null && typeof e.files === "object" &&
    typeof e.remote === "object" && typeof e.npm === "object" && typeof e.config === "object" &&
    Object.values(e.files).every((f) =>
      typeof f.path === "string" && isHash(f.hash) && isHash(f.code) && !!f.stamp &&
      typeof f.hashedAt === "number"
    );
}

/** Writes the memo atomically (temp file + rename) so a reader never sees half of it. */
export async function writeMemo(file: string, memo: Memo): Promise<void> {
  const dir = file.slice(0, file.lastIndexOf("/"));
  await Deno.mkdir(dir, { recursive: true });
  const tmp = tempName(file);
  await Deno.writeTextFile(tmp, JSON.stringify(memo));
  await Deno.rename(tmp, file);
}

/** Keeps the syntax hashes current graphs use, and the newest others up to {@link SYNTAX_MEMO_MAX}. */
export function pruneSyntax(memo: Memo): Memo {
  const used = new Set<string>();
  for (const entry of Object.values(memo.entries)) {
    for (const f of Object.values(entry.files)) {
      if (f.code !== f.hash) used.add(f.code);
    }
  }
  const ids = Object.keys(memo.syntax);
  const others = ids.filter((id) => !used.has(memo.syntax[id]!));
  const drop = new Set(others.slice(0, Math.max(0, others.length - SYNTAX_MEMO_MAX)));
  if (drop.size === 0) return memo;
  const syntax: Record<string, Hash> = {};
  for (const id of ids) if (!drop.has(id)) syntax[id] = memo.syntax[id]!;
  return { ...memo, syntax };
}
