/**
 * A stage's code fingerprint, from Deno's module graph: the code of every local module its
 * module loads at run time (transitively; modules imported only for their types are erased
 * before running and left out), the resolved versions of the npm packages it reaches, and the
 * Deno version. A module the stage does not import does not enter its fingerprint. TypeScript
 * and JavaScript modules count by their syntax ({@link ./token_hash.ts}), so comments and
 * formatting do not; other local modules (JSON, JSX, CommonJS) and remote ones by their bytes.
 *
 * `deno info` is memoised in a JSON file keyed by module URL, holding each graph file's
 * size, mtime, ctime and inode and the stat of `deno.json` / `deno.lock`: when none of these
 * moved, the graph and hashes are reused without spawning anything. The syntax hash of each
 * file is memoised by its raw content hash, so TypeScript is loaded only for new content, and
 * then in a worker of its own that ends with the call.
 *
 * @module
 */
import {
  canonicalJson,
  codeGraphMemoFile,
  type Hash,
  isHash,
  psinvDir,
  sha256,
  tempName,
} from "../core/mod.ts";
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
  /** Memo file (e.g. from {@linkcode defaultMemoFile}); no memo when absent. */
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
 * Where the memo lives in a project's store folder.
 *
 * @example
 * ```ts
 * import { defaultMemoFile } from "./code_graph.ts";
 * defaultMemoFile("/p"); // "/p/.psinv/memo/code_graph.json"
 * ```
 */
export function defaultMemoFile(root: string): string {
  return codeGraphMemoFile(psinvDir(root));
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

/** Stat fields that must all match for a memoised hash to be trusted. */
interface Stamp {
  readonly size: number;
  readonly mtime: number;
  readonly ctime: number;
  readonly ino: number;
}

interface MemoFile {
  readonly path: string;
  readonly stamp: Stamp;
  /** Hash of the raw bytes: a change means the graph (its imports) may have changed. */
  readonly hash: Hash;
  /** The code hash that enters the fingerprint (the syntax hash for TS/JS, else `hash`). */
  readonly code: Hash;
  /** When the content was read (ms): a hash taken within {@link RACY_MS} of the mtime is not trusted. */
  readonly hashedAt: number;
}

interface MemoEntry {
  /** Every local module of the graph, with its absolute path for re-stat. */
  readonly files: Record<string, MemoFile>;
  /** Remote modules: specifier → content hash (immutable once cached). */
  readonly remote: Record<string, Hash>;
  readonly npm: Record<string, string>;
  /** Stamps of the config and lock files; `null` when absent. */
  readonly config: Record<string, Stamp | null>;
}

interface Memo {
  readonly format: number;
  /** {@linkcode TOKEN_FORMAT} and source hash of the normaliser the syntax hashes were taken with. */
  readonly tokens: string;
  readonly deno: string;
  readonly root: string;
  readonly entries: Record<string, MemoEntry>;
  /** `<language>:<raw content hash>` → syntax hash, so content seen before is never re-parsed. */
  readonly syntax: Record<string, Hash>;
}

const MEMO_FORMAT = 3;
/** At most this many syntax hashes of content no current graph holds are kept in the memo. */
const SYNTAX_MEMO_MAX = 1000;
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
 * import { codeFingerprints, defaultMemoFile } from "./code_graph.ts";
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

/** Keeps the syntax hashes current graphs use, and the newest others up to {@link SYNTAX_MEMO_MAX}. */
function pruneSyntax(memo: Memo): Memo {
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

interface InfoModule {
  readonly specifier: string;
  readonly kind?: string;
  readonly local?: string;
  readonly error?: string;
  readonly npmPackage?: string;
  /** `TypeScript`, `JavaScript`, `Mts`, `Json`, … */
  readonly mediaType?: string;
  /** `code` is set for imports that exist at run time; type-only imports have only `type`. */
  readonly dependencies?: readonly { readonly code?: { readonly specifier?: string } }[];
}

interface InfoJson {
  readonly roots?: readonly string[];
  readonly modules: readonly InfoModule[];
  readonly redirects?: Readonly<Record<string, string>>;
  readonly npmPackages?: Readonly<
    Record<
      string,
      { readonly name: string; readonly version: string; readonly dependencies?: readonly string[] }
    >
  >;
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
  let info: InfoJson;
  try {
    info = JSON.parse(await run(target, root)) as InfoJson;
  } catch (e) {
    throw new CodeGraphError(url, e instanceof CodeGraphError ? e.detail : (e as Error).message);
  }
  if (!Array.isArray(info.modules)) throw new CodeGraphError(url, "deno info gave no module list");

  for (const m of info.modules) {
    if (m.error !== undefined) throw new CodeGraphError(url, m.error);
  }
  const files: Record<string, MemoFile> = {};
  const remote: Record<string, Hash> = {};
  const npmRoots: string[] = [];
  for (const m of runtimeModules(info)) {
    if (m.kind === "npm" && m.npmPackage) {
      npmRoots.push(m.npmPackage);
    } else if (m.specifier.startsWith("file:") && m.local) {
      // Stamp before reading: if the file changes in between, the stamp is older than the
      // content and the next run re-hashes it rather than trusting a hash of other bytes.
      const stamp = await stampOf(m.local);
      if (stamp === null) throw new CodeGraphError(url, `module "${m.local}" vanished`);
      const hashedAt = Date.now();
      const bytes = await Deno.readFile(m.local);
      const hash = await sha256(bytes);
      const code = await codeHash(hash, bytes, m.mediaType);
      files[m.specifier] = { path: m.local, stamp, hash, code, hashedAt };
    } else if (m.local && m.kind !== "node") {
      remote[m.specifier] = await sha256(await Deno.readFile(m.local));
    }
  }
  return { files, remote, npm: npmClosure(npmRoots, info.npmPackages ?? {}), config };
}

/**
 * The modules the root loads at run time: reached through `code` edges only. A module imported
 * only for its types (`import type`) is erased before running, so editing it cannot change
 * what the stage computes and must not rerun it.
 */
function runtimeModules(info: InfoJson): InfoModule[] {
  const bySpecifier = new Map(info.modules.map((m) => [m.specifier, m]));
  const redirects = info.redirects ?? {};
  const resolve = (s: string): string => {
    for (let i = 0; i < 10 && redirects[s] !== undefined; i++) s = redirects[s]!;
    return s;
  };
  const roots = info.roots ?? [];
  if (roots.length === 0) return [...info.modules];
  const seen = new Set<string>();
  const stack = roots.map(resolve);
  while (stack.length > 0) {
    const spec = stack.pop()!;
    if (seen.has(spec)) continue;
    seen.add(spec);
    for (const d of bySpecifier.get(spec)?.dependencies ?? []) {
      if (d.code?.specifier !== undefined) stack.push(resolve(d.code.specifier));
    }
  }
  return info.modules.filter((m) => seen.has(m.specifier));
}

/** Name → version of every npm package reachable from the graph's npm imports. */
function npmClosure(rootIds: readonly string[], packages: NonNullable<InfoJson["npmPackages"]>) {
  const seen = new Set<string>();
  const versions = new Map<string, Set<string>>();
  const stack = [...rootIds];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const pkg = packages[id];
    if (!pkg) {
      // Not in the package table: keep the id itself so the fingerprint still names it.
      const at = id.lastIndexOf("@");
      const name = at > 0 ? id.slice(0, at) : id;
      addVersion(versions, name, at > 0 ? id.slice(at + 1) : "?");
      continue;
    }
    addVersion(versions, pkg.name, pkg.version);
    stack.push(...(pkg.dependencies ?? []));
  }
  const npm: Record<string, string> = {};
  for (const name of [...versions.keys()].sort()) {
    npm[name] = [...versions.get(name)!].sort().join(",");
  }
  return npm;
}

function addVersion(versions: Map<string, Set<string>>, name: string, version: string): void {
  const set = versions.get(name) ?? new Set<string>();
  set.add(version);
  versions.set(name, set);
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

async function stampOf(path: string): Promise<Stamp | null> {
  try {
    const s = await Deno.stat(path);
    return {
      size: s.size,
      mtime: s.mtime?.getTime() ?? 0,
      ctime: s.ctime?.getTime() ?? 0,
      ino: s.ino ?? 0,
    };
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
}

function sameStamp(a: Stamp, b: Stamp): boolean {
  return a.size === b.size && a.mtime === b.mtime && a.ctime === b.ctime && a.ino === b.ino;
}

function emptyMemo(root: string, deno: string, tokens: string): Memo {
  return { format: MEMO_FORMAT, tokens, deno, root, entries: {}, syntax: {} };
}

/**
 * The memo's syntax hashes hold only for the normaliser that took them: its declared format and,
 * since a forgotten bump of that is easy, the bytes of its source (read here; well under 1 ms).
 */
async function normaliserId(): Promise<string> {
  const source = new URL("./token_hash.ts", import.meta.url);
  if (source.protocol !== "file:") return TOKEN_FORMAT;
  return `${TOKEN_FORMAT} ${await sha256(await Deno.readFile(source))}`;
}

/** Reads the memo; anything unexpected (absent, garbled, other Deno or root) starts afresh. */
async function readMemo(file: string, root: string, deno: string, tokens: string): Promise<Memo> {
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
async function writeMemo(file: string, memo: Memo): Promise<void> {
  const dir = file.slice(0, file.lastIndexOf("/"));
  await Deno.mkdir(dir, { recursive: true });
  const tmp = tempName(file);
  await Deno.writeTextFile(tmp, JSON.stringify(memo));
  await Deno.rename(tmp, file);
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
