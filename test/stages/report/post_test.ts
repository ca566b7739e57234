/**
 * Posts whose numbers cannot go stale: the reference syntax (`post_refs.ts`), the `post` stage on
 * a tiny reproduction of every configuration, and `deno task publish --post`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { type PostSources, renderPost } from "../../../stages/report/post_refs.ts";
import { main as publish } from "../../../stages/report/publish.ts";
import type { StatsRow } from "../../../stages/stats/stats_format.ts";
import { tinyParams, tinyProject } from "./_tiny.ts";

const stat = (id: string, metric: string, mean: number): StatsRow =>
  ({
    id,
    lambda: 1,
    mu: 1,
    activation: "relu",
    metric,
    n: 15,
    mean,
    median: mean / 2,
    std: 0.1,
    ci_low: mean - 0.01,
    ci_high: mean + 0.01,
  }) as StatsRow;

const SOURCES: PostSources = {
  claims: {
    confidence: 0.95,
    resamples: 100,
    seed: 0,
    seeds: 5,
    draws: 3,
    minRuns: 15,
    fewestRuns: 10,
    maxSeeds: 40,
    claims: [{
      id: "fit-rises",
      claim: "The fit error rises",
      measure: "ρ",
      estimate: 0.987654,
      ci: [0.9, 1],
      n: 15,
      verdict: "supported",
      level: 0.9875,
      looks: 4,
      seeds: 5,
      draws: 3,
      cap: false,
      summary: "",
      evidence: [],
    }],
    flipped: [{ id: "lam10", seed: 3, draw: 0 }],
    runs: 195,
  },
  stats: [stat("lam1", "fit", 0.141234), stat("grid/l0.1-m10-relu", "inv", 0.5)],
  metrics: [],
  figures: ["figures/lam1/fit.svg", "figures/data.svg"],
  param: (p) => (p === "training.epochs" ? 500 : undefined),
  paramPaths: ["training.epochs"],
};

const OPTS = { figureLink: (p: string) => `img/${p}`, note: (v: { ref: string }) => v.ref };

Deno.test("renderPost() fills values, figures and a note per distinct value", () => {
  const r = renderPost(
    "# T\n\n![fit](psinv:figures/lam1/fit.svg)\n{{stats.lam1.fit.mean}} and " +
      "{{ stats.lam1.fit.mean }}, {{stats.grid/l0.1-m10-relu.inv.ci}}, " +
      "{{claims.fit-rises.verdict}} ({{claims.fit-rises.estimate}}), {{claims.flipped}} of " +
      "{{claims.runs}}, {{params.training.epochs}} epochs",
    SOURCES,
    OPTS,
  );
  assert.ok(r.ok);
  const [body, notes] = r.value.markdown.split("\n---\n");
  assert.equal(
    body!.trim(),
    "# T\n\n![fit](img/figures/lam1/fit.svg)\n" +
      '[0.141](#psinv-value-1 "note 1: stats.csv, row lam1, metric fit, column mean") and ' +
      '[0.141](#psinv-value-1 "note 1: stats.csv, row lam1, metric fit, column mean"), ' +
      '[\\[0.49, 0.51\\]](#psinv-value-2 "note 2: stats.csv, row grid/l0.1-m10-relu, metric ' +
      'inv, column ci"), [supported](#psinv-value-3 "note 3: claims.json, claim fit-rises, ' +
      'verdict") ([0.988](#psinv-value-4 "note 4: claims.json, claim fit-rises, estimate")), ' +
      '[1](#psinv-value-5 "note 5: claims.json, flipped") of [195](#psinv-value-6 "note 6: ' +
      'claims.json, runs"), [500](#psinv-value-7 "note 7: params, training.epochs") epochs',
  );
  // A number is never followed by a marker that would read as its exponent.
  assert.ok(!body!.includes("<sup>"));
  assert.match(notes!, /^1\. <a id="psinv-value-1"><\/a>`stats\.lam1\.fit\.mean` = 0\.141: /m);
  assert.equal(r.value.values.length, 7);
  assert.deepEqual(r.value.figures, ["figures/lam1/fit.svg"]);
});

Deno.test("renderPost() publishes a plain figures/ link as its psinv: form, and checks it", () => {
  const r = renderPost("![a](figures/lam1/fit.svg) ![b](elsewhere/own.png)", SOURCES, OPTS);
  assert.ok(r.ok);
  assert.equal(r.value.markdown.trim(), "![a](img/figures/lam1/fit.svg) ![b](elsewhere/own.png)");
  assert.deepEqual(r.value.figures, ["figures/lam1/fit.svg"]);
  const bad = renderPost("![a](figures/lam1/fitt.svg)", SOURCES, OPTS);
  assert.ok(!bad.ok);
  assert.equal(bad.error.nearest, "figures/lam1/fit.svg");
});

Deno.test("renderPost() names an unknown reference with its line, column and the nearest valid one", async (t) => {
  const cases: [string, string, string][] = [
    ["x\n  {{stats.lam1.fit.maen}}", "stats.lam1.fit.maen", "stats.lam1.fit.mean"],
    ["{{claims.fit-rise.verdict}}", "claims.fit-rise.verdict", "claims.fit-rises.verdict"],
    ["![f](psinv:figures/lam1/fti.svg)", "psinv:figures/lam1/fti.svg", "figures/lam1/fit.svg"],
    ["{{params.training.epoch}}", "params.training.epoch", "params.training.epochs"],
  ];
  for (const [text, ref, nearest] of cases) {
    await t.step(ref, () => {
      const r = renderPost(text, SOURCES, OPTS);
      assert.ok(!r.ok);
      assert.equal(r.error.ref, ref);
      assert.equal(r.error.nearest, nearest);
    });
  }
  const r = renderPost("x\n  {{stats.lam1.fit.maen}}", SOURCES, OPTS);
  assert.ok(!r.ok && r.error.line === 2 && r.error.column === 3);
  const marked = renderPost("a {{stats.nope.fit.mean}} b", SOURCES, { ...OPTS, missing: "mark" });
  assert.ok(marked.ok);
  assert.ok(marked.value.markdown.startsWith("a **[missing: stats.nope.fit.mean]** b"));
  assert.equal(marked.value.missing.length, 1);
});

Deno.test("the example post renders every reference, re-renders after --set, and publish --post refuses an unknown one", async (t) => {
  const params = await tinyParams();
  (params.training as { epochs: number }).epochs = 30;
  const p = await tinyProject(params);
  try {
    const first = await p.run("reproduce");
    assert.equal(first.code, 0, first.err);
    const post = () => Deno.readTextFile(join(p.root, "artifacts", "post.md"));
    const before = await post();

    await t.step("no reference is left unresolved; figures link into artifacts/", async () => {
      assert.ok(!before.includes("[missing:") && !before.includes("{{"), before);
      assert.ok(before.includes("![Fits at equal priority](figures/lam1/fit.svg)"));
      const html = await Deno.readTextFile(join(p.root, "artifacts", "post.html"));
      assert.ok(html.includes('<img src="figures/lam1/fit.svg"'));
    });

    await t.step("--set configs.lam1.lambda=2 re-renders it with the new numbers", async () => {
      const r = await p.run("reproduce", "--set", "configs.lam1.lambda=2");
      assert.equal(r.code, 0, r.err);
      const after = await post();
      assert.notEqual(after, before);
      assert.match(after, /With λ = \[2\]\(#psinv-value-/);
      // The notes list every value: those of lam1's run moved with its λ.
      const lam1 = (text: string) => text.split("\n").filter((l) => l.includes("`metrics.lam1."));
      assert.equal(lam1(after).length, 4);
      assert.notDeepEqual(lam1(after), lam1(before));
    });

    await t.step("publish --post: exit 2 and one line naming the nearest reference", async () => {
      const file = join(p.root, "mine.md");
      await Deno.writeTextFile(file, "# Mine\n\nFit: {{stats.lam1.fit.maen}}\n");
      const err: string[] = [];
      const code = await publish(["--post", file, "--to", join(p.root, "out")], {
        root: p.root,
        cwd: p.root,
        console: { out: () => {}, err: (l) => err.push(l) },
      });
      assert.equal(code, 2);
      assert.deepEqual(err, [
        `Unknown reference "stats.lam1.fit.maen" at line 3, column 6 of "${file}": did you ` +
        `mean "stats.lam1.fit.mean"?`,
      ]);
    });

    await t.step(
      "publish --post writes the filled post, its figures and each value's key",
      async () => {
        const file = join(p.root, "mine.md");
        await Deno.writeTextFile(
          file,
          "# Mine\n\n![fit](psinv:figures/lam1/fit.svg)\n\nFit: {{stats.lam1.fit.mean}} after " +
            "{{params.training.epochs}} epochs\n",
        );
        const out = join(p.root, "out");
        const code = await publish(["--post", file, "--to", out, "--base", "/a/"], {
          root: p.root,
          cwd: p.root,
          console: { out: () => {}, err: () => {} },
        });
        assert.equal(code, 0);
        const md = await Deno.readTextFile(join(out, "mine.md"));
        assert.ok(md.includes("![fit](/a/lam1-fit.svg)"));
        assert.match(md, /after \[30\]\(#psinv-value-2 /);
        const record = JSON.parse(
          await Deno.readTextFile(join(p.root, "artifacts", "provenance.json")),
        );
        const key = record.stages.stats.key.slice(0, 12);
        assert.match(
          md,
          new RegExp(`stats\\.csv, row lam1, metric fit, column mean; stage stats, key ${key}`),
        );
        assert.deepEqual(
          await Deno.readFile(join(out, "lam1-fit.svg")),
          await Deno.readFile(join(p.root, "artifacts", "figures", "lam1", "fit.svg")),
        );
      },
    );
  } finally {
    await p.dispose();
  }
});
