/**
 * The content-addressed store under `<root>/.psinv/`: every result ever produced, keyed by its
 * stage key, verified by hash before each use. {@linkcode Store} ties together the write path
 * (`put.ts`), the read-and-verify path (`get.ts`), the per-stage history (`history.ts`) and
 * maintenance (`maintenance.ts`); `pipeline/core/layout.ts` says where each file lives.
 *
 * @module
 */
import {
  corruptDir,
  entriesDir,
  entryDir,
  type Failure,
  type Hash,
  indexDir,
  psinvDir,
  type Result,
  scratchParentDir,
} from "../core/mod.ts";
import { getEntry, type GetResult, quarantine } from "./get.ts";
import { StageHistory } from "./history.ts";
import { type LineageEntry, LineageIndex } from "./lineage.ts";
import {
  collectGarbage,
  type Damage,
  type GcOptions,
  measure,
  sweep,
  verifyEntries,
} from "./maintenance.ts";
import type { Manifest } from "./manifest.ts";
import { putEntry, type PutOptions } from "./put.ts";
import { createScratch, discardScratch } from "./scratch.ts";
import { io } from "./store_io_error.ts";

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
   * is a `miss`; other I/O errors throw `StoreIoError`.
   */
  get(key: Hash): Promise<GetResult>;
  /** Marks `key` as the newest result of `stage` (call it when a cached entry is reused). */
  record(stage: string, key: Hash): Promise<void>;
  /** The newest present entry of a stage id, by its history; manifest checked, files not hashed. */
  latest(stage: string): Promise<Manifest | undefined>;
  /** The present entries of a stage id, oldest first. */
  history(stage: string): Promise<Manifest[]>;
  /**
   * Records that the entry `key`, of the lineage `lineage` (`key/lineage.ts`), keeps the states
   * at the progress values `states` (ascending), so that a later miss can continue it.
   */
  recordStates(lineage: Hash, key: Hash, states: readonly number[]): Promise<void>;
  /** The entries recorded for a lineage, oldest first; each may be gone or damaged since. */
  lineage(lineage: Hash): LineageEntry[];
  /** Re-hashes every entry; damaged ones are quarantined and listed. */
  verify(): Promise<{ checked: number; damaged: Damage[] }>;
  /**
   * Moves the entry of `key` to `corrupt/` (kept until the next gc), as a damaged one is: an
   * audit found its bytes wrong although they match their hashes.
   */
  setAside(key: Hash): Promise<void>;
  /**
   * Removes entries neither live nor among the newest `keepLast` of their stage, quarantined
   * entries, and scratch folders of dead processes.
   */
  gc(opts: GcOptions): Promise<{ removed: number; freedBytes: number }>;
  /** Number of entries and bytes they hold. */
  size(): Promise<{ entries: number; bytes: number }>;
  /**
   * Removes scratch folders and temporary files left by processes that are no longer running;
   * returns how many scratch folders.
   */
  sweep(): Promise<number>;
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
  const dir = psinvDir(root);
  for (const sub of [entriesDir(dir), scratchParentDir(dir), indexDir(dir), corruptDir(dir)]) {
    await io(sub, () => Deno.mkdir(sub, { recursive: true }));
  }
  const history = new StageHistory(dir);
  const lineages = new LineageIndex(dir);
  return {
    root: root.length > 1 ? root.replace(/\/+$/, "") : root,
    dir,
    scratch: () => createScratch(dir),
    discard: (out) => discardScratch(dir, out),
    put: (opts) => putEntry(dir, history, opts),
    get: (key) => getEntry(dir, key),
    record: (stage, key) => history.record(stage, key),
    latest: (stage) => history.latest(stage),
    history: (stage) => history.list(stage),
    recordStates: (lineage, key, states) => lineages.record(lineage, key, states),
    lineage: (lineage) => lineages.entries(lineage),
    verify: () => verifyEntries(dir, history),
    setAside: (key) => quarantine(dir, entryDir(dir, key), key),
    gc: (opts) => collectGarbage(dir, history, opts, lineages),
    size: () => measure(dir),
    sweep: () => sweep(dir),
  };
}
