/**
 * The compute-node side of the SLURM executor: `deno run -A _task.ts <batch folder>` in an array
 * task reads its batch from the store and runs its stages through the local executor's worker
 * pool (so results are bit-identical), as many at once as the job's width, each under its own
 * time limit. As each stage ends it hashes the outputs and writes that stage's exit status by
 * atomic rename, so a job that dies keeps what it finished.
 *
 * Its batch done, the job waits a few seconds (the batch's `linger`) for an offer of more stages
 * from the coordinator — typically the stages its results just made ready — and runs them with
 * the workers and modules it has already loaded, instead of the coordinator queueing a new job.
 * It claims an offer by renaming its file; the coordinator takes back an offer not claimed in
 * time by the same rename, so each stage runs in one place only.
 *
 * It exits 0 whenever it wrote the statuses: a stage's own failure is data, not a job failure.
 *
 * @module
 */
import {
  semaphore,
  sha256,
  slurmOfferFile,
  slurmReleaseFile,
  slurmStatusFile,
  slurmTaskFile,
} from "../core/mod.ts";
import { type Executor, localExecutor, type StageLane, withTimeLimit } from "../run/mod.ts";
import { writeAtomic } from "../store/mod.ts";
import type { BatchSpec, Offer, StageSpec, TaskStatus } from "./task_file.ts";

/** How often an idle job looks for an offer (ms). */
const OFFER_POLL_MS = 100;

async function serve(dir: string, index: string): Promise<void> {
  const batch = JSON.parse(await Deno.readTextFile(slurmTaskFile(dir, index))) as BatchSpec;
  const limits = new Map<string, number | undefined>();
  const executor = withTimeLimit(localExecutor(), (decl) => limits.get(decl.id));
  const slots = semaphore(Math.max(1, batch.width));
  const running = new Set<Promise<void>>();
  const start = (stages: readonly StageSpec[]): void => {
    for (const stage of stages) {
      limits.set(stage.decl.id, stage.limit);
      const one = (async () => {
        const release = await slots.acquire();
        let status: TaskStatus;
        try {
          status = await runStage(executor, stage);
        } finally {
          release();
        }
        await writeAtomic(slurmStatusFile(dir, index, stage.slot), {
          data: JSON.stringify(status),
        });
      })();
      running.add(one);
      one.finally(() => running.delete(one));
    }
  };
  start(batch.stages);
  let k = 1;
  let idleSince: number | undefined;
  while (batch.linger > 0) {
    const offer = await claim(dir, index, k);
    if (offer) {
      k++;
      idleSince = undefined;
      start(offer.stages);
      continue;
    }
    if (running.size === 0) {
      idleSince ??= Date.now();
      const released = await Deno.stat(slurmReleaseFile(dir, index)).then(() => true, () => false);
      if (released || Date.now() - idleSince >= batch.linger * 1000) break;
    }
    await new Promise((r) => setTimeout(r, OFFER_POLL_MS));
  }
  await Promise.all(running);
  await executor.close();
}

/** Claims offer `k` by renaming it; `undefined` when there is none (or it was taken back). */
async function claim(dir: string, index: string, k: number): Promise<Offer | undefined> {
  const taken = slurmOfferFile(dir, index, k, "taken");
  try {
    await Deno.rename(slurmOfferFile(dir, index, k, "offer"), taken);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
  return JSON.parse(await Deno.readTextFile(taken)) as Offer;
}

async function runStage(executor: Executor, spec: StageSpec): Promise<TaskStatus> {
  // A resubmitted stage starts from an empty folder, whatever a lost attempt left there.
  await Deno.remove(spec.outDir, { recursive: true }).catch(() => {});
  await Deno.mkdir(spec.outDir, { recursive: true });
  const started = performance.now();
  let lane: StageLane = { lane: "worker 1", started: Date.now() };
  const ran = await executor.run({
    decl: spec.decl,
    params: spec.params,
    inputs: spec.inputs,
    outDir: spec.outDir,
    ...(spec.checkpoints ? { checkpoints: spec.checkpoints } : {}),
    ...(spec.resume ? { resume: spec.resume } : {}),
    onProgress: () => {},
    onLane: (told) => (lane = { lane: told.lane, started: Date.now() }),
  });
  const base = {
    host: Deno.hostname(),
    seconds: (performance.now() - started) / 1000,
    lane: lane.lane,
    began: lane.started!,
    ended: Date.now(),
  };
  if (!ran.ok) return { ...base, ok: false, error: ran.error };
  const files: Record<string, { hash: string; size: number }> = {};
  for (const f of spec.decl.outputs) {
    try {
      const bytes = await Deno.readFile(`${spec.outDir}/${f}`);
      files[f] = { hash: await sha256(bytes), size: bytes.byteLength };
    } catch {
      // A missing output is reported by the coordinator's store as output-missing.
    }
  }
  return { ...base, ok: true, files };
}

if (import.meta.main) {
  const [dir, index = Deno.env.get("SLURM_ARRAY_TASK_ID")] = Deno.args;
  if (dir === undefined || index === undefined) {
    console.error("usage: _task.ts <batch folder> [index] (index defaults to SLURM_ARRAY_TASK_ID)");
    Deno.exit(2);
  }
  await serve(dir, index);
  // Workers of tfjs or vega may keep the event loop alive; the statuses are written.
  Deno.exit(0);
}
