/**
 * A graph that grows as it runs (`Pipeline.stages`' `known`): the toy plus a stage declared only
 * once `source` has run, from what it wrote. `dag` and `status` say what the graph waits on;
 * `reproduce` runs what is declared, declares again and runs what that adds; a rerun executes
 * nothing; `why` follows the grown stage back to the result that decided it; `compare` grows
 * both sides.
 */
import assert from "node:assert/strict";
import type { Pipeline, StageDecl } from "../../../pipeline/core/stage.ts";
import { toy, type ToyParams, toyStages } from "../../testdata/toy/pipeline.ts";
import { toyProject } from "../../testdata/toy/harness.ts";
import { withToyPair } from "../remote/_toy_remote.ts";

const step = new URL("../../testdata/toy/step.ts", import.meta.url).href;

/** The toy, and `step/grown`, whose k is the seed `source` wrote, once it has written it. */
const growing: Pipeline<ToyParams> = {
  ...toy,
  stages: (p, known) => {
    const text = known?.read("source", "source.txt");
    const grown: StageDecl[] = text === undefined ? [] : [{
      id: "step/grown",
      module: step,
      inputs: { src: "source" },
      params: { k: { value: Number(/seed=(\d+)/.exec(text)![1]) } },
      outputs: ["step.txt"],
      publish: { "step.txt": "steps/grown.txt" },
      after: ["source"],
    }];
    return [...toyStages(p), ...grown];
  },
};

Deno.test("a growing graph: declared as far as results allow, grown as it runs, replayed from the store", async (t) => {
  await using p = await toyProject();
  const run = (...args: string[]) => p.runWith({ pipeline: growing }, ...args);

  await t.step("dag and status name what the graph waits on", async () => {
    const dag = await run("dag");
    assert.equal(dag.code, 0, dag.err);
    assert.match(dag.out, /The graph grows as it runs: more stages follow from .* source/);
    assert.doesNotMatch(dag.out, /step\/grown/);
    const status = await run("status");
    assert.match(status.out, /The graph grows as it runs/);
  });

  await t.step("reproduce runs source, declares step/grown from its result, runs it", async () => {
    const r = await run("reproduce");
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /The graph grew: source declared 1 more stage/);
    assert.equal((await p.executions("step")).length, 3);
    assert.equal((await p.artifacts())["steps/grown.txt"], "seed=1\nk=1\n");
    assert.equal((await p.statuses())["step/grown"], "executed");
  });

  await t.step("a rerun executes nothing; status has nothing pending", async () => {
    await p.resetCount();
    const r = await run("reproduce");
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(await p.executions(), []);
    const status = await run("status");
    assert.doesNotMatch(status.out, /grows as it runs/);
    assert.match(status.out, /fresh\s+step\/grown/);
  });

  await t.step("why follows the grown stage back to the result that decided it", async () => {
    const why = await run("why", "steps/grown.txt");
    assert.equal(why.code, 0, why.err);
    assert.match(why.out, /after\s+source \(decided that it exists\)/);
  });

  await t.step(
    "a new seed: source runs again, and the grown stage follows its new result",
    async () => {
      await p.resetCount();
      const r = await run("reproduce", "--set", "seed=7");
      assert.equal(r.code, 0, r.err);
      assert.equal((await p.artifacts())["steps/grown.txt"], "seed=7\nk=7\n");
    },
  );

  await t.step("compare grows both sides", async () => {
    const r = await run("compare", "--set", "seed=3");
    assert.equal(r.code, 0, r.err);
    const files = await p.artifacts();
    assert.equal(files["compare/current/steps/grown.txt"], "seed=1\nk=1\n");
    assert.equal(files["compare/variant/steps/grown.txt"], "seed=3\nk=3\n");
  });
});

Deno.test("a growing graph through a remote: a fresh clone downloads every result, the grown stage's too", () =>
  withToyPair("file", async (p) => {
    const a = await p.a.runWith({ pipeline: growing }, "reproduce", "--remote", p.url);
    assert.equal(a.code, 0, a.err);
    const b = await p.b.runWith({ pipeline: growing }, "reproduce", "--remote", p.url);
    assert.equal(b.code, 0, b.err);
    assert.deepEqual(await p.b.project.executions(), []);
    assert.equal((await p.b.project.statuses())["step/grown"], "cached");
    assert.equal((await p.b.project.artifacts())["steps/grown.txt"], "seed=1\nk=1\n");
  }));

Deno.test("a declaration that reads a stage it does not declare is refused before anything runs", async () => {
  await using p = await toyProject();
  const stray: Pipeline<ToyParams> = {
    ...toy,
    stages: (params, known) => {
      known?.read("sauce", "source.txt");
      return toyStages(params);
    },
  };
  const r = await p.runWith({ pipeline: stray }, "reproduce");
  assert.equal(r.code, 2);
  assert.match(r.err, /read a result of "sauce", which is not declared/);
  assert.deepEqual(await p.executions(), []);
});

Deno.test("a failed stage ends a growing run as any run: it is not tried again in a later pass", async () => {
  await using p = await toyProject();
  await p.editParams((d) => (d.fail = { mode: "throw" }));
  const r = await p.runWith({ pipeline: growing }, "reproduce");
  assert.equal(r.code, 1);
  assert.equal((await p.executions("flaky")).length, 1);
  assert.equal((await p.statuses())["step/grown"], undefined, "the graph did not grow");
});
