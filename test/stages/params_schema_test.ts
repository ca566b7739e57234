import assert from "node:assert/strict";
import { validateWith } from "../../pipeline/params/validate.ts";
import { formatParamIssue } from "../../pipeline/params/validate.ts";
import { MAX_TRAININGS, paramsSchema } from "../../stages/params_schema.ts";

const base = JSON.parse(await Deno.readTextFile(new URL("../../params.json", import.meta.url)));
const validate = validateWith(paramsSchema);

/** The issues of params.json with `grid` replaced by `sweep` (and `edit` applied). */
function issuesWith(sweep: unknown, edit: (doc: Record<string, unknown>) => void = () => {}) {
  const doc = structuredClone(base);
  doc.sweeps = { grid: sweep };
  edit(doc);
  const r = validate(doc);
  return r.ok ? [] : r.issues.map(formatParamIssue);
}

const grid = { lambda: [0.1, 1], mu: [1, 10], activation: ["relu"] };

Deno.test("params.json as shipped is valid", () => {
  assert.equal(validate(base).ok, true);
});

Deno.test("sweeps: bad input is refused with one line naming the field", async (t) => {
  const cases: [string, unknown, string, ((d: Record<string, unknown>) => void)?][] = [
    ["an empty list", { ...grid, mu: [] }, "sweeps.grid.mu: must be ≥ 1 entries, got []"],
    [
      "a non-number",
      { ...grid, lambda: [0.1, "1"] },
      'sweeps.grid.lambda.1: must be a number, got "1"',
    ],
    [
      "a duplicate",
      { ...grid, lambda: [0.1, 1, 0.1] },
      "sweeps.grid.lambda.2: 0.1 is listed twice (entries 0 and 2): list each value once",
    ],
    ["a negative value", { ...grid, mu: [1, -10] }, "sweeps.grid.mu.1: must be ≥ 0, got -10"],
    [
      "an unknown activation",
      { ...grid, activation: ["gelu"] },
      'sweeps.grid.activation.0: must be one of "relu", "silu", "tanh", "leaky_relu", "elu", "softplus", got "gelu"',
    ],
    [
      "a duplicated network",
      { ...grid, layers: [[30, 30], [10], [30, 30]] },
      "sweeps.grid.layers.2: [30,30] is listed twice (entries 0 and 2)",
    ],
    [
      "a network of width 0",
      { ...grid, layers: [[30, 0]] },
      "sweeps.grid.layers.0.1: must be ≥ 1, got 0",
    ],
    [
      "a cell to draw whose hidden layers the sweep does not list",
      { ...grid, layers: [[10, 10]], figures: ["h30x2-l1-m1-relu"] },
      'sweeps.grid.figures.0: no cell "h30x2-l1-m1-relu" in sweep "grid": name one like "h10x2-l0.1-m1-relu"',
    ],
    [
      "a duplicated activation",
      { ...grid, activation: ["relu", "relu"] },
      'sweeps.grid.activation.1: "relu" is listed twice',
    ],
    [
      "a cell to draw that is not in the sweep",
      { ...grid, figures: ["l0.2-m1-relu"] },
      'sweeps.grid.figures.0: no cell "l0.2-m1-relu" in sweep "grid"',
    ],
    [
      "a name that clashes with a configuration",
      grid,
      'sweeps.lam1: the sweep\'s name clashes with configuration "lam1"',
      (d) => {
        d.sweeps = { lam1: grid };
        d.searches = {};
      },
    ],
  ];
  for (const [what, sweep, expected, edit] of cases) {
    await t.step(what, () => {
      const issues = issuesWith(sweep, edit);
      assert.equal(issues.length, 1, issues.join("\n"));
      assert.ok(issues[0]!.startsWith(expected), issues[0]);
    });
  }
});

Deno.test("sweeps: cells to draw are found by every listed parameter, μ = λ when mu is absent", () => {
  const capacity = {
    layers: [[10, 10], [17, 5, 23]],
    lambda: [0, 1],
    activation: ["relu", "tanh"],
    figures: ["h17_5_23-l1-m1-tanh", "h10x2-l0-m0-relu"],
  };
  assert.deepEqual(issuesWith(capacity), []);
  assert.deepEqual(issuesWith({ ...capacity, figures: ["h10x2-l0-m1-relu"] }), [
    'sweeps.grid.figures.0: no cell "h10x2-l0-m1-relu" in sweep "grid": name one like "h10x2-l0-m0-relu", got "h10x2-l0-m1-relu"',
  ]);
});

Deno.test(`sweeps: an expansion past ${MAX_TRAININGS} trainings is refused by arithmetic`, () => {
  const values = Array.from({ length: 1000 }, (_, i) => i);
  const huge = { lambda: values, mu: values, activation: ["relu", "silu"] };
  const issues = issuesWith(huge);
  assert.equal(issues.length, 1);
  assert.match(
    issues[0]!,
    /^sweeps: the experiment expands to 30000120 trainings \(configurations 120, sweeps\.grid 30000000\), more than the limit of 10000/,
  );
  const seeds = issuesWith(grid, (d) => (d.replicates = { seeds: 1e9, draws: 1 }));
  assert.match(seeds[0]!, /^sweeps: the experiment expands to \d+ trainings/);
});

Deno.test("statistics: claim settings are refused with one line naming the field", async (t) => {
  const issues = async (edit: (s: Record<string, unknown>) => void) => {
    const doc = structuredClone(base);
    edit(doc.statistics);
    const { experiment } = await import("../../stages/pipeline.ts");
    const r = experiment.validate(doc);
    return r.ok ? [] : r.issues.map(formatParamIssue);
  };
  await t.step("a claim that does not exist", async () => {
    const [line] = await issues((s) => (s.claimSeeds = { "too-simpel": 10 }));
    assert.match(line ?? "", /^statistics\.claimSeeds\.too-simpel: /);
  });
  await t.step("no seeds", async () => {
    assert.deepEqual(await issues((s) => (s.claimSeeds = { "too-simple": 0 })), [
      "statistics.claimSeeds.too-simple: must be ≥ 1, got 0",
    ]);
  });
  await t.step(`a cap whose --decide would pass ${MAX_TRAININGS} trainings`, async () => {
    const [line, ...rest] = await issues((s) => (s.decide = { maxSeeds: 1000 }));
    assert.equal(rest.length, 0);
    assert.match(
      line ?? "",
      /^statistics\.decide\.maxSeeds: 1000 would let the claims' rows reach \d+ trainings, more than the limit of 10000: lower it$/,
    );
  });
  await t.step("the shipped cap fits", async () => {
    assert.deepEqual(await issues(() => {}), []);
  });
});
