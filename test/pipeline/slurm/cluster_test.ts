/**
 * The SLURM executor against a real one-node cluster (`.ci/slurm/start`, or any other: nothing
 * here assumes a partition's name). Every test of this file submits jobs; they run one after
 * another (one file), and no other test file submits any, so taking the node down in one of them
 * cannot disturb another's jobs.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { StageReport } from "../../../pipeline/record/mod.ts";
import {
  artifactsDir,
  entriesDir,
  lockFile,
  manifestFile,
  provenanceFile,
  psinvDir,
  runReportFile,
  scratchParentDir,
  slurmDir,
  slurmJobsFile,
  slurmRunDir,
} from "../../../pipeline/core/layout.ts";
import { main } from "../../../pipeline/cli/cli.ts";
import type { StageProvenance } from "../../../pipeline/core/provenance.ts";
import { call } from "../../../pipeline/slurm/commands.ts";
import { experiment } from "../../../stages/pipeline.ts";
import { type ToyProject, toyProject } from "../../testdata/toy/harness.ts";
import { climbPipeline } from "../../testdata/climb/pipeline.ts";
import {
  activeOf,
  batchesOf,
  clusterHere,
  jobsOfThisProcess,
  offersOf,
  POLL,
  runHere,
  runningJob,
  spawn,
  stateOf,
} from "./_cluster.ts";

const { known, ignore } = await clusterHere();

async function keys(p: ToyProject): Promise<Record<string, string | null>> {
  return Object.fromEntries((await p.report()).stages.map((s) => [s.id, s.key]));
}

async function entries(root: string): Promise<number> {
  let n = 0;
  const dir = entriesDir(psinvDir(root));
  for await (const shard of Deno.readDir(dir)) {
    for await (const _ of Deno.readDir(`${dir}/${shard.name}`)) n++;
  }
  return n;
}

/** The local executor's results for the toy: what every SLURM run must reproduce exactly. */
async function localReference(
  args: string[] = [],
): Promise<{ files: Record<string, string>; keys: Record<string, string | null> }> {
  const p = await toyProject();
  try {
    const r = await p.run("reproduce", ...args);
    assert.equal(r.code, 0, r.err);
    return { files: await p.artifacts(), keys: await keys(p) };
  } finally {
    await p.dispose();
  }
}

Deno.test({
  name: "bad input to the SLURM executor is one line naming the fix, exit 2, and no job",
  ignore,
  async fn(t) {
    const before = await jobsOfThisProcess();
    const cases: [string[], RegExp][] = [
      [
        ["--executor", "pbs"],
        /^Unknown executor "pbs" \(--executor\): valid executors are local, slurm/,
      ],
      [
        ["--executor", "slurm", "--partition", "nope"],
        // The cluster's own partitions, whatever they are called.
        new RegExp(`unknown partition "nope": use --partition with one of ${known.join(", ")}$`),
      ],
      [["--executor", "slurm", "--time", "1h"], /--time: time must be SLURM's format/],
      [["--executor", "slurm", "--mem", "100T"], /sbatch rejects this run's requests/],
      [["--executor", "slurm", "--batch", "0s"], /--batch must be a number of stages per job/],
    ];
    for (const [args, message] of cases) {
      await t.step(args.join(" "), async () => {
        const p = await toyProject();
        try {
          const r = await runHere(p, "reproduce", ...args);
          assert.equal(r.code, 2, r.err);
          const lines = r.err.trim().split("\n");
          assert.equal(lines.length, 1, r.err);
          assert.match(lines[0]!, message);
          // The store was never opened (only the code-graph memo may exist).
          const store = psinvDir(p.root);
          for (const path of [entriesDir(store), slurmDir(store), lockFile(store)]) {
            await assert.rejects(Deno.stat(path), Deno.errors.NotFound);
          }
        } finally {
          await p.dispose();
        }
      });
    }
    await t.step("sbatch missing from the PATH", async () => {
      const p = await toyProject();
      try {
        const bin = Deno.execPath().slice(0, Deno.execPath().lastIndexOf("/"));
        const run = await spawn(p, [], { env: { PATH: bin } });
        const { status, stderr } = await run.end();
        assert.equal(status.code, 2, stderr);
        assert.match(run.events.at(-1)?.kind ?? "", /command-failed/);
        assert.match(JSON.stringify(run.events.at(-1)), /\\"sbatch\\" is not on the PATH/);
      } finally {
        await p.dispose();
      }
    });
    assert.deepEqual(await jobsOfThisProcess(), before);
  },
});

Deno.test({
  name: "a run on SLURM batches ready stages into few jobs and gives the local executor's results",
  ignore,
  async fn() {
    const reference = await localReference();
    const p = await toyProject();
    try {
      const run = await spawn(p, []);
      const { status, stderr } = await run.end();
      assert.equal(status.code, 0, stderr);
      assert.deepEqual(await p.artifacts(), reference.files);
      assert.deepEqual(await keys(p), reference.keys);
      // The four stages without inputs went in together, as one job; that job, idle after
      // them, was given the stages their results made ready instead of new jobs being queued.
      const batches = batchesOf(run.events);
      assert.deepEqual([...batches[0]!.stages].sort(), ["busy/one", "busy/two", "flaky", "source"]);
      const offers = offersOf(run.events);
      assert.ok(offers.length >= 1 && offers.every((o) => o.job === batches[0]!.job));
      assert.ok(batches.length <= 2, JSON.stringify(batches));
      assert.equal([...batches, ...offers].flatMap((b) => b.stages).length, 8);
      // Each result records the node and the job that computed it.
      const record = JSON.parse(await Deno.readTextFile(provenanceFile(artifactsDir(p.root))));
      for (const [id, stage] of Object.entries(record.stages as Record<string, StageProvenance>)) {
        assert.equal(stage.ran?.executor, "slurm", id);
        assert.match(stage.ran?.job ?? "", /^\d+_\d+$/, id);
        assert.ok((stage.ran?.host ?? "") !== "", id);
      }
      // run.json (and so timeline.svg) puts each stage on its job's worker, by the node's clock.
      const report = JSON.parse(await Deno.readTextFile(runReportFile(artifactsDir(p.root))));
      for (const s of report.stages as StageReport[]) {
        assert.match(s.execution?.lane ?? "", /^job \d+_\d+ worker \d+$/, s.id);
        assert.ok(Date.parse(s.execution!.finished) >= Date.parse(s.execution!.started), s.id);
      }
      // The run's records are gone, the store verifies, and a rerun submits nothing.
      assert.deepEqual(await Array.fromAsync(Deno.readDir(slurmDir(psinvDir(p.root)))), []);
      const again = await runHere(p, "reproduce", "--executor", "slurm");
      assert.equal(again.code, 0, again.err);
      assert.ok(!again.err.includes("Submitted"), again.err);
      assert.ok(again.out.includes("0 executed, 8 cached"), again.out);
    } finally {
      await p.dispose();
    }
  },
});

Deno.test({
  name: "on SLURM a stage with progress continues the state it finds in the shared store",
  ignore,
  async fn() {
    const params = { walk: { steps: 5, seed: 7, keep: [], ms: 0 } };
    await using p = await toyProject({ pipeline: climbPipeline(), params });
    const slurm = (...args: string[]) =>
      p.runWith({ env: { PSINV_POLL: POLL } }, "reproduce", "--executor", "slurm", ...args);
    const first = await slurm();
    assert.equal(first.code, 0, first.err);
    const longer = await slurm("--set", "walk.steps=9");
    assert.equal(longer.code, 0, longer.err);
    assert.deepEqual(await p.executions("climb"), [
      'climb {"from":0,"to":5}',
      'climb {"from":5,"to":9}',
    ]);
    const record = JSON.parse(await Deno.readTextFile(provenanceFile(artifactsDir(p.root))));
    assert.equal(record.stages.walk.ran?.executor, "slurm");
    assert.equal(record.stages.walk.resumed?.progress, 5);
  },
});

Deno.test({
  name: "--batch 1 runs one stage per job; a job cancelled with scancel fails only its stage",
  ignore,
  async fn() {
    const p = await toyProject();
    try {
      const { run, job } = await runningJob(p, ["--batch", "1", "--set", "busy.one=60000"]);
      await call("scancel", [job]);
      const { status, stderr } = await run.end();
      assert.equal(status.code, 1, stderr);
      assert.ok(batchesOf(run.events).every((b) => b.stages.length === 1));
      assert.deepEqual(offersOf(run.events), []);
      const failed = run.events.find((e) => e.kind === "stage-failed" && e.stage === "busy/one");
      assert.equal(failed?.failure?.reason, "cluster-job-failed");
      assert.equal(failed?.failure?.state, "CANCELLED");
      const statuses = await p.statuses();
      for (const [id, s] of Object.entries(statuses)) {
        assert.equal(s, id === "busy/one" ? "failed" : "executed", id);
      }
    } finally {
      await p.dispose();
    }
  },
});

Deno.test({
  name:
    "a signal through deno task cancels the run's jobs within 10 s, records the run and releases the store",
  ignore,
  async fn(t) {
    const signals: [string, number, (run: Awaited<ReturnType<typeof spawn>>) => Promise<void>][] = [
      ["SIGINT to the process group, again as it is handled, and again (Ctrl-C twice)", 130, async (
        run,
      ) => {
        const group = (): void => {
          try {
            Deno.kill(-run.child.pid, "SIGINT");
          } catch {
            // The run has ended already.
          }
        };
        group();
        // Once the first is being handled, as the copy `deno task` forwards may arrive…
        await run.waitFor((e) => e.kind === "run-interrupted");
        group();
        // …and a second Ctrl-C, which only stops the waiting for jobs to leave the queue.
        await new Promise((r) => setTimeout(r, 1100));
        group();
      }],
      ["SIGTERM to the deno task process alone", 143, (run) => {
        Deno.kill(run.child.pid, "SIGTERM");
        return Promise.resolve();
      }],
      ["SIGHUP to the process group, its terminal gone", 129, async (run) => {
        await run.hangUp();
        Deno.kill(-run.child.pid, "SIGHUP");
      }],
    ];
    for (const [name, code, send] of signals) {
      await t.step(name, async () => {
        const p = await toyProject();
        try {
          const args = ["--set", "busy.one=60000"];
          const { run } = await runningJob(p, args, { viaTask: true });
          const jobs = batchesOf(run.events).map((b) => b.job);
          const sent = Date.now();
          await send(run);
          while ((await activeOf(jobs)).length > 0) {
            assert.ok(Date.now() - sent < 10_000, `still queued: ${await activeOf(jobs)}`);
            await new Promise((r) => setTimeout(r, 250));
          }
          const { status, stderr } = await run.end();
          assert.equal(status.code, code, stderr);
          // Interrupted, not failed; run.json written; the lock released.
          const report = JSON.parse(await Deno.readTextFile(runReportFile(artifactsDir(p.root))));
          const busy = report.stages.find((s: { id: string }) => s.id === "busy/one");
          assert.equal(busy.status, "interrupted");
          await assert.rejects(Deno.stat(lockFile(psinvDir(p.root))), Deno.errors.NotFound);
          if (code !== 129) {
            const done = run.events.find((e) => e.kind === "run-done")!;
            assert.deepEqual(done.failures, []);
            assert.ok(done.interrupted! >= 1, JSON.stringify(done));
          }
        } finally {
          await p.dispose();
        }
      });
    }
  },
});

Deno.test({
  name: "after kill -9 of the coordinator the next run cancels its jobs and completes identically",
  ignore,
  async fn() {
    const args = ["--set", "busy.one=6000"];
    const reference = await localReference(args);
    const p = await toyProject();
    try {
      const { run, job } = await runningJob(p, args);
      run.child.kill("SIGKILL");
      await run.end();
      // The job outlives its coordinator, and the store records it.
      assert.equal(await stateOf(job), "RUNNING");
      const [record] = await Array.fromAsync(Deno.readDir(slurmDir(psinvDir(p.root))));
      const recorded = JSON.parse(
        await Deno.readTextFile(slurmJobsFile(slurmRunDir(psinvDir(p.root), record!.name))),
      );
      assert.ok(recorded.jobs.includes(job.split("_")[0]), JSON.stringify(recorded));

      const next = await runHere(p, "reproduce", "--executor", "slurm", ...args);
      assert.equal(next.code, 0, next.err);
      assert.match(next.err, /Cancelled \d+ SLURM job\(s\) left by an earlier run: .*\b/);
      assert.ok(next.err.includes(job.split("_")[0]!), next.err);
      assert.equal(await stateOf(job), "CANCELLED");
      assert.deepEqual(await p.artifacts(), reference.files);
      assert.deepEqual(await keys(p), reference.keys);
      // One entry per stage: nothing duplicated; all intact; no leftovers.
      assert.equal(await entries(p.root), 8);
      const verify = await runHere(p, "verify");
      assert.equal(verify.code, 0, verify.out + verify.err);
      assert.deepEqual(await Array.fromAsync(Deno.readDir(slurmDir(psinvDir(p.root)))), []);
      assert.deepEqual(await Array.fromAsync(Deno.readDir(scratchParentDir(psinvDir(p.root)))), []);
    } finally {
      await p.dispose();
    }
  },
});

Deno.test({
  name:
    "a batch lost to a failed node (NODE_FAIL) keeps the stages it finished and resubmits the rest",
  ignore,
  async fn() {
    const p = await toyProject();
    const node = (await call("sinfo", ["-h", "-N", "-o", "%N"])).stdout.trim().split("\n")[0]!;
    try {
      const { run, job } = await runningJob(p, ["--set", "busy.one=4000"]);
      // The batch's other stages are done (and stored) before its node goes down.
      for (const stage of ["source", "busy/two", "flaky"]) {
        await run.waitFor((e) => e.kind === "stage-executed" && e.stage === stage);
      }
      await call("scontrol", ["update", `nodename=${node}`, "state=down", "reason=psinv-test"]);
      const again = await run.waitFor((e) => e.kind === "cluster-resubmitted");
      await call("scontrol", ["update", `nodename=${node}`, "state=resume"]);
      const { status, stderr } = await run.end();
      assert.equal(status.code, 0, stderr);
      assert.equal(await stateOf(job), "NODE_FAIL");
      assert.deepEqual(again.stages, ["busy/one"]);
      assert.ok(Object.values(await p.statuses()).every((s) => s === "executed"));
      // busy/one ran twice (the lost attempt and the resubmitted one), the rest once.
      assert.equal((await p.executions("busy")).length, 3);
      assert.equal((await p.executions("flaky")).length, 1);
    } finally {
      await call("scontrol", ["update", `nodename=${node}`, "state=resume"]);
      await p.dispose();
    }
  },
});

/** Every stage's stored content hash, from the manifests of a store. */
async function contents(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const dir = entriesDir(psinvDir(root));
  for await (const shard of Deno.readDir(dir)) {
    for await (const e of Deno.readDir(`${dir}/${shard.name}`)) {
      const m = JSON.parse(await Deno.readTextFile(manifestFile(`${dir}/${shard.name}/${e.name}`)));
      out[m.stage] = m.content;
    }
  }
  return out;
}

Deno.test({
  name: "a sweep of the experiment's training on SLURM stores the local executor's bytes exactly",
  ignore,
  async fn() {
    const params = new URL("../../../params.json", import.meta.url).pathname;
    const args = [
      "reproduce",
      "evaluate/lam1/s0-d0",
      "evaluate/lam1/s1-d0",
      "evaluate/lam1-silu/s0-d0",
      "evaluate/free-relu/s0-d1",
      "--set",
      "training.epochs=40",
    ];
    const stored: Record<string, string>[] = [];
    for (const executor of ["local", "slurm"]) {
      const root = await Deno.makeTempDir({ prefix: "psinv-sweep-" });
      try {
        await Deno.copyFile(params, `${root}/params.json`);
        let err = "";
        const code = await main([...args, "--executor", executor], experiment, {
          root,
          out: () => {},
          err: (t) => (err += t),
          terminal: false,
          env: (name) => (name === "PSINV_POLL" ? POLL : undefined),
        });
        assert.equal(code, 0, err);
        assert.equal(err.includes("Submitted"), executor === "slurm", err);
        stored.push(await contents(root));
      } finally {
        await Deno.remove(root, { recursive: true });
      }
    }
    assert.deepEqual(Object.keys(stored[1]!).sort(), [
      "evaluate/free-relu/s0-d1",
      "evaluate/lam1-silu/s0-d0",
      "evaluate/lam1/s0-d0",
      "evaluate/lam1/s1-d0",
      "generate/d0",
      "generate/d1",
      "train/free-relu/s0-d1",
      "train/lam1-silu/s0-d0",
      "train/lam1/s0-d0",
      "train/lam1/s1-d0",
    ]);
    assert.deepEqual(stored[1], stored[0]);
  },
});
