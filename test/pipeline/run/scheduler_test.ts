import assert from "node:assert/strict";
import { main } from "../../../pipeline/cli/cli.ts";
import { artifactsDir, entryDir, outDir, psinvDir } from "../../../pipeline/core/layout.ts";
import { toyProject } from "../../testdata/toy/harness.ts";
import { toy } from "../../testdata/toy/pipeline.ts";

const ALL = ["after", "busy/one", "busy/two", "flaky", "source", "step/a", "step/b", "total"];

Deno.test("the first run executes every stage and an unchanged rerun executes none", async () => {
  const p = await toyProject();
  try {
    const first = await p.run("reproduce");
    assert.deepEqual(first.code, 0, first.err);
    assert.deepEqual((await p.executions()).length, ALL.length);
    assert.ok(Object.values(await p.statuses()).every((s) => s === "executed"));

    await p.resetCount();
    const second = await p.run("reproduce");
    assert.deepEqual(second.code, 0, second.err);
    assert.deepEqual(await p.executions(), []);
    assert.ok(Object.values(await p.statuses()).every((s) => s === "cached"));
    assert.ok(second.out.includes("0 executed, 8 cached, 0 failed"), second.out);
  } finally {
    await p.dispose();
  }
});

Deno.test("changing one configuration's parameter reruns exactly its chain; reverting reruns nothing", async () => {
  const p = await toyProject();
  try {
    assert.deepEqual((await p.run("reproduce")).code, 0);
    await p.resetCount();
    await p.editParams((d) => ((d.configs as Record<string, { k: number }>).a!.k = 5));
    assert.deepEqual((await p.run("reproduce")).code, 0);
    const executed = Object.entries(await p.statuses()).filter(([, s]) => s === "executed");
    assert.deepEqual(executed.map(([id]) => id).sort(), ["step/a", "total"]);
    assert.deepEqual(await p.executions("step"), ['step {"k":5}']);
    assert.deepEqual(
      await Deno.readTextFile(`${artifactsDir(p.root)}/steps/a.txt`),
      "seed=1\nk=5\n",
    );

    await p.resetCount();
    await p.editParams((d) => ((d.configs as Record<string, { k: number }>).a!.k = 1));
    assert.deepEqual((await p.run("reproduce")).code, 0);
    assert.deepEqual(await p.executions(), []);
    assert.deepEqual(
      await Deno.readTextFile(`${artifactsDir(p.root)}/steps/a.txt`),
      "seed=1\nk=1\n",
    );
  } finally {
    await p.dispose();
  }
});

Deno.test("a --set override reruns what it touches without rewriting the parameters file", async () => {
  const p = await toyProject();
  try {
    assert.deepEqual((await p.run("reproduce")).code, 0);
    const before = await Deno.readTextFile(`${p.root}/params.json`);
    await p.resetCount();
    assert.deepEqual((await p.run("reproduce", "--set", "configs.b.k=7")).code, 0);
    assert.deepEqual(await p.executions("step"), ['step {"k":7}']);
    assert.deepEqual(await Deno.readTextFile(`${p.root}/params.json`), before);
  } finally {
    await p.dispose();
  }
});

Deno.test("changing an undeclared parameter reruns nothing", async () => {
  const p = await toyProject();
  try {
    assert.deepEqual((await p.run("reproduce")).code, 0);
    await p.resetCount();
    await p.editParams((d) => (d.unused = "edited"));
    assert.deepEqual((await p.run("reproduce")).code, 0);
    assert.deepEqual(await p.executions(), []);
  } finally {
    await p.dispose();
  }
});

Deno.test("an upstream rerun that writes identical bytes does not rerun its readers", async () => {
  const p = await toyProject();
  try {
    assert.deepEqual((await p.run("reproduce")).code, 0);
    await p.resetCount();
    // --force re-executes source; its output is the same, so step/* and total stay cached.
    assert.deepEqual((await p.run("reproduce", "source", "--force")).code, 0);
    assert.deepEqual((await p.executions()).map((l) => l.split(" ")[0]), ["source"]);
  } finally {
    await p.dispose();
  }
});

Deno.test("naming a stage runs it and its upstream only", async () => {
  const p = await toyProject();
  try {
    assert.deepEqual((await p.run("reproduce", "step/b")).code, 0);
    assert.deepEqual(Object.keys(await p.statuses()).sort(), ["source", "step/b"]);
  } finally {
    await p.dispose();
  }
});

Deno.test("two independent busy stages with --jobs 2 run at the same time", async () => {
  const p = await toyProject();
  try {
    const r = await p.run(
      "reproduce",
      "busy/one",
      "busy/two",
      "--jobs",
      "2",
      "--set",
      "busy.one=700",
      "--set",
      "busy.two=700",
    );
    assert.deepEqual(r.code, 0, r.err);
    const stages = (await p.report()).stages;
    const span = (id: string) => {
      const s = stages.find((x) => x.id === id)!;
      assert.deepEqual(s.status, "executed");
      return [Date.parse(s.started), Date.parse(s.finished)] as const;
    };
    const [a0, a1] = span("busy/one");
    const [b0, b1] = span("busy/two");
    const overlap = Math.min(a1, b1) - Math.max(a0, b0);
    // Each spins 700 ms of its own thread: run in turn they could not overlap at all.
    assert.ok(overlap > 0, `no overlap: [${a0}, ${a1}] and [${b0}, ${b1}]`);
  } finally {
    await p.dispose();
  }
});

Deno.test("--jobs 1 runs one stage at a time", async () => {
  const p = await toyProject();
  try {
    const r = await p.run(
      "reproduce",
      "--jobs",
      "1",
      "--set",
      "busy.one=150",
      "--set",
      "busy.two=150",
    );
    assert.deepEqual(r.code, 0, r.err);
    const spans = (await p.report()).stages.filter((s) => s.status === "executed")
      .map((s) => [Date.parse(s.started), Date.parse(s.finished)] as const)
      .sort((x, y) => x[0] - y[0]);
    for (let i = 1; i < spans.length; i++) assert.ok(spans[i]![0] >= spans[i - 1]![1]);
  } finally {
    await p.dispose();
  }
});

Deno.test("a stage that throws fails the run; its dependant is skipped and independent stages finish", async () => {
  const p = await toyProject();
  try {
    const r = await p.run("reproduce", "--set", "fail.mode=throw");
    assert.deepEqual(r.code, 1);
    const s = await p.statuses();
    assert.deepEqual(s.flaky, "failed");
    assert.deepEqual(s.after, "skipped");
    for (const id of ["source", "step/a", "step/b", "total", "busy/one", "busy/two"]) {
      assert.deepEqual(s[id], "executed", id);
    }
    assert.ok(r.err.includes(`Stage "flaky" failed (stage-threw): Error: boom`), r.err);
    assert.ok(r.err.includes("Failed: flaky"), r.err);
    assert.deepEqual(await p.executions("after"), []);
    const report = (await p.report()).stages as { id: string; error?: string }[];
    assert.equal(
      report.find((x) => x.id === "after")!.error,
      `Stage "after" was skipped: its input "flaky" failed`,
    );
    // Nothing of the failed stage entered the store: a fixed rerun executes it again.
    await p.resetCount();
    assert.deepEqual((await p.run("reproduce")).code, 0);
    assert.deepEqual((await p.executions()).map((l) => l.split(" ")[0]).sort(), ["after", "flaky"]);
  } finally {
    await p.dispose();
  }
});

Deno.test("a StageError is reported with its code and hint", async () => {
  const p = await toyProject();
  try {
    const r = await p.run("reproduce", "flaky", "--set", "fail.mode=stage-error");
    assert.deepEqual(r.code, 1);
    assert.ok(
      r.err.includes(`Stage "flaky" failed (toy-broken): the toy broke (mend the toy)`),
      r.err,
    );
  } finally {
    await p.dispose();
  }
});

Deno.test("a stage that does not write a declared output fails with output-missing", async () => {
  const p = await toyProject();
  try {
    const r = await p.run("reproduce", "flaky", "--set", "fail.mode=no-output", "--json");
    assert.deepEqual(r.code, 1);
    const events = r.out.trim().split("\n").map((l) => JSON.parse(l));
    const failed = events.find((e) => e.kind === "stage-failed");
    assert.deepEqual(failed.failure, {
      reason: "output-missing",
      stage: "flaky",
      file: "flaky.txt",
    });
  } finally {
    await p.dispose();
  }
});

Deno.test("--force executes the named stage even though it is cached", async () => {
  const p = await toyProject();
  try {
    assert.deepEqual((await p.run("reproduce")).code, 0);
    await p.resetCount();
    assert.deepEqual((await p.run("reproduce", "step/a", "--force")).code, 0);
    assert.deepEqual(await p.executions("step"), ['step {"k":1}']);
    assert.deepEqual(await p.executions("source"), []);
  } finally {
    await p.dispose();
  }
});

Deno.test("a damaged stored result is reported and recomputed, never served", async () => {
  const p = await toyProject();
  try {
    assert.deepEqual((await p.run("reproduce", "source")).code, 0);
    const key = (await p.report()).stages[0]!.key!;
    const file = `${outDir(entryDir(psinvDir(p.root), key))}/source.txt`;
    await Deno.writeTextFile(file, "seed=9\n");
    await p.resetCount();
    const r = await p.run("reproduce", "source");
    assert.deepEqual(r.code, 0);
    assert.ok(r.err.includes("The stored result of source was damaged"), r.err);
    assert.deepEqual(await p.executions("source"), ['source {"seed":1}']);
    assert.deepEqual(await Deno.readTextFile(file), "seed=1\n");
  } finally {
    await p.dispose();
  }
});

Deno.test("a long stage's progress reaches the event stream", async () => {
  const p = await toyProject();
  try {
    const r = await p.run("reproduce", "busy/one", "--set", "busy.one=400", "--json");
    assert.equal(r.code, 0, r.err);
    const progress = r.out.trim().split("\n").map((l) => JSON.parse(l))
      .filter((e) => e.kind === "stage-progress");
    assert.ok(progress.length >= 1);
    assert.ok(progress.every((e) => e.stage === "busy/one" && e.total === 400));
  } finally {
    await p.dispose();
  }
});

Deno.test("two stages of one run with the same key execute once; the second reuses the result", async () => {
  const p = await toyProject();
  try {
    const busy = new URL("../../testdata/toy/busy.ts", import.meta.url).href;
    // The same module and parameter under two ids: one computation, one key.
    const twice = (id: string) => ({
      id,
      module: busy,
      inputs: {},
      params: { ms: "busy.one" },
      outputs: ["busy.txt"],
    });
    const code = await main(["reproduce", "--jobs", "2"], {
      ...toy,
      stages: () => [twice("same/a"), twice("same/b")],
    }, { root: p.root, out: () => {}, err: () => {}, terminal: false, env: () => undefined });
    assert.equal(code, 0);
    assert.equal((await p.executions("busy")).length, 1);
    assert.deepEqual(Object.values(await p.statuses()).sort(), ["cached", "executed"]);
  } finally {
    await p.dispose();
  }
});
