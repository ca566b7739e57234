/**
 * Keeping a store healthy and small: re-verifying every entry, collecting the ones no longer
 * wanted, measuring it, and sweeping what dead processes left (scratch folders and temporary
 * files).
 *
 * @module
 */
import {
  corruptDir,
  entriesDir,
  entryDir,
  type Hash,
  indexDir,
  isHash,
  lineageDir,
  manifestFile,
  memoDir,
} from "../core/mod.ts";
import { listDir, removeTree, sweepTemporaries, treeBytes } from "./files.ts";
import { checkEntry, quarantine } from "./get.ts";
import type { StageHistory } from "./history.ts";
import type { LineageIndex } from "./lineage.ts";
import { newScratchPath, sweepScratch } from "./scratch.ts";
import { io } from "./store_io_error.ts";

/** One damaged entry found by {@linkcode verifyEntries}. */
export interface Damage {
  /** The entry's folder name (its key, when it is where an entry belongs). */
  readonly key: string;
  /** Stage id from the manifest or index; `"?"` when neither names it. */
  readonly stage: string;
  /** What is wrong with it. */
  readonly detail: string;
}

/** Options of {@linkcode collectGarbage}. */
export interface GcOptions {
  /** Keys reachable from the current parameters: always kept. */
  readonly live: ReadonlySet<Hash>;
  /** Also keep the newest this-many keys of each stage id (a run-cache for going back). */
  readonly keepLast: number;
}

/** Re-hashes every entry; damaged or misplaced ones are quarantined and listed. */
export async function verifyEntries(
  psinv: string,
  history: StageHistory,
): Promise<{ checked: number; damaged: Damage[] }> {
  const damaged: Damage[] = [];
  const owners = new Map<string, string>();
  for (const [stage, keys] of await history.all()) for (const k of keys) owners.set(k, stage);
  const all = await listEntries(psinv);
  for (const { key, path } of all) {
    if (!isHash(key) || path !== entryDir(psinv, key)) {
      damaged.push({ key, stage: "?", detail: `"${path}" is not where an entry belongs` });
      await quarantine(psinv, path, key);
      continue;
    }
    const r = await checkEntry(psinv, key);
    if (r.kind !== "corrupt") continue;
    const stage = owners.get(key) ?? await stageFromRaw(psinv, key) ?? "?";
    damaged.push({ key, stage, detail: r.detail });
    await quarantine(psinv, path, key);
  }
  return { checked: all.length, damaged };
}

/**
 * Removes entries neither live nor among the newest `keepLast` of their stage, quarantined
 * entries, and what dead processes left; returns how many entries went and the bytes freed. The
 * entries removed also leave the lineage index, when one is given.
 */
export async function collectGarbage(
  psinv: string,
  history: StageHistory,
  opts: GcOptions,
  lineages?: LineageIndex,
): Promise<{ removed: number; freedBytes: number }> {
  const keep = new Set<string>(opts.live);
  const indexes = await history.all();
  for (const keys of indexes.values()) {
    for (const k of keys.slice(Math.max(0, keys.length - Math.max(0, opts.keepLast)))) {
      keep.add(k);
    }
  }
  let removed = 0, freedBytes = 0;
  const gone = new Set<string>();
  for (const { key, path: entry } of await listEntries(psinv)) {
    if (keep.has(key) && entry === entryDir(psinv, key)) continue;
    freedBytes += await treeBytes(entry);
    // Rename first so a crash mid-delete never leaves a half-deleted entry in store/.
    const doomed = newScratchPath(psinv, "gc-");
    await io(entry, () => Deno.rename(entry, doomed));
    await removeTree(doomed);
    gone.add(key);
    removed++;
  }
  const corrupt = corruptDir(psinv);
  for (const e of await listDir(corrupt)) {
    const path = `${corrupt}/${e.name}`;
    freedBytes += await treeBytes(path);
    await removeTree(path);
  }
  for (const [stage, keys] of indexes) {
    if (keys.some((k) => gone.has(k))) {
      await history.update(stage, (ks) => ks.filter((k) => !gone.has(k)));
    }
  }
  if (gone.size > 0) await lineages?.forget(gone);
  await sweep(psinv);
  return { removed, freedBytes };
}

/** Number of entries and the bytes they hold. */
export async function measure(psinv: string): Promise<{ entries: number; bytes: number }> {
  const all = await listEntries(psinv);
  let bytes = 0;
  for (const { path } of all) bytes += await treeBytes(path);
  return { entries: all.length, bytes };
}

/**
 * Removes scratch folders of processes no longer running, and temporary files dead writers
 * left in the history and lineage indexes and the memo; returns how many scratch folders went.
 */
export async function sweep(psinv: string): Promise<number> {
  const swept = await sweepScratch(psinv);
  for (const dir of [indexDir(psinv), lineageDir(psinv), memoDir(psinv)]) {
    await io(dir, () => sweepTemporaries(dir));
  }
  return swept;
}

/** Every folder under `store/<shard>/`, by name and actual path. */
async function listEntries(psinv: string): Promise<{ key: string; path: string }[]> {
  const entries = entriesDir(psinv);
  const shards = (await listDir(entries)).filter((s) => s.isDirectory);
  const listed = await mapConcurrently(
    shards,
    async (shard) =>
      (await listDir(`${entries}/${shard.name}`)).map((e) => ({
        key: e.name,
        path: `${entries}/${shard.name}/${e.name}`,
      })),
  );
  return listed.flat();
}

/** The stage field of a manifest that does not validate, if it can be read at all. */
async function stageFromRaw(psinv: string, key: string): Promise<string | undefined> {
  try {
    const doc = JSON.parse(await Deno.readTextFile(manifestFile(entryDir(psinv, key))));
    return typeof doc?.stage === "string" ? doc.stage : undefined;
  } catch {
    return undefined;
  }
}

/** File-system calls kept in flight at once when walking the whole store. */
const CONCURRENCY = 32;

/**
 * `Promise.all(items.map(fn))` with at most {@linkcode CONCURRENCY} calls pending: awaiting one
 * at a time leaves the disk idle between calls, while starting all at once holds every result
 * in memory before any is used.
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
