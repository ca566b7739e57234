/**
 * A search run for real on the tiny experiment: its graph grows as its selections run, every
 * promoted trial continues its previous rung, a rerun executes nothing, doubling the trials
 * trains only what is new, and a bad definition is refused before anything runs.
 */
import assert from "node:assert/strict";
import { declareStages, experiment } from "../../../stages/pipeline.ts";
import { paramsSchema } from "../../../stages/params_schema.ts";
import { project, shipped, tiny, tinySearch } from "../_tiny_project.ts";
import { searchEpochs } from "../../../stages/search/halving.ts";
import type { ProvenanceRecord } from "../../../pipeline/core/provenance.ts";

const withSearch = { ...tiny, searches: { front: tinySearch } };
const front = tinySearch;

/** The rows of `front.csv`, by column name. */
function rows(csv: string): Record<string, string>[] {
  const [head, ...lines] = csv.trim().split("\n");
  const cols = head!.split(",");
  return lines.map((l) => Object.fromEntries(l.split(",").map((v, i) => [cols[i]!, v])));
}

Deno.test("the shipped search trains at most a third of the epochs of the grid it is compared with", () => {
  const s = shipped.searches["front"]!;
  const grid = shipped.sweeps[s.compare]!;
  const cells = grid.lambda.length * (grid.mu ?? grid.lambda).length *
    (grid.activation ?? [shipped.training.activation]).length;
  const runs = (grid.replicates ?? shipped.replicates).seeds *
    (grid.replicates ?? shipped.replicates).draws;
  const { spent } = searchEpochs(
    s.trials,
    s.rungs,
    s.eta,
    s.replicates.seeds * s.replicates.draws,
  );
  assert.equal(spent, 9900);
  assert.ok(spent <= (cells * runs * shipped.training.epochs) / 3, `${spent} epochs`);
});

Deno.test("declareStages() with a search: the first rung and its selection, the rest once it has run", () => {
  const params = paramsSchema.parse(withSearch);
  const ids = declareStages(params).map((d) => d.id);
  assert.ok(ids.includes("train/search-front/t3/e2/s0-d0") && ids.includes("select/front/r0"));
  assert.ok(!ids.some((id) => id.includes("/e4/")), "the second rung waits for the selection");
  assert.ok(!ids.includes("search/front") && !ids.includes("claims") && !ids.includes("post"));
  const read = (stage: string, file: string) =>
    stage === "select/front/r0" && file === "promoted.json"
      ? '{"rung":0,"ranked":[0,1,2,3],"promoted":[1,3]}'
      : undefined;
  const grown = declareStages(params, { read });
  const trains = grown.filter((d) => d.id.includes("/e4/") && d.id.startsWith("train/"));
  assert.deepEqual(trains.map((d) => d.id), [
    "train/search-front/t1/e4/s0-d0",
    "train/search-front/t3/e4/s0-d0",
  ]);
  assert.deepEqual(trains[0]!.after, ["select/front/r0"]);
  assert.ok(grown.some((d) => d.id === "claims") && grown.some((d) => d.id === "search/front"));
});

Deno.test("a search reproduces: rungs resume, a rerun executes nothing, more trials train only what is new", async (t) => {
  const p = await project(withSearch);
  try {
    const first = await p.run("reproduce");
    assert.equal(first.code, 0, first.err);
    const table = rows((await p.artifacts())["search/front.csv"]!);

    await t.step("front.csv: 4 trials at rung 0, the promoted 2 at rung 1", () => {
      const at = (rung: string) => table.filter((r) => r.rung === rung);
      assert.equal(at("0").length, 4);
      const promoted = at("0").filter((r) => r.promoted === "1").map((r) => r.trial);
      assert.equal(promoted.length, 2);
      assert.deepEqual(at("1").map((r) => r.trial), promoted);
      assert.ok(at("1").every((r) => r.epochs === "4" && r.promoted === "0"));
    });

    await t.step(
      "every promoted trial's next rung resumed from it, after its selection",
      async () => {
        const record = JSON.parse(
          await Deno.readTextFile(`${p.root}/artifacts/provenance.json`),
        ) as ProvenanceRecord;
        const second = Object.entries(record.stages).filter(([id]) =>
          id.startsWith("train/search-front/") && id.includes("/e4/")
        );
        assert.equal(second.length, 2);
        for (const [id, s] of second) {
          assert.equal(s.resumed?.progress, 2, `${id} resumed at epoch 2`);
          const from = id.replace("/e4/", "/e2/");
          assert.equal(s.resumed?.key, record.stages[from]!.key, `${id} resumed ${from}`);
          assert.deepEqual(s.after, ["select/front/r0"]);
        }
      },
    );

    await t.step(
      "claims.json decides search-front; the report and the post show the search",
      async () => {
        const files = await p.artifacts();
        const claims = JSON.parse(files["claims.json"]!) as {
          claims: { id: string; verdict: string }[];
        };
        const claim = claims.claims.find((c) => c.id === "search-front");
        assert.ok(claim, "search-front is in claims.json");
        assert.match(claim.verdict, /^(supported|contradicted|inconclusive|undecided)$/);
        assert.ok("figures/search/front.svg" in files && "search/front.json" in files);
        assert.match(files["index.html"]!, /figures\/search\/front\.svg/);
        assert.match(files["post.md"]!, /figures\/search\/front\.svg/);
      },
    );

    await t.step("a rerun executes nothing", async () => {
      const again = await p.run("reproduce");
      assert.equal(again.code, 0, again.err);
      assert.deepEqual(await p.executed(), []);
    });

    await t.step("doubling the trials trains only the new trials and rungs", async () => {
      await p.edit((d) => (d.searches.front.trials = 8));
      const r = await p.run("reproduce");
      assert.equal(r.code, 0, r.err);
      const trained = (await p.executed()).filter((id) => id.startsWith("train/"));
      const firstRung = trained.filter((id) => id.includes("/e2/")).map((id) =>
        Number(/\/t(\d+)\//.exec(id)![1])
      );
      assert.deepEqual(firstRung.sort(), [4, 5, 6, 7]);
      const old = new Set(table.filter((r) => r.rung === "1").map((r) => r.trial));
      for (const id of trained.filter((id) => id.includes("/e4/"))) {
        assert.ok(!old.has(/\/t(\d+)\//.exec(id)![1]!), `${id} was trained before`);
      }
    });
  } finally {
    await Deno.remove(p.root, { recursive: true });
  }
});

Deno.test("reproduce --decide search-front raises the search's and its sweep's seeds until the claim is decided", async () => {
  // The grid trains 2 cells × 30 epochs a seed, the search 4 × 2 + 2 × 2: within a third.
  const p = await project({
    ...withSearch,
    training: { ...tiny.training, epochs: 30 },
    statistics: { ...tiny.statistics, decide: { maxSeeds: 12 } },
  });
  try {
    const r = await p.run("reproduce", "--decide", "search-front");
    assert.equal(r.code, 0, r.err);
    const claims = JSON.parse((await p.artifacts())["claims.json"]!) as {
      claims: { id: string; verdict: string; n: number; seeds: number; level: number }[];
    };
    const claim = claims.claims.find((c) => c.id === "search-front")!;
    // Looks at 1, 2, 4, 8 and 12 seeds: the last with 12 paired replicates, at 1 − 0.05 / 5.
    assert.equal(claim.seeds, 12);
    assert.equal(claim.n, 12);
    assert.equal(claim.level, 0.99);
    assert.notEqual(claim.verdict, "undecided");
    const collected = (await p.artifacts())["replicates.csv"]!.split("\n");
    assert.equal(collected.filter((l) => l.startsWith("grid/l1-m10-relu,")).length, 12);
  } finally {
    await Deno.remove(p.root, { recursive: true });
  }
});

Deno.test("a bad search definition is refused with one line naming the field, exit 2, nothing run", async (t) => {
  const cases: [string, (s: typeof front) => unknown, RegExp][] = [
    [
      "an empty range",
      (s) => ({ ...s, space: { ...s.space, lambda: { log: [10, 1] } } }),
      /searches\.front\.space\.lambda\.log.*empty range/,
    ],
    ["η ≤ 1", (s) => ({ ...s, eta: 1 }), /searches\.front\.eta: must be > 1/],
    [
      "rungs not increasing",
      (s) => ({ ...s, rungs: [4, 2] }),
      /searches\.front\.rungs.*must increase/,
    ],
    ["an unknown parameter", (s) => ({ ...s, budget: 3 }), /searches\.front.*budget/],
    [
      "a sweep that does not exist",
      (s) => ({ ...s, compare: "gird" }),
      /searches\.front\.compare.*names no sweep/,
    ],
  ];
  for (const [what, edit, message] of cases) {
    await t.step(what, () => {
      const r = experiment.validate({ ...withSearch, searches: { front: edit(front) } });
      assert.ok(!r.ok);
      assert.equal(r.issues.length, 1, JSON.stringify(r.issues));
      assert.match(`${r.issues[0]!.path}: ${r.issues[0]!.message}`, message);
    });
  }
  await t.step("through the command line: exit 2, one line, no store", async () => {
    const p = await project({ ...withSearch, searches: { front: { ...front, eta: 0.5 } } });
    try {
      const r = await p.run("reproduce");
      assert.equal(r.code, 2);
      assert.equal(r.err.trim().split("\n").length, 1, r.err);
      assert.match(r.err, /searches\.front\.eta/);
      await assert.rejects(Deno.stat(`${p.root}/.psinv/store`));
    } finally {
      await Deno.remove(p.root, { recursive: true });
    }
  });
});
