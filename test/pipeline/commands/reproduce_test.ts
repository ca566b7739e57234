import assert from "node:assert/strict";
import { type CommandContext, reproduce } from "../../../pipeline/commands/mod.ts";
import { err, type Event, type Failure } from "../../../pipeline/core/mod.ts";
import { codeOf, localExecutor, makePlan, selectStages } from "../../../pipeline/run/mod.ts";
import { toyProject } from "../../testdata/toy/harness.ts";
import { toy } from "../../testdata/toy/pipeline.ts";

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

Deno.test("artifacts/ holds the published outputs and loses those no longer published", async () => {
  const p = await toyProject();
  try {
    assert.equal((await p.run("reproduce")).code, 0);
    assert.equal(await Deno.readTextFile(`${p.root}/artifacts/steps/b.txt`), "seed=1\nk=2\n");
    assert.ok(await exists(`${p.root}/artifacts/flaky.txt`));
    // Unchanged content is not rewritten (an atomic rewrite would give the file a new inode).
    const inode = (await Deno.stat(`${p.root}/artifacts/total.txt`)).ino;
    assert.equal((await p.run("reproduce")).code, 0);
    assert.equal((await Deno.stat(`${p.root}/artifacts/total.txt`)).ino, inode);
    // Drop configuration b: its step leaves artifacts/.
    await p.editParams((d) => delete (d.configs as Record<string, unknown>).b);
    assert.equal((await p.run("reproduce")).code, 0);
    assert.equal(await exists(`${p.root}/artifacts/steps/b.txt`), false);
    assert.equal(await Deno.readTextFile(`${p.root}/artifacts/total.txt`), "[a]\nseed=1\nk=1\n");
    // A stage that now fails leaves no stale artifact behind.
    assert.equal((await p.run("reproduce", "--set", "fail.mode=throw")).code, 1);
    assert.equal(await exists(`${p.root}/artifacts/flaky.txt`), false);
    const left = [];
    for await (const e of Deno.readDir(`${p.root}/artifacts`)) left.push(e.name);
    assert.ok(!left.some((n) => n.includes("tmp")), left.join(","));
  } finally {
    await p.dispose();
  }
});

Deno.test("an unwritable artifacts/ is an io-failed error, not a half-written file", async () => {
  const p = await toyProject();
  try {
    await Deno.writeTextFile(`${p.root}/artifacts`, "a file where the folder should be");
    const r = await p.run("reproduce", "source");
    assert.equal(r.code, 1);
    assert.ok(r.err.includes("Cannot write"), r.err);
    assert.ok(r.err.includes("check that artifacts/ is a writable folder"), r.err);
    assert.equal(r.err.trim().split("\n").length, 1, r.err);
  } finally {
    await p.dispose();
  }
});

Deno.test("reproduce() hands every outcome to recordRun once, and a failed record fails the run", async () => {
  const p = await toyProject();
  try {
    const plan = await makePlan(toy, { root: p.root, overrides: [] });
    assert.ok(plan.ok);
    const ids = selectStages(plan.value.graph, ["total"]);
    assert.ok(ids.ok);
    const code = await codeOf(plan.value, ids.value);
    assert.ok(code.ok);
    const events: Event[] = [];
    const records: string[][] = [];
    const diskFull: Failure = {
      reason: "io-failed",
      path: `${p.root}/artifacts/run.json`,
      detail: "No space left on device",
      hint: "free some space",
    };
    const ctx: CommandContext = {
      root: p.root,
      emit: (e) => events.push(e),
      now: Date.now,
      recordRun: (outcomes) => {
        records.push(outcomes.map((o) => `${o.id} ${o.status}`));
        return Promise.resolve(err(diskFull));
      },
    };
    const result = await reproduce(ctx, {
      plan: plan.value,
      ids: ids.value,
      code: code.value,
      jobs: 2,
      force: new Set(),
      executor: localExecutor,
      cluster: false,
    });
    assert.deepEqual(result, { ok: false, error: diskFull });
    assert.deepEqual(records, [[
      "source executed",
      "step/a executed",
      "step/b executed",
      "total executed",
    ]]);
    assert.equal(events.at(-1)?.kind, "run-done");
    assert.equal(await exists(`${p.root}/artifacts/run.json`), false, "the CLI writes run.json");
    assert.equal(
      await Deno.readTextFile(`${p.root}/artifacts/total.txt`),
      "[a]\nseed=1\nk=1\n[b]\nseed=1\nk=2\n",
    );
  } finally {
    await p.dispose();
  }
});
