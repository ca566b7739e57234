/**
 * `reproduce --decide` on the toy pipeline with a decide hook that raises configuration a's k
 * one round at a time until it reaches 3: rounds run only what the hook reads, the last runs
 * everything, a repeated `--decide` executes nothing, and a bad target is refused before
 * anything runs.
 */
import assert from "node:assert/strict";
import type { Pipeline } from "../../../pipeline/core/stage.ts";
import { toyProject } from "../../testdata/toy/harness.ts";
import { toy, type ToyParams } from "../../testdata/toy/pipeline.ts";

/** The toy with a hook: while total.txt says a's k is below 3, the next round adds one. */
const deciding: Pipeline<ToyParams> = {
  ...toy,
  decide: {
    noun: "configuration",
    targets: ["a", "b"],
    reads: ["total"],
    next: () =>
      Promise.resolve(async ({ read, targets }) => {
        if (targets.length > 0 && !targets.includes("a")) return null;
        const total = await read("total", "total.txt");
        const k = Number(/\[a\][^[]*?k=(\d+)/s.exec(total)?.[1]);
        return k < 3 ? [`configs.a.k=${k + 1}`] : null;
      }),
  },
};

Deno.test("reproduce --decide runs rounds until the hook adds nothing; a rerun executes nothing", async () => {
  const p = await toyProject();
  try {
    const first = await p.runWith({ pipeline: deciding }, "reproduce", "--decide");
    assert.equal(first.code, 0, first.err);
    // Rounds 1–3 run step/a at k = 1, 2, 3 (and step/b, k = 2, once); the last round the rest.
    // (Sorted: step/a and step/b of round 1 run at once.)
    assert.deepEqual((await p.executions("step")).sort(), [
      'step {"k":1}',
      'step {"k":2}',
      'step {"k":2}',
      'step {"k":3}',
    ]);
    assert.equal((await p.executions("busy")).length, 2, "the last round runs everything");
    assert.match(first.out, /round 2 adds configs\.a\.k=2/);
    assert.match(first.out, /round 3 adds configs\.a\.k=3/);
    assert.match(first.out, /Decided after round 3/);
    assert.match(await Deno.readTextFile(`${p.root}/artifacts/total.txt`), /\[a\]\nseed=1\nk=3/);
    await p.resetCount();
    const again = await p.runWith({ pipeline: deciding }, "reproduce", "--decide");
    assert.equal(again.code, 0, again.err);
    assert.deepEqual(await p.executions(), [], "a repeated --decide replays from the store");
    // Naming only b: the hook has nothing to add, so one round and the last.
    const b = await p.runWith({ pipeline: deciding }, "reproduce", "--decide", "b");
    assert.equal(b.code, 0, b.err);
    assert.match(b.out, /Decided after round 1/);
  } finally {
    await p.dispose();
  }
});

Deno.test("reproduce --decide with an unknown target exits 2 with one line, before anything runs", async () => {
  const p = await toyProject();
  try {
    const r = await p.runWith({ pipeline: deciding }, "reproduce", "--decide", "aa");
    assert.equal(r.code, 2);
    assert.equal(r.err.trim().split("\n").length, 1, r.err);
    assert.match(r.err, /Unknown configuration "aa" after --decide/);
    assert.match(r.err, /did you mean "a"/);
    assert.deepEqual(await p.executions(), []);
    const plain = await p.run("reproduce", "--decide");
    assert.equal(plain.code, 2, "a pipeline without a decide hook refuses --decide");
  } finally {
    await p.dispose();
  }
});

Deno.test("reproduce --decide ends when the hook only repeats what it added", async () => {
  const p = await toyProject();
  try {
    const stubborn: Pipeline<ToyParams> = {
      ...deciding,
      decide: {
        ...deciding.decide!,
        next: () => Promise.resolve(() => Promise.resolve(["configs.a.k=5"])),
      },
    };
    const r = await p.runWith({ pipeline: stubborn }, "reproduce", "--decide");
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /round 2 adds configs\.a\.k=5/);
    assert.match(r.out, /Decided after round 2/);
  } finally {
    await p.dispose();
  }
});
