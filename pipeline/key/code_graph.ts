/**
 * A stage's code fingerprint, from Deno's module graph: the code of every local module its
 * module loads at run time (transitively; modules imported only for their types are erased
 * before running and left out), the resolved versions of the npm packages it reaches, and the
 * Deno version. A module the stage does not import does not enter its fingerprint. TypeScript
 * and JavaScript modules count by their syntax ({@link ./token_hash.ts}), so comments and
 * formatting do not; other local modules (JSON, JSX, CommonJS) and remote ones by their bytes.
 *
 * Graphs are memoised ({@link ./code_memo.ts}) with the stamp of each graph file and of
 * `deno.json` / `deno.lock`: when none of these moved, the graph and hashes are reused without
 * spawning `deno info` ({@link ./deno_info.ts} reads its output). The syntax hash of each file is
 * memoised by its raw content hash, so TypeScript is loaded only for new content, and then in a
 * worker of its own that ends with the call.
 *
 * @module
 */
import { canonicalJson, type Hash, sha256 } from "../core/mod.ts";
import {
  emptyMemo,
  type Memo,
  type MemoEntry,
  type MemoFile,
  pruneSyntax,
  readMemo,
  writeMemo,
} from "./code_memo.ts";
import { parseDenoInfo } from "./deno_info.ts";
import { sameStamp, type Stamp, stampOf } from "./file_stamp.ts";
import {
  type ClosableTokenHasher,
  type SourceLanguage,
  TOKEN_FORMAT,
  type TokenHasher,
} from "./token_hash.ts";
import { loadWorkerTokenHasher } from "./token_hash_worker.ts";

/** The code part of a stage's fingerprint, with the detail it was computed from. */
export interface CodeFingerprint {
  /** SHA-256 over the canonical JSON of `{ files, npm, deno }`. */
  readonly hash: Hash;
  /**
   * Module path relative to the root (`/`-separated; remote modules by URL) → code hash: the
   * syntax hash of a local TypeScript or JavaScript module, the content hash of any other.
   */
  readonly files: Readonly<Record<string, Hash>>;
  /** npm package name → resolved version (several versions joined by `,`), transitively. */
  readonly npm: Readonly<Record<string, string>>;
  /** Deno version: the runtime and its built-in modules are code too. */
  readonly deno: string;
}

/** Runs `deno info --json <file>` in `cwd` and returns its standard output. */
export type InfoRunner = (file: string, cwd: string) => Promise<string>;

/** Options of {@linkcode codeFingerprint} and {@linkcode codeFingerprints}. */
export interface CodeGraphOptions {
  /** Project root: file paths in the fingerprint are relative to it; `deno info` runs in it. */
  readonly root: string;
  /** Memo file (e.g. from `defaultMemoFile`); no memo when absent. */
  readonly memoFile?: string;
  /** How `deno info` is run; injectable so tests can count calls. */
  readonly runInfo?: InfoRunner;
  /** At most this many `deno info` processes at once (default 4). */
  readonly concurrency?: number;
  /**
   * Loads the syntax hasher, on the first file whose syntax hash is not memoised (default:
   * {@linkcode loadWorkerTokenHasher}, TypeScript in a worker that is closed when the
   * fingerprints are done); injectable so tests can count loads.
   */
  readonly loadHasher?: () => Promise<TokenHasher | ClosableTokenHasher>;
}

/** A module graph could not be built (missing import, syntax error, `deno info` failing). */
export class CodeGraphError extends Error {
  /** The module URL whose graph failed, as passed to {@linkcode codeFingerprints}. */
  readonly module: string;
  /** What went wrong, one line. */
  readonly detail: string;
  /** Builds the error for one module. */
  constructor(module: string, detail: string) {
    super(`Cannot read the module graph of "${module}": ${detail}`);
    this.name = "CodeGraphError";
    this.module = module;
    this.detail = detail;
  }
}

/**
 * The code fingerprint of one module (see {@linkcode codeFingerprints}).
 *
 * @example
 * ```ts ignore
 * import { codeFingerprint } from "./code_graph.ts";
 * const fp = await codeFingerprint(new URL("../core/stage.ts", import.meta.url).href, { root: "." });
 * ```
 */
export async function codeFingerprint(
  moduleUrl: string,
  opts: CodeGraphOptions,
): Promise<CodeFingerprint> {
  const all = await codeFingerprints([moduleUrl], opts);
  return all.get(moduleUrl)!;
}

const CONFIG_FILES = ["deno.json", "deno.jsonc", "deno.lock", "package.json"];
/**
 * A file modified this close (ms) to when its hash was taken may be modified again within the
 * same mtime tick; such a hash is re-checked by content rather than trusted by stat (as git does).
 */
const RACY_MS = 2000;

/**
 * Code fingerprints of several modules: memo hits are checked by `stat` only; the others are
 * computed with `deno info` processes run in parallel, and the memo is updated once.
 * Throws {@linkcode CodeGraphError} when a graph cannot be built.
 *
 * @example
 * ```ts ignore
 * import { codeFingerprints } from "./code_graph.ts";
 * import { defaultMemoFile } from "./code_memo.ts";
 * const fps = await codeFingerprints([moduleA, moduleB], { root, memoFile: defaultMemoFile(root) });
 * fps.get(moduleA)!.hash;
 * ```
 */
export async function codeFingerprints(
  urls: readonly string[],
  opts: CodeGraphOptions,
): Promise<Map<string, CodeFingerprint>> {
  // deno info reports real, absolute paths; relate them to the real root.
  const root = await Deno.realPath(opts.root);
  const deno = Deno.version.deno;
  const tokens = await normaliserId();
  const memo = opts.memoFile
    ? await readMemo(opts.memoFile, root, deno, tokens)
    : emptyMemo(root, deno, tokens);
  const config = await configStamps(root);
  const result = new Map<string, CodeFingerprint>();
  const stale: string[] = [];
  let dirty = false;

  for (const url of new Set(urls)) {
    const entry = memo.entries[url];
    const reused = entry ? await revalidate(entry, config) : undefined;
    if (reused === undefined) {
      stale.push(url);
      continue;
    }
    if (reused.changed) dirty = true;
    result.set(url, await fingerprintOf(reused.entry, root, deno));
    memo.entries[url] = reused.entry;
  }

  const run = opts.runInfo ?? denoInfo;
  const codeHash = syntaxMemo(memo, opts.loadHasher ?? loadWorkerTokenHasher);
  try {
    await forEachLimited(stale, opts.concurrency ?? 4, async (url) => {
      const entry = await buildEntry(url, root, run, config, codeHash.hash);
      memo.entries[url] = entry;
      result.set(url, await fingerprintOf(entry, root, deno));
      dirty = true;
    });
  } finally {
    await codeHash.close();
  }

  if (stale.length > 0) {
    // `deno info` may itself write deno.lock (first run, new package): stamp the config files
    // as they are now, or the memo would never match again.
    const after = await configStamps(root);
    if (canonicalJson(after) !== canonicalJson(config)) {
      for (const url of result.keys()) memo.entries[url] = { ...memo.entries[url]!, config: after };
    }
  }
  if (opts.memoFile && dirty) await writeMemo(opts.memoFile, pruneSyntax(memo));
  return result;
}

/** Computes a file's code hash from its raw hash and bytes. */
type CodeHash = (raw: Hash, bytes: Uint8Array, mediaType: string | undefined) => Promise<Hash>;

/**
 * The code hash of a file, through the memo's syntax table; the hasher (and with it TypeScript)
 * is loaded on the first miss only, and `close()` lets a closable one go.
 */
function syntaxMemo(
  memo: Memo,
  load: () => Promise<TokenHasher | ClosableTokenHasher>,
): { hash: CodeHash; close(): Promise<void> } {
  let hasher: Promise<TokenHasher | ClosableTokenHasher> | undefined;
  return {
    hash: async (raw, bytes, mediaType) => {
      const language = languageOf(mediaType);
      if (language === undefined) return raw;
      const id = `${language}:${raw}`;
      const known = memo.syntax[id];
      if (known !== undefined) return known;
      hasher ??= load();
      const hash = await (await hasher)(new TextDecoder().decode(bytes), language);
      memo.syntax[id] = hash;
      return hash;
    },
    close: async () => {
      const h = await hasher?.catch(() => undefined);
      if (h !== undefined && "close" in h) h.close();
    },
  };
}

/**
 * Which modules are hashed by syntax: ES modules in TypeScript or JavaScript. JSX (its text is
 * content), CommonJS (`"use strict"` and friends work differently), declaration files and data
 * are hashed by bytes.
 */
function languageOf(mediaType: string | undefined): SourceLanguage | undefined {
  switch (mediaType) {
    case "TypeScript":
    case "Mts":
      return "ts";
    case "JavaScript":
    case "Mjs":
      return "js";
    default:
      return undefined;
  }
}

async function fingerprintOf(
  entry: MemoEntry,
  root: string,
  deno: string,
): Promise<CodeFingerprint> {
  const files: Record<string, Hash> = {};
  for (const f of Object.values(entry.files)) files[relative(root, f.path)] = f.code;
  for (const [spec, h] of Object.entries(entry.remote)) files[spec] = h;
  const npm = { ...entry.npm };
  const hash = await sha256(canonicalJson({ files, npm, deno }));
  return { hash, files, npm, deno };
}

/**
 * Checks a memo entry against the file system: `undefined` when the graph must be rebuilt
 * (a config stamp moved, or a module's content changed); otherwise the entry, with racy hashes
 * refreshed.
 */
async function revalidate(
  entry: MemoEntry,
  config: Record<string, Stamp | null>,
): Promise<{ entry: MemoEntry; changed: boolean } | undefined> {
  if (canonicalJson(entry.config) !== canonicalJson(config)) return undefined;
  let changed = false;
  const files: Record<string, MemoFile> = {};
  for (const [url, f] of Object.entries(entry.files)) {
    const stamp = await stampOf(f.path);
    if (stamp === null) return undefined;
    if (sameStamp(stamp, f.stamp) && f.hashedAt - stamp.mtime > RACY_MS) {
      files[url] = f;
      continue;
    }
    // The stat moved (or the hash was taken too soon after a write to trust it): compare content.
    // Same bytes ⇒ same imports, so the graph holds and only the stamp is refreshed; other
    // bytes ⇒ rebuild the graph (and take the syntax hash of the new content).
    const hashedAt = Date.now();
    const hash = await sha256(await Deno.readFile(f.path));
    if (hash !== f.hash) return undefined;
    files[url] = { ...f, stamp, hashedAt };
    changed = true;
  }
  return { entry: { ...entry, files }, changed };
}

async function buildEntry(
  url: string,
  root: string,
  run: InfoRunner,
  config: Record<string, Stamp | null>,
  codeHash: CodeHash,
): Promise<MemoEntry> {
  let target: string;
  try {
    target = url.startsWith("file:") ? decodeURIComponent(new URL(url).pathname) : url;
  } catch {
    throw new CodeGraphError(url, "not a valid module URL");
  }
  let output: string;
  try {
    output = await run(target, root);
  } catch (e) {
    throw new CodeGraphError(url, e instanceof CodeGraphError ? e.detail : (e as Error).message);
  }
  const graph = parseDenoInfo(output);
  if (!graph.ok) throw new CodeGraphError(url, graph.error);

  const files: Record<string, MemoFile> = {};
  const remote: Record<string, Hash> = {};
  for (const m of graph.value.local) {
    // Stamp before reading: if the file changes in between, the stamp is older than the
    // content and the next run re-hashes it rather than trusting a hash of other bytes.
    const stamp = await stampOf(m.path);
    if (stamp === null) throw new CodeGraphError(url, `module "${m.path}" vanished`);
    const hashedAt = Date.now();
    const bytes = await Deno.readFile(m.path);
    const hash = await sha256(bytes);
    const code = await codeHash(hash, bytes, m.mediaType);
    files[m.specifier] = { path: m.path, stamp, hash, code, hashedAt };
  }
  for (const m of graph.value.remote) {
    remote[m.specifier] = await sha256(await Deno.readFile(m.path));
  }
  return { files, remote, npm: { ...graph.value.npm }, config };
}

/** The default {@linkcode InfoRunner}: this Deno binary's `info --json`, as a subprocess. */
export async function denoInfo(file: string, cwd: string): Promise<string> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", file],
    cwd,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  if (!out.success) {
    const detail = new TextDecoder().decode(out.stderr).trim().split("\n")[0] ?? "";
    throw new CodeGraphError(file, `deno info exited with ${out.code}: ${detail}`);
  }
  return new TextDecoder().decode(out.stdout);
}

async function configStamps(root: string): Promise<Record<string, Stamp | null>> {
  const out: Record<string, Stamp | null> = {};
  for (const name of CONFIG_FILES) out[name] = await stampOf(`${root}/${name}`);
  return out;
}

/**
 * The memo's syntax hashes hold only for the normaliser that took them: its declared format and,
 * since a forgotten bump of that is easy, the bytes of its source.
 */
async function normaliserId(): Promise<string> {
  const source = new URL("./token_hash.ts", import.meta.url);
  if (source.protocol !== "file:") return TOKEN_FORMAT;
  return `${TOKEN_FORMAT} ${await sha256(await Deno.readFile(source))}`;
}

/** `path` relative to `root`, `/`-separated (with `..` when outside it). */
function relative(root: string, path: string): string {
  const a = root.split("/").filter(Boolean);
  const b = path.split("/").filter(Boolean);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return [...Array(a.length - i).fill(".."), ...b.slice(i)].join("/");
}

async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
