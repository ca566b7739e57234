import assert from "node:assert/strict";
import {
  artifactsDir,
  checkpointOutput,
  entryDir,
  lineageDir,
  outDir,
  provenanceFile,
  psinvDir,
  runReportFile,
  type StageDecl,
} from "../../../pipeline/core/mod.ts";
import { progressPlan } from "../../../pipeline/run/progress.ts";
import { loadOrCreateSigningKey } from "../../../pipeline/remote/signing_key.ts";
import { type ClimbParams, climbPipeline } from "../../testdata/climb/pipeline.ts";
import { toyProject } from "../../testdata/toy/harness.ts";

/** A project of the climb pipeline in a temporary folder, removed on disposal. */
async function climbProject(walk: Partial<ClimbParams["walk"]> = {}, time?: string) {
  const params = { walk: { steps: 5, seed: 7, keep: [], ms: 0, ...walk } };
  const p = await toyProject({ pipeline: climbPipeline(time), params });
  const store = psinvDir(p.root);
  return Object.assign(p, {
    /** The walk's executions so far, as `[from, to]`. */
    async climbs(): Promise<[number, number][]> {
      return (await p.executions("climb")).map((l) => {
        const { from, to } = JSON.parse(l.slice("climb ".length));
        return [from, to] as [number, number];
      });
    },
    /** The walk's line of the last run report. */
    async walkReport(): Promise<{ status: string; key: string; resumed?: unknown }> {
      const report = JSON.parse(await Deno.readTextFile(runReportFile(artifactsDir(p.root))));
      return report.stages.find((s: { id: string }) => s.id === "walk");
    },
    artifact: (path: string) => Deno.readTextFile(`${artifactsDir(p.root)}/${path}`),
    /** Keys listed anywhere in the lineage index. */
    async lineageKeys(): Promise<string[]> {
      const keys: string[] = [];
      for await (const e of Deno.readDir(lineageDir(store))) {
        const doc = JSON.parse(await Deno.readTextFile(`${lineageDir(store)}/${e.name}`));
        keys.push(...doc.entries.map((x: { key: string }) => x.key));
      }
      return keys.sort();
    },
  });
}

const ok = (r: { code: number; out: string; err: string }) =>
  assert.equal(r.code, 0, r.err + r.out);

Deno.test("a longer run continues the furthest stored run and stores a cold run's bytes under its key", async () => {
  await using p = await climbProject();
  ok(await p.run("reproduce"));
  const short = await p.walkReport();
  const extended = await p.run("reproduce", "--set", "walk.steps=9");
  ok(extended);
  assert.deepEqual(await p.climbs(), [[0, 5], [5, 9]]);
  assert.match(extended.out, /✓ walk \(.*, resumed at walk\.steps = 5\)/);
  assert.match(extended.out, /2 executed \(1 resumed\), 0 cached/);
  const resumed = await p.walkReport();
  assert.deepEqual(resumed.resumed, { key: short.key, progress: 5 });

  await using cold = await climbProject({ steps: 9 });
  ok(await cold.run("reproduce"));
  assert.deepEqual(await cold.climbs(), [[0, 9]]);
  assert.equal((await cold.walkReport()).key, resumed.key);
  assert.equal(await p.artifact("walk.txt"), await cold.artifact("walk.txt"));
  assert.equal(await p.artifact("tail.txt"), await cold.artifact("tail.txt"));
  const state = (root: string) =>
    Deno.readTextFile(`${outDir(entryDir(psinvDir(root), resumed.key))}/${checkpointOutput(9)}`);
  assert.equal(await state(p.root), await state(cold.root));

  // Provenance says where it started; the cold run's says nothing of the kind.
  const provenance = JSON.parse(await Deno.readTextFile(provenanceFile(artifactsDir(p.root))));
  assert.deepEqual(provenance.stages.walk.resumed, { key: short.key, progress: 5 });
  const why = await p.run("why", "walk.txt");
  assert.match(why.out, new RegExp(`resumed +from ${short.key} at 5`));
  const coldProvenance = JSON.parse(
    await Deno.readTextFile(provenanceFile(artifactsDir(cold.root))),
  );
  assert.equal(coldProvenance.stages.walk.resumed, undefined);
});

Deno.test("compare runs the variant by continuing the current side's stored state", async () => {
  await using p = await climbProject();
  ok(await p.run("reproduce"));
  const compared = await p.run("compare", "--set", "walk.steps=9");
  ok(compared);
  assert.deepEqual(await p.climbs(), [[0, 5], [5, 9]]);
  assert.match(compared.out, /walk\.steps 5 → 9/);
});

Deno.test("a shorter run starts from a kept intermediate state, never past its own first kept state", async () => {
  await using p = await climbProject({ steps: 10, keep: [4, 7] });
  ok(await p.run("reproduce"));
  ok(await p.run("reproduce", "--set", "walk.steps=6", "--set", "walk.keep=[]"));
  ok(await p.run("reproduce", "--set", "walk.steps=9", "--set", "walk.keep=[]"));
  // Kept states at 4 and 7 of the 10-step walk, and the 6-step walk's own: 5 is the first state
  // the 12-step walk keeps, so it can start no later than 4.
  ok(await p.run("reproduce", "--set", "walk.steps=12", "--set", "walk.keep=[5]"));
  assert.deepEqual(await p.climbs(), [[0, 10], [4, 6], [7, 9], [4, 12]]);

  await using cold = await climbProject({ steps: 12, keep: [5] });
  ok(await cold.run("reproduce"));
  assert.equal((await cold.walkReport()).key, (await p.walkReport()).key);
  assert.equal(await p.artifact("walk.txt"), await cold.artifact("walk.txt"));
});

Deno.test("another parameter, --force, or going back to a stored value does not continue anything", async () => {
  await using p = await climbProject();
  ok(await p.run("reproduce"));
  ok(await p.run("reproduce", "--set", "walk.steps=8", "--set", "walk.seed=8"));
  ok(await p.run("reproduce", "--set", "walk.steps=8", "--force", "walk"));
  await p.resetCount();
  ok(await p.run("reproduce"));
  assert.deepEqual(await p.climbs(), []);
  ok(await p.run("reproduce", "--set", "walk.steps=8", "--force", "walk"));
  assert.deepEqual(await p.climbs(), [[0, 8]]);
  assert.equal((await p.walkReport()).resumed, undefined);
});

Deno.test("a run stopped by its time limit keeps no state: the next run continues the last complete one", async () => {
  await using p = await climbProject({}, "0:01");
  ok(await p.run("reproduce"));
  const stopped = await p.run(
    "reproduce",
    "--set",
    "walk.steps=400",
    "--set",
    "walk.ms=10",
    "--set",
    "walk.keep=[6]",
  );
  assert.equal(stopped.code, 1, stopped.out);
  assert.match(stopped.err, /timed out/);
  // Its scratch held a state at 6 when it was stopped; none of it entered the store.
  assert.equal((await p.lineageKeys()).length, 1);
  ok(await p.run("reproduce", "--set", "walk.steps=8"));
  assert.deepEqual((await p.climbs()).at(-1), [5, 8]);
});

Deno.test("a damaged stored state is set aside, said, and the next best state continued", async () => {
  await using p = await climbProject();
  ok(await p.run("reproduce"));
  ok(await p.run("reproduce", "--set", "walk.steps=8"));
  const eight = await p.walkReport();
  const file = `${outDir(entryDir(psinvDir(p.root), eight.key))}/${checkpointOutput(8)}`;
  await Deno.writeTextFile(file, (await Deno.readTextFile(file)).replace("8", "9"));
  const next = await p.run("reproduce", "--set", "walk.steps=10");
  ok(next);
  assert.match(next.err, /damaged/);
  assert.deepEqual((await p.climbs()).at(-1), [5, 10]);
});

Deno.test("gc drops the results it removes from the lineage index", async () => {
  await using p = await climbProject();
  ok(await p.run("reproduce"));
  const five = (await p.walkReport()).key;
  ok(await p.run("reproduce", "--set", "walk.steps=8"));
  ok(await p.run("reproduce"));
  assert.equal((await p.lineageKeys()).length, 2);
  ok(await p.run("gc", "--keep", "0"));
  assert.deepEqual(await p.lineageKeys(), [five]);
});

Deno.test("a result downloaded by reproduce --remote is continued by a later miss here", async () => {
  const shared = await Deno.makeTempDir({ prefix: "psinv-climb-remote-" });
  try {
    const keyFile = `${shared}/key.json`;
    const signing = await loadOrCreateSigningKey(keyFile);
    assert.ok(signing.ok);
    const trusted = JSON.stringify({ keys: [{ key: signing.value.key.id, name: "ci" }] });
    const env = { PSINV_SIGNING_KEY: keyFile };
    const remote = ["--remote", `file://${shared}/remote`];
    await Deno.mkdir(`${shared}/remote`);
    await using a = await climbProject();
    await Deno.writeTextFile(`${a.root}/trusted_keys.json`, trusted);
    ok(await a.runWith({ env }, "reproduce", ...remote));
    await using b = await climbProject();
    await Deno.writeTextFile(`${b.root}/trusted_keys.json`, trusted);
    const pulled = await b.runWith({ env }, "reproduce", ...remote);
    ok(pulled);
    assert.deepEqual(await b.climbs(), []);
    ok(await b.run("reproduce", "--set", "walk.steps=9"));
    assert.deepEqual(await b.climbs(), [[5, 9]]);
  } finally {
    await Deno.remove(shared, { recursive: true });
  }
});

Deno.test("progressPlan() checks the declaration and lists the kept states", async (t) => {
  const decl: StageDecl = {
    id: "w",
    module: "file:///w.ts",
    inputs: {},
    outputs: ["o"],
    params: { steps: "walk.steps", keep: "walk.keep", n: { value: 3 } },
    progress: { param: "steps", checkpoints: "keep" },
  };
  await t.step("states ascending, without repeats, ending at the target", () => {
    const p = progressPlan(decl, { steps: 10, keep: [7, 2, 7] });
    assert.ok(p.ok && p.value);
    assert.deepEqual(p.value.states, [2, 7, 10]);
    assert.deepEqual(p.value.params, { progress: "walk.steps", checkpoints: "walk.keep" });
  });
  await t.step("a literal progress parameter is keyed by its local name", () => {
    const p = progressPlan({ ...decl, progress: { param: "n" } }, { n: 3 });
    assert.ok(p.ok && p.value);
    assert.deepEqual(p.value.params, { progress: "n" });
  });
  await t.step("refuses undeclared names, non-numbers and states not below the target", () => {
    for (
      const [progress, values] of [
        [{ param: "epochs" }, { steps: 1 }],
        [{ param: "steps" }, { steps: "5" }],
        [{ param: "steps", checkpoints: "nope" }, { steps: 5 }],
        [{ param: "steps", checkpoints: "keep" }, { steps: 5, keep: 3 }],
        [{ param: "steps", checkpoints: "keep" }, { steps: 5, keep: [5] }],
      ] as const
    ) {
      const p = progressPlan({ ...decl, progress }, values);
      assert.ok(!p.ok && p.error.reason === "graph-invalid" && p.error.detail.includes('"w"'));
    }
  });
});

Deno.test("a kept state not below the progress is refused before anything runs, exit 2", async () => {
  await using p = await climbProject({ keep: [5] });
  const r = await p.run("reproduce");
  assert.equal(r.code, 2);
  assert.match(r.err, /walk\.keep.*below 5/);
  assert.deepEqual(await p.climbs(), []);
});
