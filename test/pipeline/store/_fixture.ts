/**
 * What the store tests share: a store in a fresh temporary project, and a fake stage that
 * writes files into a scratch folder and commits them.
 *
 * @module
 */
import { ENGINE_FORMAT, type Fingerprint, stageKey } from "../../../pipeline/key/fingerprint.ts";
import { entriesDir, psinvDir } from "../../../pipeline/core/layout.ts";
import { sha256 } from "../../../pipeline/core/hash.ts";
import type { Manifest } from "../../../pipeline/store/manifest.ts";
import { openStore, type Store } from "../../../pipeline/store/store.ts";

/** The code hash of every fake stage. */
export const code = await sha256("export function run() {}");

/** A fingerprint with these parameters and no inputs. */
export function fingerprint(params: Record<string, unknown>): Fingerprint {
  return { format: ENGINE_FORMAT, params, inputs: {}, code, version: 0 };
}

/** Runs a fake stage: writes `files` into a scratch folder and commits it. */
export async function commit(
  store: Store,
  stage: string,
  params: Record<string, unknown>,
  files: Record<string, string>,
): Promise<Manifest> {
  const fp = fingerprint(params);
  const dir = await store.scratch();
  for (const [path, text] of Object.entries(files)) {
    await Deno.mkdir(`${dir}/${path}`.replace(/\/[^/]+$/, ""), { recursive: true });
    await Deno.writeTextFile(`${dir}/${path}`, text);
  }
  const r = await store.put({
    stage,
    fingerprint: fp,
    key: await stageKey(fp),
    dir,
    outputs: Object.keys(files),
    seconds: 0.5,
    created: "2026-01-01T00:00:00.000Z",
  });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

/** Runs `fn` on the store of a fresh project folder, removed afterwards. */
export async function withStore(
  fn: (store: Store, root: string) => Promise<void>,
): Promise<void> {
  const root = await Deno.makeTempDir({ prefix: "psinv_store_" });
  try {
    await fn(await openStore(root), root);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

/** The names of the folders in the store's entries folder, sorted. */
export async function entries(root: string): Promise<string[]> {
  const out: string[] = [];
  const dir = entriesDir(psinvDir(root));
  for await (const shard of Deno.readDir(dir)) {
    for await (const e of Deno.readDir(`${dir}/${shard.name}`)) out.push(e.name);
  }
  return out.sort();
}

/** The pid of a process that has already exited. */
export async function deadPid(): Promise<number> {
  const child = new Deno.Command(Deno.execPath(), { args: ["eval", ""] }).spawn();
  await child.status;
  return child.pid;
}
