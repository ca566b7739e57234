/**
 * The content-addressed store under `<root>/.psinv/`: every result ever produced, keyed by its
 * stage key, verified by hash before each use.
 *
 * Layout:
 * - `store/<key[0..2]>/<key>/manifest.json` and `…/out/<outputs>`: complete entries only;
 * - `tmp/<pid>-<start>-<random>/out/`: scratch folders of running stages (swept once their
 *   process is gone);
 * - `index/<encoded stage id>.json`: keys each stage id produced or reused, newest last;
 * - `corrupt/<key>-<time>/`: entries found damaged, moved aside so they are recomputed.
 *
 * An entry enters `store/` by one atomic rename of a folder whose files and manifest are already
 * written and synced, so a run killed at any moment leaves nothing there that looks complete.
 *
 * @module
 */
import {
  err,
  type Failure,
  type Hash,
  type IoFailed,
  isHash,
  ok,
  type Result,
  sha256,
} from "../core/mod.ts";
import { type CodeFingerprint, ENGINE_FORMAT, type Fingerprint } from "../key/mod.ts";
import { isProcessAlive, startOf } from "./lock.ts";
import { readTextIfPresent, statIfPresent } from "./read_if_present.ts";
import {
  contentHash,
  type FileRecord,
  formatManifest,
  type Manifest,
  parseManifest,
} from "./manifest.ts";

/** What {@linkcode Store.put} stores. */
export interface PutOptions {
  /** Id of the stage that produced the result. */
  readonly stage: string;
  /** The fingerprint the key was computed from. */
  readonly fingerprint: Fingerprint;
  /** The stage key (`stageKey(fingerprint)`). */
  readonly key: Hash;
  /** The scratch folder (from {@linkcode Store.scratch}) the stage wrote its outputs into. */
  readonly dir: string;
  /** Declared outputs, relative paths; anything else in `dir` is dropped. */
  readonly outputs: readonly string[];
  /** How long the stage ran. */
  readonly seconds: number;
  /** When it ran (ISO 8601), passed in so the engine stays clock-free. */
  readonly created: string;
  /** The per-file code fingerprint, kept to explain later code changes. */
  readonly code?: CodeFingerprint;
}

/** The answer of {@linkcode Store.get}. */
export type GetResult =
  /** A verified entry; `dir` is the folder holding its outputs (read only). */
  | { readonly kind: "hit"; readonly manifest: Manifest; readonly dir: string }
  /** No entry for this key. */
  | { readonly kind: "miss" }
  /** The entry was damaged; it has been moved aside and must be recomputed. */
  | { readonly kind: "corrupt"; readonly detail: string };

/** One damaged entry found by {@linkcode Store.verify}. */
export interface Damage {
  readonly key: string;
  /** Stage id from the manifest or index; `"?"` when neither names it. */
  readonly stage: string;
  readonly detail: string;
}

/** Options of {@linkcode Store.gc}. */
export interface GcOptions {
  /** Keys reachable from the current parameters: always kept. */
  readonly live: ReadonlySet<Hash>;
  /** Also keep the newest this-many keys of each stage id (a run-cache for going back). */
  readonly keepLast: number;
}

/** The content-addressed store of one project. */
export interface Store {
  /** The project root. */
  readonly root: string;
  /** `<root>/.psinv`. */
  readonly dir: string;
  /** A fresh, private, empty folder on the store's file system for a stage to write into. */
  scratch(): Promise<string>;
  /** Removes a scratch folder that will not be committed (its stage failed). */
  discard(dir: string): Promise<void>;
  /**
   * Commits a scratch folder as the entry for `key`: checks each declared output exists
   * (else `output-missing`), hashes and syncs the files, writes the manifest last and renames
   * the folder into place. If a valid entry for `key` already exists it is kept and ours dropped.
   * Records the key in the stage's history.
   */
  put(opts: PutOptions): Promise<Result<Manifest, Failure>>;
  /**
   * Looks up and verifies an entry (manifest, and every file's size and SHA-256). A damaged
   * entry is quarantined and reported as `corrupt`, never served. Only a genuinely absent entry
   * is a `miss`; other I/O errors throw {@linkcode StoreIoError}.
   */
  get(key: Hash): Promise<GetResult>;
  /** Marks `key` as the newest result of `stage` (call it when a cached entry is reused). */
  record(stage: string, key: Hash): Promise<void>;
  /** The newest present entry of a stage id, by its history; manifest checked, files not hashed. */
  latest(stage: string): Promise<Manifest | undefined>;
  /** The present entries of a stage id, oldest first. */
  history(stage: string): Promise<Manifest[]>;
  /** Re-hashes every entry; damaged ones are quarantined and listed. */
  verify(): Promise<{ checked: number; damaged: Damage[] }>;
  /**
   * Removes entries neither live nor among the newest `keepLast` of their stage, quarantined
   * entries, and scratch folders of dead processes.
   */
  gc(opts: GcOptions): Promise<{ removed: number; freedBytes: number }>;
  /** Number of entries and bytes they hold. */
  size(): Promise<{ entries: number; bytes: number }>;
  /** Removes scratch folders left by processes that are no longer running; returns how many. */
  sweep(): Promise<number>;
}

/** An unexpected file-system error inside the store (not a miss, not damage). */
export class StoreIoError extends Error {
  /** The failure to report. */
  readonly failure: IoFailed;
  /** Wraps an error met at `path`. */
  constructor(path: string, cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(`Store I/O failed at "${path}": ${detail}`, { cause });
    this.name = "StoreIoError";
    this.failure = {
      reason: "io-failed",
      path,
      detail,
      hint: "check free disk space and permissions of the .psinv folder",
    };
  }
}

/**
 * Opens (creating if needed) the store of the project at `root`.
 *
 * @example
 * ```ts
 * import { openStore } from "./store.ts";
 * const root = await Deno.makeTempDir();
 * const store = await openStore(root);
 * (await store.size()).entries; // 0
 * await Deno.remove(root, { recursive: true });
 * ```
 */
export async function openStore(root: string): Promise<Store> {
  const store = new FsStore(root);
  for (const sub of ["store", "tmp", "index", "corrupt"]) {
    await io(`${store.dir}/${sub}`, () => Deno.mkdir(`${store.dir}/${sub}`, { recursive: true }));
  }
  return store;
}

const INDEX_CAP = 1000;

class FsStore implements Store {
  readonly root: string;
  readonly dir: string;
  readonly #indexQueues = new Map<string, Promise<void>>();
  #start: number | undefined;

  constructor(root: string) {
    this.root = root.length > 1 ? root.replace(/\/+$/, "") : root;
    this.dir = `${this.root}/.psinv`;
  }

  #entry(key: string): string {
    return `${this.dir}/store/${key.slice(0, 2)}/${key}`;
  }

  #tmpName(tag = ""): string {
    // pid and start time name the owner, so sweep() can tell a dead run's leftovers.
    this.#start ??= startOf(Deno.pid) ?? 0;
    return `${this.dir}/tmp/${Deno.pid}-${this.#start}-${tag}${crypto.randomUUID().slice(0, 8)}`;
  }

  async scratch(): Promise<string> {
    const out = `${this.#tmpName()}/out`;
    await io(out, () => Deno.mkdir(out, { recursive: true }));
    return out;
  }

  async discard(dir: string): Promise<void> {
    const owner = this.#scratchOwner(dir);
    if (owner === undefined) return;
    await removeTree(owner);
  }

  /** The tmp folder a scratch `out/` belongs to, if `dir` is one of ours. */
  #scratchOwner(dir: string): string | undefined {
    const clean = dir.replace(/\/+$/, "");
    if (!clean.endsWith("/out")) return undefined;
    const parent = clean.slice(0, -4);
    const tmp = `${this.dir}/tmp/`;
    return parent.startsWith(tmp) && !parent.slice(tmp.length).includes("/") ? parent : undefined;
  }

  async put(opts: PutOptions): Promise<Result<Manifest, Failure>> {
    if (!isHash(opts.key)) {
      return err(ioError(opts.dir, `"${opts.key}" is not a stage key`));
    }
    for (const out of opts.outputs) {
      if (!isRelative(out)) {
        return err(ioError(opts.dir, `output "${out}" is not a relative path inside the folder`));
      }
    }
    let owner = this.#scratchOwner(opts.dir);
    try {
      for (const out of opts.outputs) {
        const info = statIfPresent(`${opts.dir}/${out}`);
        if (info === undefined || !info.isFile) {
          if (owner !== undefined) await removeTree(owner);
          return err({ reason: "output-missing", stage: opts.stage, file: out });
        }
      }
      if (owner === undefined) {
        // Not one of our scratch folders: copy the outputs into one, leaving the caller's intact.
        const out = await this.scratch();
        owner = this.#scratchOwner(out)!;
        for (const f of opts.outputs) {
          await ensureParent(`${out}/${f}`);
          await Deno.copyFile(`${opts.dir}/${f}`, `${out}/${f}`);
        }
      }
      const outDir = `${owner}/out`;
      await pruneUndeclared(outDir, new Set(opts.outputs));

      const files: Record<string, FileRecord> = {};
      for (const f of [...opts.outputs].sort()) {
        const path = `${outDir}/${f}`;
        const bytes = await Deno.readFile(path);
        if ((await Deno.lstat(path)).isSymlink) {
          // Store the bytes, not a link to a file outside the store that may change later.
          await Deno.remove(path);
          await Deno.writeFile(path, bytes);
        }
        files[f] = { hash: await sha256(bytes), size: bytes.byteLength };
        await syncPath(path);
      }
      const manifest: Manifest = {
        format: ENGINE_FORMAT,
        key: opts.key,
        stage: opts.stage,
        fingerprint: opts.fingerprint,
        files,
        content: await contentHash(files),
        // A clock stepping back must not make a manifest that fails its own schema.
        seconds: Number.isFinite(opts.seconds) ? Math.max(0, opts.seconds) : 0,
        created: opts.created,
        ...(opts.code ? { code: opts.code } : {}),
      };
      for (const d of subdirs(opts.outputs)) await syncPath(`${outDir}/${d}`);
      await syncPath(outDir);
      const text = formatManifest(manifest);
      // Never commit an entry that get() would then call corrupt (and recompute forever).
      const readable = await parseManifest(text, opts.key);
      if (!readable.ok) {
        await removeTree(owner);
        return err(
          ioError(this.#entry(opts.key), `refusing to store a bad manifest: ${readable.error}`),
        );
      }
      // The manifest goes last: an entry is complete exactly when its manifest is there.
      await writeSynced(`${owner}/manifest.json`, text);
      await syncPath(owner);

      const final = this.#entry(opts.key);
      const shard = final.slice(0, final.lastIndexOf("/"));
      await Deno.mkdir(shard, { recursive: true });
      for (let attempt = 0;; attempt++) {
        try {
          await Deno.rename(owner, final);
          await syncPath(shard);
          break;
        } catch (e) {
          if (!isDirNotEmpty(e) || attempt >= 3) throw e;
          // Another run committed this key first: keep its entry if it is sound.
          const existing = await this.get(opts.key);
          if (existing.kind === "hit") {
            await removeTree(owner);
            await this.record(opts.stage, opts.key);
            return ok(existing.manifest);
          }
          // Damaged (now quarantined) or vanished: try our rename again.
        }
      }
      await this.record(opts.stage, opts.key);
      return ok(manifest);
    } catch (e) {
      if (owner !== undefined) await removeTree(owner).catch(() => {});
      const at = e instanceof StoreIoError ? e.failure.path : this.#entry(opts.key);
      return err(e instanceof StoreIoError ? e.failure : ioError(at, e));
    }
  }

  async get(key: Hash): Promise<GetResult> {
    if (!isHash(key)) return { kind: "miss" };
    const checked = await this.#check(key);
    if (checked.kind !== "corrupt") return checked;
    await this.#quarantine(key);
    return checked;
  }

  /**
   * Verifies an entry without moving it. The reads are synchronous: a lookup reads a manifest
   * and a few files, and at thousands of stages per run the round trips of awaited reads to
   * Deno's I/O threads, not the bytes, were most of a no-op run.
   */
  async #check(key: string): Promise<GetResult> {
    const entry = this.#entry(key);
    const manifestPath = `${entry}/manifest.json`;
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
    const dir = `${entry}/out`;
    const problems = await Promise.all(
      Object.entries(manifest.files).map(async ([f, rec]) => {
        const path = `${dir}/${f}`;
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

  #quarantine(key: string): Promise<void> {
    return this.#moveAside(this.#entry(key), key);
  }

  /** Moves a damaged entry to `corrupt/` (kept for inspection until the next gc). */
  async #moveAside(path: string, name: string): Promise<void> {
    const aside = `${this.dir}/corrupt/${name}-${Date.now()}-${crypto.randomUUID().slice(0, 4)}`;
    try {
      await Deno.rename(path, aside);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw new StoreIoError(path, e);
    }
  }

  #indexPath(stage: string): string {
    return `${this.dir}/index/${encodeURIComponent(stage)}.json`;
  }

  /** A stage's keys, oldest first. Read synchronously, as the lookups are (see #check). */
  #readIndex(stage: string): string[] {
    const path = this.#indexPath(stage);
    let text: string;
    try {
      text = Deno.readTextFileSync(path);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return [];
      throw new StoreIoError(path, e);
    }
    try {
      const doc = JSON.parse(text) as { keys?: unknown };
      return Array.isArray(doc.keys) ? doc.keys.filter(isHash) : [];
    } catch {
      // The index is a convenience (history, gc's keep-last); a garbled one restarts empty.
      return [];
    }
  }

  /** Serialises read-modify-write of one stage's index within this process. */
  #updateIndex(stage: string, change: (keys: string[]) => string[]): Promise<void> {
    const previous = this.#indexQueues.get(stage) ?? Promise.resolve();
    const next = previous.catch(() => {}).then(async () => {
      const before = this.#readIndex(stage);
      const keys = change(before).slice(-INDEX_CAP);
      // A no-op run re-records every cached key: skip the write when nothing moved.
      if (keys.length === before.length && keys.every((k, i) => k === before[i])) return;
      const path = this.#indexPath(stage);
      const tmp = `${path}.${Deno.pid}.${crypto.randomUUID().slice(0, 8)}.tmp`;
      await io(path, async () => {
        await Deno.writeTextFile(tmp, JSON.stringify({ stage, keys }, null, 1) + "\n");
        await Deno.rename(tmp, path);
      });
    });
    this.#indexQueues.set(stage, next);
    return next;
  }

  record(stage: string, key: Hash): Promise<void> {
    return this.#updateIndex(stage, (keys) => [...keys.filter((k) => k !== key), key]);
  }

  async #readManifest(key: string): Promise<Manifest | undefined> {
    const path = `${this.#entry(key)}/manifest.json`;
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

  async latest(stage: string): Promise<Manifest | undefined> {
    const keys = this.#readIndex(stage);
    for (let i = keys.length - 1; i >= 0; i--) {
      const m = await this.#readManifest(keys[i]!);
      if (m) return m;
    }
    return undefined;
  }

  async history(stage: string): Promise<Manifest[]> {
    const out: Manifest[] = [];
    for (const key of this.#readIndex(stage)) {
      const m = await this.#readManifest(key);
      if (m) out.push(m);
    }
    return out;
  }

  /** Every folder under `store/<shard>/`, by name and actual path. */
  async #entries(): Promise<{ key: string; path: string }[]> {
    const shards = (await listDir(`${this.dir}/store`)).filter((s) => s.isDirectory);
    const listed = await mapConcurrently(
      shards,
      async (shard) =>
        (await listDir(`${this.dir}/store/${shard.name}`)).map((e) => ({
          key: e.name,
          path: `${this.dir}/store/${shard.name}/${e.name}`,
        })),
    );
    return listed.flat();
  }

  /** Stage id → its keys (oldest first), from every index file. */
  async #indexes(): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    for (const e of await listDir(`${this.dir}/index`)) {
      if (!e.isFile || !e.name.endsWith(".json")) continue;
      const stage = decodeURIComponent(e.name.slice(0, -5));
      out.set(stage, this.#readIndex(stage));
    }
    return out;
  }

  async verify(): Promise<{ checked: number; damaged: Damage[] }> {
    const damaged: Damage[] = [];
    const owners = new Map<string, string>();
    for (const [stage, keys] of await this.#indexes()) for (const k of keys) owners.set(k, stage);
    const all = await this.#entries();
    for (const { key, path } of all) {
      if (!isHash(key) || path !== this.#entry(key)) {
        damaged.push({ key, stage: "?", detail: `"${path}" is not where an entry belongs` });
        await this.#moveAside(path, key);
        continue;
      }
      const r = await this.#check(key);
      if (r.kind !== "corrupt") continue;
      const stage = owners.get(key) ?? await this.#stageFromRaw(key) ?? "?";
      damaged.push({ key, stage, detail: r.detail });
      await this.#quarantine(key);
    }
    return { checked: all.length, damaged };
  }

  /** The stage field of a manifest that does not validate, if it can be read at all. */
  async #stageFromRaw(key: string): Promise<string | undefined> {
    try {
      const doc = JSON.parse(await Deno.readTextFile(`${this.#entry(key)}/manifest.json`));
      return typeof doc?.stage === "string" ? doc.stage : undefined;
    } catch {
      return undefined;
    }
  }

  async gc(opts: GcOptions): Promise<{ removed: number; freedBytes: number }> {
    const keep = new Set<string>(opts.live);
    const indexes = await this.#indexes();
    for (const keys of indexes.values()) {
      for (const k of keys.slice(Math.max(0, keys.length - Math.max(0, opts.keepLast)))) {
        keep.add(k);
      }
    }
    let removed = 0, freedBytes = 0;
    const gone = new Set<string>();
    for (const { key, path: entry } of await this.#entries()) {
      if (keep.has(key) && entry === this.#entry(key)) continue;
      freedBytes += await treeBytes(entry);
      // Rename first so a crash mid-delete never leaves a half-deleted entry in store/.
      const doomed = this.#tmpName("gc-");
      await io(entry, () => Deno.rename(entry, doomed));
      await removeTree(doomed);
      gone.add(key);
      removed++;
    }
    for (const e of await listDir(`${this.dir}/corrupt`)) {
      const path = `${this.dir}/corrupt/${e.name}`;
      freedBytes += await treeBytes(path);
      await removeTree(path);
    }
    for (const [stage, keys] of indexes) {
      if (keys.some((k) => gone.has(k))) {
        await this.#updateIndex(stage, (ks) => ks.filter((k) => !gone.has(k)));
      }
    }
    await this.sweep();
    return { removed, freedBytes };
  }

  async size(): Promise<{ entries: number; bytes: number }> {
    const all = await this.#entries();
    let bytes = 0;
    for (const { path } of all) bytes += await treeBytes(path);
    return { entries: all.length, bytes };
  }

  async sweep(): Promise<number> {
    let swept = 0;
    for (const e of await listDir(`${this.dir}/tmp`)) {
      const m = /^(\d+)-(\d+)-/.exec(e.name);
      if (!m) continue;
      const pid = Number(m[1]), start = Number(m[2]);
      if (isProcessAlive(pid, start === 0 ? undefined : start)) continue;
      await removeTree(`${this.dir}/tmp/${e.name}`);
      swept++;
    }
    // Index updates write `<index>.<pid>.<random>.tmp` then rename: drop those of dead writers.
    for (const e of await listDir(`${this.dir}/index`)) {
      const m = /\.(\d+)\.[0-9a-f]{8}\.tmp$/.exec(e.name);
      if (m && !isProcessAlive(Number(m[1]))) await removeTree(`${this.dir}/index/${e.name}`);
    }
    return swept;
  }
}

function isRelative(p: string): boolean {
  return p.length > 0 && !p.startsWith("/") &&
    !p.split("/").some((s) => s === "" || s === "." || s === "..");
}

function subdirs(outputs: readonly string[]): string[] {
  const dirs = new Set<string>();
  for (const o of outputs) {
    const parts = o.split("/");
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join("/"));
  }
  return [...dirs].sort((a, b) => b.length - a.length);
}

/** Deletes files and folders under `dir` that are not declared outputs (or their folders). */
async function pruneUndeclared(
  dir: string,
  declared: ReadonlySet<string>,
  prefix = "",
): Promise<void> {
  for await (const e of Deno.readDir(dir)) {
    const rel = prefix + e.name;
    if (e.isDirectory) {
      const needed = [...declared].some((d) => d.startsWith(rel + "/"));
      if (needed) await pruneUndeclared(`${dir}/${e.name}`, declared, rel + "/");
      else await Deno.remove(`${dir}/${e.name}`, { recursive: true });
    } else if (!declared.has(rel)) {
      await Deno.remove(`${dir}/${e.name}`);
    }
  }
}

async function ensureParent(path: string): Promise<void> {
  await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
}

async function syncPath(path: string): Promise<void> {
  const f = await Deno.open(path, { read: true });
  try {
    await f.sync();
  } finally {
    f.close();
  }
}

async function writeSynced(path: string, text: string): Promise<void> {
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

function isDirNotEmpty(e: unknown): boolean {
  return e instanceof Deno.errors.AlreadyExists ||
    (e instanceof Error &&
      /ENOTEMPTY|not empty|os error 39/i.test(`${(e as { code?: string }).code} ${e.message}`));
}

async function listDir(path: string): Promise<Deno.DirEntry[]> {
  const out: Deno.DirEntry[] = [];
  try {
    for await (const e of Deno.readDir(path)) out.push(e);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    throw new StoreIoError(path, e);
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Bytes under `path`. Synchronous calls: an entry is a few small files, and thousands of
 * awaited stats cost far more in round trips to the I/O thread than the stats themselves.
 */
function treeBytes(path: string): Promise<number> {
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

/** File-system calls kept in flight at once when walking the whole store. */
const CONCURRENCY = 32;

/**
 * `Promise.all(items.map(fn))` with at most {@linkcode CONCURRENCY} calls pending: walking
 * thousands of entries one await at a time leaves the disk idle between calls, while starting
 * them all at once holds every result in memory before any is used.
 */
async function mapConcurrently<T, U>(
  items: readonly T[],
  fn: (item: T) => Promise<U>,
): Promise<U[]> {
  const out: U[] = new Array(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, lane));
  return out;
}

async function removeTree(path: string): Promise<void> {
  try {
    await Deno.remove(path, { recursive: true });
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw new StoreIoError(path, e);
  }
}

async function io<T>(path: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw e instanceof StoreIoError ? e : new StoreIoError(path, e);
  }
}

function ioError(path: string, e: unknown): IoFailed {
  return new StoreIoError(path, e).failure;
}
