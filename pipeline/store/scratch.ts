/**
 * Scratch folders: where a running stage writes its outputs before they are committed. Each is
 * named for the process that made it (pid and start time), on the store's file system so the
 * commit is a rename; once that process is gone, a sweep removes what it left.
 *
 * @module
 */
import {
  outDir,
  scratchDir,
  scratchOfOutDir,
  scratchOwnerOf,
  scratchParentDir,
} from "../core/mod.ts";
import { listDir, removeTree } from "./files.ts";
import { isProcessAlive, startOf } from "./lock.ts";
import { io } from "./store_io_error.ts";

let ownStart: number | undefined;

/**
 * A fresh scratch folder path owned by this process (not created); `tag` marks what it is for
 * in a listing (e.g. `"gc-"` for an entry being deleted).
 */
export function newScratchPath(psinv: string, tag = ""): string {
  // The start time tells this process from a later one that reuses its pid.
  ownStart ??= startOf(Deno.pid) ?? 0;
  const nonce = `${tag}${crypto.randomUUID().slice(0, 8)}`;
  return scratchDir(psinv, { pid: Deno.pid, start: ownStart }, nonce);
}

/**
 * Creates a fresh, private, empty scratch folder and returns its outputs folder (`…/out`), the
 * one a stage writes into.
 *
 * @example
 * ```ts
 * import { createScratch } from "./scratch.ts";
 * const root = await Deno.makeTempDir();
 * (await createScratch(`${root}/.psinv`)).endsWith("/out"); // true
 * await Deno.remove(root, { recursive: true });
 * ```
 */
export async function createScratch(psinv: string): Promise<string> {
  const out = outDir(newScratchPath(psinv));
  await io(out, () => Deno.mkdir(out, { recursive: true }));
  return out;
}

/** Removes the scratch folder whose outputs folder is `out`; anything else is left alone. */
export async function discardScratch(psinv: string, out: string): Promise<void> {
  const scratch = scratchOfOutDir(psinv, out);
  if (scratch !== undefined) await removeTree(scratch);
}

/** Removes scratch folders of processes that are no longer running; returns how many. */
export async function sweepScratch(psinv: string): Promise<number> {
  const parent = scratchParentDir(psinv);
  let swept = 0;
  for (const e of await listDir(parent)) {
    const owner = scratchOwnerOf(e.name);
    if (owner === undefined) continue;
    if (isProcessAlive(owner.pid, owner.start === 0 ? undefined : owner.start)) continue;
    await removeTree(`${parent}/${e.name}`);
    swept++;
  }
  return swept;
}
