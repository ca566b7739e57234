import assert from "node:assert/strict";
import { localExecutor, type RetireReason } from "../../../pipeline/run/mod.ts";
import type { StageJob, StageThrew } from "../../../pipeline/run/mod.ts";
import type { ExecutorFailure } from "../../../pipeline/core/mod.ts";
import type { ProbeMode } from "../../testdata/pool/probe.ts";

/** A stage's own failure code, or the reason an executor gave for ending it. */
const codeOf = (e: StageThrew | ExecutorFailure): string => ("code" in e ? e.code : e.reason);

const PROBE = new URL("../../testdata/pool/probe.ts", import.meta.url).href;

/** What a probe stage wrote. */
interface Probe {
  readonly worker: string;
  readonly sawGlobal: boolean;
}

/** Runs probe stages in order on one executor; returns each one's outcome and report. */
async function runProbes(
  modes: readonly ProbeMode[],
  options: { stagesPerWorker?: number } = {},
): Promise<{ ok: boolean; code?: string; probe: Probe }[] & { retired: RetireReason[] }> {
  const retired: RetireReason[] = [];
  const executor = localExecutor({ ...options, onRetire: (why) => retired.push(why) });
  const dir = await Deno.makeTempDir({ prefix: "psinv-pool-" });
  const out = [];
  try {
    for (const [i, mode] of modes.entries()) {
      const outDir = `${dir}/${i}`;
      await Deno.mkdir(outDir);
      const ended = await executor.run(job(mode, outDir));
      const probe = JSON.parse(await Deno.readTextFile(`${outDir}/probe.json`)) as Probe;
      out.push({ ok: ended.ok, ...(ended.ok ? {} : { code: codeOf(ended.error) }), probe });
    }
  } finally {
    await executor.close();
    await Deno.remove(dir, { recursive: true });
  }
  return Object.assign(out, { retired });
}

function job(mode: ProbeMode, outDir: string, signal?: AbortSignal): StageJob {
  return {
    decl: { id: `probe/${mode}`, module: PROBE, inputs: {}, params: {}, outputs: ["probe.json"] },
    params: { mode },
    inputs: {},
    outDir,
    onProgress: () => {},
    ...(signal ? { signal } : {}),
  };
}

Deno.test("localExecutor() runs consecutive stages in the same worker", async () => {
  const runs = await runProbes(["report", "report", "report"]);
  assert.ok(runs.every((r) => r.ok));
  assert.equal(new Set(runs.map((r) => r.probe.worker)).size, 1);
  assert.deepEqual(runs.retired, [{ kind: "closed" }]);
});

Deno.test("localExecutor() throws away the worker of a stage that failed", async () => {
  const runs = await runProbes(["report", "throw", "report"]);
  assert.deepEqual(runs.map((r) => r.ok), [true, false, true]);
  assert.equal(runs[1]!.code, "stage-threw");
  assert.equal(runs[0]!.probe.worker, runs[1]!.probe.worker);
  assert.notEqual(runs[2]!.probe.worker, runs[1]!.probe.worker);
  assert.deepEqual(runs.retired[0], { kind: "failed" });
});

Deno.test("localExecutor() does not let a global set by one stage reach the next", async () => {
  const runs = await runProbes(["set-global", "report"]);
  assert.ok(runs.every((r) => r.ok));
  assert.equal(runs[1]!.probe.sawGlobal, false);
  assert.notEqual(runs[1]!.probe.worker, runs[0]!.probe.worker);
  assert.deepEqual(runs.retired[0], { kind: "leaked", globals: ["psinvProbeLeak"] });
});

Deno.test("localExecutor() does not reuse a worker whose built-ins a stage patched", async () => {
  const runs = await runProbes(["patch-builtin", "report"]);
  assert.notEqual(runs[1]!.probe.worker, runs[0]!.probe.worker);
  assert.deepEqual(runs.retired[0], { kind: "leaked", globals: ["Math.random"] });
});

Deno.test("localExecutor() does not fail a stage for what an earlier stage left behind", async () => {
  // The first stage's timer throws while the second runs in the same worker.
  const runs = await runProbes(["throw-later", "slow-report"]);
  assert.deepEqual(runs.map((r) => r.ok), [true, true]);
  assert.notEqual(runs[1]!.probe.worker, runs[0]!.probe.worker);
  assert.deepEqual(runs.retired[0], { kind: "failed" });
});

Deno.test("localExecutor() retires a worker after stagesPerWorker stages", async () => {
  const runs = await runProbes(["report", "report", "report"], { stagesPerWorker: 2 });
  const workers = runs.map((r) => r.probe.worker);
  assert.equal(workers[0], workers[1]);
  assert.notEqual(workers[2], workers[1]);
  assert.deepEqual(runs.retired[0], { kind: "worn-out", stages: 2 });
});

Deno.test("localExecutor() stops a stage whose signal is aborted and ends its worker", async () => {
  const retired: RetireReason[] = [];
  const executor = localExecutor({ onRetire: (why) => retired.push(why) });
  const dir = await Deno.makeTempDir({ prefix: "psinv-pool-" });
  try {
    const abort = new AbortController();
    const hanging = executor.run(job("hang", dir, abort.signal));
    // The probe writes its report before hanging: once it is there, the stage is running.
    for (;;) {
      try {
        await Deno.stat(`${dir}/probe.json`);
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 10));
      }
    }
    abort.abort();
    const ended = await hanging;
    assert.equal(ended.ok, false);
    assert.equal(!ended.ok && codeOf(ended.error), "stage-aborted");
    assert.deepEqual(retired, [{ kind: "aborted" }]);
  } finally {
    await executor.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("localExecutor() names each stage's lane: one per live worker, the lowest number free", async () => {
  const executor = localExecutor({ stagesPerWorker: 2 });
  const dir = await Deno.makeTempDir({ prefix: "psinv-pool-" });
  const lanes: string[] = [];
  const run = async (mode: ProbeMode, i: number) => {
    await Deno.mkdir(`${dir}/${i}`);
    const j = job(mode, `${dir}/${i}`);
    return await executor.run({ ...j, onLane: (l) => lanes[i] = l.lane });
  };
  try {
    // Two at once take two workers; the next two reuse them, which then wear out.
    await Promise.all([run("slow-report", 0), run("slow-report", 1)]);
    await Promise.all([run("slow-report", 2), run("slow-report", 3)]);
    assert.deepEqual(lanes.slice(0, 2).sort(), ["worker 1", "worker 2"]);
    assert.deepEqual(lanes.slice(2, 4).sort(), ["worker 1", "worker 2"]);
    // Fresh workers take the numbers the worn-out ones left; a failed stage's worker is retired.
    await run("throw", 4);
    await run("report", 5);
    assert.deepEqual(lanes.slice(4), ["worker 1", "worker 1"]);
  } finally {
    await executor.close();
    await Deno.remove(dir, { recursive: true });
  }
});
