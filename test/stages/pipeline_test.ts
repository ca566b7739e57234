/**
 * The experiment's pipeline as declared for params.json, and scenario runs of the real stages on
 * a tiny version of it (30 points, 3 epochs) in a temporary project: what a sweep expands into,
 * what adding a value to it executes, and that a forced rerun is bit-identical.
 */
import assert from "node:assert/strict";
import { project, shipped } from "./_tiny_project.ts";
import { dagSvg } from "../../pipeline/commands/dag.ts";
import { stageFamily } from "../../pipeline/core/stage.ts";
import { buildGraph } from "../../pipeline/run/graph.ts";
import { declareStages, experiment } from "../../stages/pipeline.ts";

Deno.test("declareStages() for params.json: every replicate its own stage; diagonal grid cells reuse the configurations' runs", () => {
  const ids = declareStages(shipped).map((d) => d.id);
  const train = ids.filter((id) => id.startsWith("train/"));
  const configs = Object.keys(shipped.configs).length;
  const { seeds, draws } = shipped.replicates;
  const grid = shipped.sweeps["grid"]!;
  const cells = grid.lambda.length * grid.mu!.length * grid.activation!.length;
  const cellRuns = (grid.replicates?.seeds ?? seeds) * (grid.replicates?.draws ?? draws);
  // The five diagonal ReLU cells repeat lam0p01 … lam100 and declare no stages of their own;
  // the capacity sweep's [30, 30] ReLU and SiLU cells at λ = μ = 0 and 1 repeat free-relu,
  // free-silu, lam1 and lam1-silu.
  const capacity = shipped.sweeps["capacity"]!;
  const capacityCells = capacity.layers!.length * capacity.lambda.length *
    capacity.activation!.length;
  const capacityRuns = capacity.replicates!.seeds * capacity.replicates!.draws;
  // Claim too-simple pairs the unconstrained ReLU [64, 64] cell with free-relu: that cell gets
  // free-relu's 5 seeds × 3 draws (statistics.minRuns = 15 paired runs).
  const raised = seeds * draws - capacityRuns;
  // The search's first rung only: its later rungs follow from its selections' results.
  const search = shipped.searches["front"]!;
  const firstRung = search.trials * search.replicates.seeds * search.replicates.draws;
  assert.equal(
    train.length,
    configs * seeds * draws + (cells - 5) * cellRuns + (capacityCells - 4) * capacityRuns + raised +
      firstRung,
  );
  assert.ok(ids.includes("select/front/r0") && !ids.includes("select/front/r1"));
  assert.ok(!ids.includes("claims"), "the claims wait for the search to be whole");
  assert.ok(ids.includes("train/capacity/h64x2-l0-m0-tanh/s2-d0"));
  assert.ok(ids.includes("train/capacity/h64x2-l0-m0-relu/s4-d2"));
  assert.ok(!ids.includes("train/capacity/h64x2-l0-m0-silu/s0-d1"));
  assert.ok(!ids.includes("train/capacity/h30x2-l1-m1-silu/s0-d0"));
  assert.ok(ids.includes("train/lam1/s0-d0") && ids.includes("train/lam1/s4-d2"));
  assert.ok(ids.includes("train/grid/l0.1-m10-relu/s1-d0"));
  assert.ok(!ids.includes("train/grid/l1-m1-relu/s0-d0"));
  assert.deepEqual(ids.filter((id) => id.startsWith("generate/")), [
    "generate/d0",
    "generate/d1",
    "generate/d2",
  ]);
  const collect = declareStages(shipped).find((d) => d.id === "collect")!;
  assert.equal(collect.inputs["grid/l1-m1-relu/s0-d0"], "evaluate/lam1/s0-d0");
  const render = declareStages(shipped).find((d) => d.id === "render/lam1")!;
  assert.deepEqual(render.inputs, {
    data: "generate/d0",
    model: "train/lam1/s0-d0",
    evaluation: "evaluate/lam1/s0-d0",
  });
});

Deno.test("declareStages(): every stage runs the module named after its id", () => {
  for (const d of declareStages(shipped)) {
    // `render/lam1` → render.ts, `loss-bands` → loss_bands.ts.
    const expected = `${d.id.split("/")[0]!.replaceAll("-", "_")}.ts`;
    assert.equal(d.module.split("/").at(-1), expected, `stage "${d.id}" runs ${d.module}`);
  }
});

Deno.test("dagSvg() of params.json's pipeline fits one screen: at most 40 nodes, every family named", () => {
  const decls = declareStages(shipped);
  assert.ok(decls.length > 300);
  const graph = buildGraph(decls);
  assert.ok(graph.ok);
  const svg = dagSvg(graph.value);
  const labels = [...svg.matchAll(/<text [^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
  const families = [...new Set(decls.map((d) => stageFamily(d.id)))];
  assert.ok(labels.length <= 40, `${labels.length} nodes`);
  assert.deepEqual(labels.map((l) => l.replace(/ \(\d+\)$/, "")).sort(), families.sort());
  const trainings = decls.filter((d) => d.id.startsWith("train/")).length;
  assert.ok(labels.includes(`train/* (${trainings})`), labels.join(", "));
  const [, width, height] = /<svg [^>]*width="(\d+)" height="(\d+)"/.exec(svg)!.map(Number);
  assert.ok(width! <= 1920 && height! <= 1080, `${width} × ${height}`);
});

Deno.test("adding a value to a sweep executes only the new cells and the summaries; a forced rerun is bit-identical", async (t) => {
  const p = await project();
  try {
    const first = await p.run("reproduce");
    assert.equal(first.code, 0, first.err);
    const before = await p.artifacts();
    assert.ok("stats.csv" in before && "claims.json" in before && "figures/claims.md" in before);
    assert.ok("figures/grid/heatmap-relu.svg" in before && "figures/loss_bands.svg" in before);
    assert.ok("figures/grid/l1-m10-relu/fit.svg" in before, "the requested cell is drawn");
    assert.ok(!("figures/grid/l1-m1-relu/fit.svg" in before), "other cells are not");

    await t.step("a forced rerun of every stage writes the same bytes", async () => {
      const again = await p.run("reproduce", "--force");
      assert.equal(again.code, 0, again.err);
      assert.ok((await p.executed()).length > 20, "every stage executed again");
      assert.deepEqual(await p.artifacts(), before);
    });

    await t.step(
      "λ = 0.1 added: its two cells train, the summaries follow, nothing else",
      async () => {
        await p.edit((d) => (d.sweeps.grid.lambda = [1, 0.1]));
        const r = await p.run("reproduce");
        assert.equal(r.code, 0, r.err);
        assert.deepEqual(await p.executed(), [
          "claims",
          "collect",
          "evaluate/grid/l0.1-m1-relu/s0-d0",
          "evaluate/grid/l0.1-m10-relu/s0-d0",
          "post",
          "render-grid",
          "render-tradeoff",
          "report",
          "stats",
          "train/grid/l0.1-m1-relu/s0-d0",
          "train/grid/l0.1-m10-relu/s0-d0",
        ]);
        const after = await p.artifacts();
        // The old cells' statistics are untouched by the new ones.
        const old = (text: string) => text.split("\n").filter((l) => l.startsWith("grid/l1-"));
        assert.deepEqual(old(after["stats.csv"]!), old(before["stats.csv"]!));
        assert.equal(after["metrics.csv"], before["metrics.csv"]);
      },
    );

    await t.step(
      "bad sweep input: one line naming the field, exit 2, the store untouched",
      async () => {
        const store = async () => {
          const names: string[] = [];
          for await (const e of Deno.readDir(`${p.root}/.psinv/store`)) names.push(e.name);
          return names.sort();
        };
        const held = await store();
        await p.edit((d) => (d.sweeps.grid.mu = [1, 10, 1]));
        const r = await p.run("reproduce");
        assert.equal(r.code, 2);
        assert.equal(r.err.trim().split("\n").length, 1, r.err);
        assert.match(r.err, /"sweeps\.grid\.mu\.2": 1 is listed twice/);
        assert.deepEqual(await store(), held);
      },
    );
  } finally {
    await Deno.remove(p.root, { recursive: true });
  }
});

Deno.test("more training.epochs continue every stored training and give a cold run's artifacts and keys", async () => {
  const [p, cold] = [await project(), await project()];
  const trainings = async (root: string) =>
    (JSON.parse(await Deno.readTextFile(`${root}/artifacts/run.json`)).stages as {
      id: string;
      status: string;
      key: string;
      resumed?: { progress: number };
    }[]).filter((s) => s.id.startsWith("train/"));
  try {
    assert.equal((await p.run("reproduce")).code, 0);
    const extended = await p.run("reproduce", "--set", "training.epochs=7");
    assert.equal(extended.code, 0, extended.err);
    const resumed = await trainings(p.root);
    assert.ok(resumed.length >= 4, "every replicate and cell trains");
    for (const s of resumed) assert.deepEqual([s.status, s.resumed?.progress], ["executed", 3]);
    await cold.edit((d) => (d.training.epochs = 7));
    assert.equal((await cold.run("reproduce")).code, 0);
    const fresh = await trainings(cold.root);
    assert.ok(fresh.every((s) => s.status === "executed" && s.resumed === undefined));
    assert.deepEqual(resumed.map((s) => s.key), fresh.map((s) => s.key));
    assert.deepEqual(await p.artifacts(), await cold.artifacts());
  } finally {
    await Promise.all([p, cold].map((q) => Deno.remove(q.root, { recursive: true })));
  }
});

Deno.test("experiment.validate() refuses training.checkpoints not before training.epochs, or repeated", () => {
  const doc = JSON.parse(Deno.readTextFileSync(new URL("../../params.json", import.meta.url)));
  doc.training.checkpoints = [100, 500, 100];
  const r = experiment.validate(doc);
  assert.ok(!r.ok);
  assert.deepEqual(r.issues.map((i) => i.path), [
    "training.checkpoints.1",
    "training.checkpoints.2",
  ]);
  assert.match(
    r.issues[0]!.message,
    /500 is not before training\.epochs \(500\): list earlier epochs/,
  );
  assert.match(r.issues[1]!.message, /100 is listed twice/);
  doc.training.checkpoints = [0];
  const zero = experiment.validate(doc);
  assert.ok(!zero.ok && zero.issues[0]!.path === "training.checkpoints.0");
});

Deno.test("experiment.validate() refuses a training too large for memory with one issue, before any stage is declared", () => {
  const doc = JSON.parse(Deno.readTextFileSync(new URL("../../params.json", import.meta.url)));
  doc.data.n = 1e9;
  const r = experiment.validate(doc);
  assert.ok(!r.ok);
  assert.equal(r.issues.length, 1);
  assert.equal(r.issues[0]!.path, "data.n");
  assert.match(r.issues[0]!.message, /GiB in the kernel, more than WebAssembly's 4 GiB/);
});
