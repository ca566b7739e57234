/**
 * The compute-node side of the SLURM executor: `deno run -A _task.ts <batch folder>` in an array
 * task reads its task file from the store, runs the stage exactly as the local executor does (so
 * results are bit-identical), hashes the outputs and writes its exit status by atomic rename.
 * It exits 0 whenever it wrote a status: a stage's own failure is data, not a job failure.
 *
 * @module
 */
import { sha256, slurmStatusFile, slurmTaskFile } from "../core/mod.ts";
import { localExecutor } from "../run/mod.ts";
import { writeAtomic } from "../store/mod.ts";
import type { TaskSpec, TaskStatus } from "./task_file.ts";

async function runTask(dir: string, index: string): Promise<void> {
  const spec = JSON.parse(await Deno.readTextFile(slurmTaskFile(dir, index))) as TaskSpec;
  // A resubmitted task starts from an empty folder, whatever a lost attempt left there.
  await Deno.remove(spec.outDir, { recursive: true }).catch(() => {});
  await Deno.mkdir(spec.outDir, { recursive: true });
  const started = performance.now();
  const executor = localExecutor();
  const ran = await executor.run({
    decl: spec.decl,
    params: spec.params,
    inputs: spec.inputs,
    outDir: spec.outDir,
    onProgress: () => {},
  });
  await executor.close();
  const base = { host: Deno.hostname(), seconds: (performance.now() - started) / 1000 };
  let status: TaskStatus;
  if (ran.ok) {
    const files: Record<string, { hash: string; size: number }> = {};
    for (const f of spec.decl.outputs) {
      try {
        const bytes = await Deno.readFile(`${spec.outDir}/${f}`);
        files[f] = { hash: await sha256(bytes), size: bytes.byteLength };
      } catch {
        // A missing output is reported by the coordinator's store as output-missing.
      }
    }
    status = { ...base, ok: true, files };
  } else {
    status = { ...base, ok: false, error: ran.error };
  }
  await writeAtomic(slurmStatusFile(dir, index), { data: JSON.stringify(status) });
}

if (import.meta.main) {
  const [dir, index = Deno.env.get("SLURM_ARRAY_TASK_ID")] = Deno.args;
  if (dir === undefined || index === undefined) {
    console.error("usage: _task.ts <batch folder> [index] (index defaults to SLURM_ARRAY_TASK_ID)");
    Deno.exit(2);
  }
  await runTask(dir, index);
  // Workers of tfjs or vega may keep the event loop alive; the status is written.
  Deno.exit(0);
}
