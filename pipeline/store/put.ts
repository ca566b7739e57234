/**
 * The write path: a stage's scratch folder becomes a store entry. Its files are hashed and
 * synced, its manifest written last, and the folder enters `store/` by one atomic rename, so a
 * run killed at any moment leaves nothing there that looks complete.
 *
 * @module
 */
import {
  entryDir,
  err,
  type Failure,
  type Hash,
  isHash,
  manifestFile,
  ok,
  outDir,
  type RanOn,
  type Result,
  scratchOfOutDir,
  tempName,
} from "../core/mod.ts";
import { type CodeFingerprint, ENGINE_FORMAT, type Fingerprint } from "../key/mod.ts";
import {
  ensureParent,
  hashFile,
  isDirNotEmpty,
  removeTree,
  statIfPresent,
  syncPath,
  writeSynced,
} from "./files.ts";
import { getEntry } from "./get.ts";
import type { StageHistory } from "./history.ts";
import {
  contentHash,
  type FileRecord,
  formatManifest,
  type Manifest,
  parseManifest,
  type Resumed,
} from "./manifest.ts";
import { createScratch } from "./scratch.ts";
import { ioFailure, StoreIoError } from "./store_io_error.ts";

/** What {@linkcode putEntry} stores. */
export interface PutOptions {
  /** Id of the stage that produced the result. */
  readonly stage: string;
  /** The fingerprint the key was computed from. */
  readonly fingerprint: Fingerprint;
  /** The stage key (`stageKey(fingerprint)`). */
  readonly key: Hash;
  /** The scratch folder (from `Store.scratch`) the stage wrote its outputs into. */
  readonly dir: string;
  /** Declared outputs, relative paths; anything else in `dir` is dropped. */
  readonly outputs: readonly string[];
  /** How long the stage ran. */
  readonly seconds: number;
  /** When it ran (ISO 8601), passed in so the engine stays clock-free. */
  readonly created: string;
  /** The per-file code fingerprint, kept to explain later code changes. */
  readonly code?: CodeFingerprint;
  /** Where the stage ran, kept for the result's provenance. */
  readonly ran?: RanOn;
  /** The stored state it continued, kept for the result's provenance. */
  readonly resumed?: Resumed;
}

/**
 * Commits `opts.dir` as the entry for `opts.key` in the store folder `psinv` and records the key
 * in the stage's history (see `Store.put`). A folder that is not a scratch folder is copied, not
 * moved. Fails with `output-missing` when a declared output is absent, else `io-failed`.
 */
export async function putEntry(
  psinv: string,
  history: StageHistory,
  opts: PutOptions,
): Promise<Result<Manifest, Failure>> {
  if (!isHash(opts.key)) {
    return err(ioFailure(opts.dir, `"${opts.key}" is not a stage key`));
  }
  for (const out of opts.outputs) {
    if (!isRelative(out)) {
      return err(ioFailure(opts.dir, `output "${out}" is not a relative path inside the folder`));
    }
  }
  const final = entryDir(psinv, opts.key);
  let scratch = scratchOfOutDir(psinv, opts.dir);
  try {
    for (const out of opts.outputs) {
      const info = statIfPresent(`${opts.dir}/${out}`);
      if (info === undefined || !info.isFile) {
        if (scratch !== undefined) await removeTree(scratch);
        return err({ reason: "output-missing", stage: opts.stage, file: out });
      }
    }
    if (scratch === undefined) {
      // Not one of our scratch folders: copy the outputs into one, leaving the caller's intact.
      const out = await createScratch(psinv);
      scratch = scratchOfOutDir(psinv, out)!;
      for (const f of opts.outputs) {
        await ensureParent(`${out}/${f}`);
        await Deno.copyFile(`${opts.dir}/${f}`, `${out}/${f}`);
      }
    }
    const manifest = await writeOutputs(scratch, opts);
    const text = formatManifest(manifest);
    // Never commit an entry that get() would then call corrupt (and recompute forever).
    const readable = await parseManifest(text, opts.key);
    if (!readable.ok) {
      await removeTree(scratch);
      return err(ioFailure(final, `refusing to store a bad manifest: ${readable.error}`));
    }
    // The manifest goes last: an entry is complete exactly when its manifest is there.
    await writeSynced(manifestFile(scratch), text);
    await syncPath(scratch);

    const shard = final.slice(0, final.lastIndexOf("/"));
    await Deno.mkdir(shard, { recursive: true });
    for (let attempt = 0;; attempt++) {
      try {
        await Deno.rename(scratch, final);
        await syncPath(shard);
        break;
      } catch (e) {
        if (!isDirNotEmpty(e) || attempt >= 3) throw e;
        // Another run committed this key first: keep its entry if it is sound.
        const existing = await getEntry(psinv, opts.key);
        if (existing.kind === "hit") {
          await removeTree(scratch);
          await history.record(opts.stage, opts.key);
          return ok(existing.manifest);
        }
        // Damaged (now quarantined) or vanished: try our rename again.
      }
    }
    await history.record(opts.stage, opts.key);
    return ok(manifest);
  } catch (e) {
    if (scratch !== undefined) await removeTree(scratch).catch(() => {});
    return err(e instanceof StoreIoError ? e.failure : ioFailure(final, e));
  }
}

/**
 * Reduces the scratch folder's outputs to the declared ones, stores linked files as bytes,
 * hashes and syncs every file and folder, and returns the manifest describing them.
 */
async function writeOutputs(scratch: string, opts: PutOptions): Promise<Manifest> {
  const dir = outDir(scratch);
  await pruneUndeclared(dir, new Set(opts.outputs));
  const files: Record<string, FileRecord> = {};
  for (const f of [...opts.outputs].sort()) {
    const path = `${dir}/${f}`;
    if ((await Deno.lstat(path)).isSymlink) {
      // Store the bytes, not a link to a file outside the store that may change later.
      const copy = tempName(path);
      await Deno.copyFile(path, copy);
      await Deno.rename(copy, path);
    }
    files[f] = await hashFile(path);
    await syncPath(path);
  }
  for (const d of subdirs(opts.outputs)) await syncPath(`${dir}/${d}`);
  await syncPath(dir);
  return {
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
    ...(opts.ran ? { ran: opts.ran } : {}),
    ...(opts.resumed ? { resumed: opts.resumed } : {}),
  };
}

function isRelative(p: string): boolean {
  return p.length > 0 && !p.startsWith("/") &&
    !p.split("/").some((s) => s === "" || s === "." || s === "..");
}

/** The folders of the outputs, deepest first. */
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
