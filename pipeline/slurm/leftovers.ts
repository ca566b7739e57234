/**
 * Jobs outlive a coordinator killed with -9. Each run records the job ids it submitted under
 * `.psinv/slurm/<run>/jobs.json`; the next run (which holds the store lock, so those runs are
 * over) cancels whatever they left and removes the record. Their jobs only ever wrote into
 * scratch folders, never into the store, so nothing is duplicated or corrupted either way.
 *
 * @module
 */
import { slurmDir, slurmJobsFile, slurmRunDir } from "../core/mod.ts";
import { writeAtomic } from "../store/mod.ts";
import { cancel, drained } from "./commands.ts";

/** This run's folder under the store and its job name. */
export interface RunFolder {
  readonly dir: string;
  /** `psinv-<tag>`: every job of the run has this name. */
  readonly name: string;
}

/** A fresh run folder under `<storeDir>/slurm/`. */
export function runFolder(storeDir: string): RunFolder {
  const tag = `${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
  return { dir: slurmRunDir(storeDir, tag), name: `psinv-${tag}` };
}

/** Records the run's submitted job ids (before anything else can go wrong). */
export async function recordJobs(run: RunFolder, ids: readonly string[]): Promise<void> {
  await writeAtomic(slurmJobsFile(run.dir), {
    data: JSON.stringify({ name: run.name, jobs: ids }) + "\n",
  });
}

/**
 * Cancels the jobs of earlier runs recorded in the store, waits until SLURM has stopped them,
 * and removes their records; returns the job ids found. Call it holding the store lock.
 *
 * @example
 * ```ts ignore
 * const ids = await cancelLeftovers(psinvDir(root));
 * ```
 */
export async function cancelLeftovers(storeDir: string): Promise<string[]> {
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(slurmDir(storeDir)));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    throw e;
  }
  const found: string[] = [];
  for (const e of entries) {
    if (!e.isDirectory) continue;
    const dir = slurmRunDir(storeDir, e.name);
    const name = `psinv-${e.name}`;
    let ids: string[] = [];
    try {
      const doc = JSON.parse(await Deno.readTextFile(slurmJobsFile(dir)));
      ids = Array.isArray(doc.jobs) ? doc.jobs.filter((j: unknown) => typeof j === "string") : [];
    } catch {
      // Killed before its first submission was recorded: the job name still finds its jobs.
    }
    // By id (as recorded) and by name (a job submitted just before the kill, not yet recorded).
    await cancel(ids, name);
    if (await drained(name)) await Deno.remove(dir, { recursive: true });
    found.push(...ids);
  }
  return found;
}
