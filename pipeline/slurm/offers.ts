/**
 * Offers of more stages to a job of the run that has finished its batch and waits a few seconds
 * for more (`_task.ts` claims them): which idle job may take a planned batch, and the offer
 * file. The tracker takes back an offer not claimed in time.
 *
 * @module
 */
import { type Emit, parseTimeLimit, slurmOfferFile } from "../core/mod.ts";
import { writeAtomic } from "../store/mod.ts";
import { type Planned, TIME_MARGIN_SECONDS } from "./batch.ts";
import type { Offer, StageSpec } from "./task_file.ts";
import type { Batch, Task, Tracker } from "./tracking.ts";

/** An offer is only made to a job that will keep waiting for it at least this long (ms). */
export const OFFER_MARGIN_MS = 2000;

/**
 * What the node needs to run a stage in slot `slot` of its job.
 *
 * @example
 * ```ts ignore
 * const spec = specOf(task, 0);
 * ```
 */
export function specOf(t: Task, slot: number): StageSpec {
  const limit = parseTimeLimit(t.resources.time ?? "");
  return {
    decl: t.job.decl,
    params: t.job.params,
    inputs: t.job.inputs,
    outDir: t.job.outDir,
    ...(t.job.checkpoints ? { checkpoints: t.job.checkpoints } : {}),
    ...(t.job.resume ? { resume: t.job.resume } : {}),
    slot,
    ...(limit === undefined ? {} : { limit }),
  };
}

/**
 * Whether a job's time limit, counted from its submission (so from before it started), leaves
 * room for a batch of stages each allowed their own limit.
 *
 * @example
 * ```ts
 * import { timeCovers } from "./offers.ts";
 * timeCovers({ time: "2:00:00", width: 2, submittedAt: 0 }, 4, 1800, 60_000); // true
 * ```
 */
export function timeCovers(
  job: { readonly time: string | undefined; readonly width: number; readonly submittedAt: number },
  count: number,
  stageLimit: number | undefined,
  now: number,
): boolean {
  const limit = parseTimeLimit(job.time ?? "");
  if (limit === undefined || stageLimit === undefined) return true;
  const need = Math.ceil(count / job.width) * stageLimit + TIME_MARGIN_SECONDS;
  return (now - job.submittedAt) / 1000 + need <= limit;
}

/**
 * Offers a planned batch to an idle job of the same requests that will wait long enough and
 * whose time limit still covers it; the job that took it, if any.
 */
export async function offerToIdle(
  track: Tracker,
  p: Planned<Task>,
  now: number,
  emit: Emit,
): Promise<Batch | undefined> {
  if (p.tasks.some((t) => t.done)) return undefined;
  for (const b of track.idle) {
    if (now - b.idleSince! > b.lingerMs - OFFER_MARGIN_MS) {
      track.idle.delete(b); // It is about to end on its own.
      continue;
    }
    const stageLimit = parseTimeLimit(p.tasks[0]!.resources.time ?? "");
    if (b.group !== p.group || !timeCovers(b, p.tasks.length, stageLimit, now)) continue;
    const k = b.offers + 1;
    const first = b.tasks.length;
    const doc: Offer = { stages: p.tasks.map((t, j) => specOf(t, first + j)) };
    try {
      await writeAtomic(slurmOfferFile(b.dir, b.index, k, "offer"), { data: JSON.stringify(doc) });
    } catch {
      track.idle.delete(b);
      continue;
    }
    b.offers = k;
    p.tasks.forEach((t, j) => Object.assign(t, { batch: b, slot: first + j }));
    b.tasks.push(...p.tasks);
    b.unclaimed = { k, at: Date.now(), tasks: p.tasks };
    track.idle.delete(b);
    track.inFlight.add(b);
    emit({ kind: "cluster-offered", job: b.id, stages: p.tasks.map((t) => t.job.decl.id) });
    return b;
  }
  return undefined;
}
