import assert from "node:assert/strict";
import { formatParamIssue, validateWith } from "../../../pipeline/params/validate.ts";
import type { ParamIssue } from "../../../pipeline/core/stage.ts";
import { paramsSchema } from "../../../stages/params_schema.ts";

const base = JSON.parse(
  await Deno.readTextFile(new URL("../../../params.json", import.meta.url)),
) as Record<string, Record<string, unknown>>;
const validate = validateWith(paramsSchema);

/** Validates a copy of params.json changed by `edit`, and returns its issues. */
function issuesAfter(edit: (doc: typeof base) => void): ParamIssue[] {
  const doc = structuredClone(base);
  edit(doc);
  const r = validate(doc);
  return r.ok ? [] : r.issues;
}

// deno-lint-ignore no-explicit-any
type Doc = any;

const cases: [string, (d: Doc) => void, string, RegExp][] = [
  ["a negative lambda", (d) => d.configs.lam1.lambda = -1, "configs.lam1.lambda", /≥ 0, got -1/],
  ["an infinite mu", (d) => d.configs.lam1.mu = Infinity, "configs.lam1.mu", /finite.*Infinity/],
  [
    "a negative learning rate",
    (d) => d.training.learningRate = -0.1,
    "training.learningRate",
    /> 0, got -0.1/,
  ],
  ["zero epochs", (d) => d.training.epochs = 0, "training.epochs", /≥ 1, got 0/],
  [
    "an empty list of layers",
    (d) => d.training.layers = [],
    "training.layers",
    /≥ 1 entries, got \[\]/,
  ],
  ["a width of 0", (d) => d.training.layers = [30, 0], "training.layers.1", /≥ 1, got 0/],
  [
    "a fractional width",
    (d) => d.training.layers = [1.5],
    "training.layers.0",
    /integer, got 1.5/,
  ],
  [
    "more than 8 layers",
    (d) => d.training.layers = new Array(9).fill(4),
    "training.layers",
    /≤ 8 entries/,
  ],
  [
    "a width above 1024",
    (d) => d.configs.lam1.layers = [2000],
    "configs.lam1.layers.0",
    /≤ 1024, got 2000/,
  ],
  [
    "the retired width",
    (d) => d.training.width = 30,
    "training.width",
    /replaced by training\.layers/,
  ],
  [
    "an unknown activation",
    (d) => d.configs.lam1.activation = "gelu",
    "configs.lam1.activation",
    /one of "relu", "silu", "tanh", "leaky_relu", "elu", "softplus", got "gelu"/,
  ],
  ["an n too small to train", (d) => d.data.n = 3, "data.n", /≥ 10, got 3/],
  [
    "a batch larger than the data",
    (d) => d.training.batchSize = 5000,
    "training.batchSize",
    /at most data.n/,
  ],
  ["a wrong type", (d) => d.data.seed = "7", "data.seed", /must be a number, got "7"/],
  ["a missing field", (d) => delete d.training.layers, "training.layers", /is missing/],
  [
    "an old backend name",
    (d) => d.training.backend = "wasm",
    "training.backend",
    /one of "kernel", "kernel-native", "kernel-wasm", "tfjs-wasm", "tfjs-cpu", got "wasm"/,
  ],
  ["no configurations", (d) => d.configs = {}, "configs", /at least one configuration/],
  [
    "a configuration name with a dot",
    (d) => d.configs["a.b"] = d.configs.lam1,
    "configs.a.b",
    /not allowed/,
  ],
  ["a colour that is not hex", (d) => d.style.colors.f = "red", "style.colors.f", /#1f77b4/],
];

Deno.test("validateWith() gives one clear issue naming the field", async (t) => {
  for (const [name, edit, path, message] of cases) {
    await t.step(name, () => {
      const issues = issuesAfter(edit);
      assert.equal(issues.length, 1, JSON.stringify(issues));
      assert.equal(issues[0]!.path, path);
      assert.match(issues[0]!.message, message);
      assert.doesNotMatch(issues[0]!.message, /\n/);
    });
  }
});

Deno.test("validateWith() suggests the nearest key for a typo", () => {
  const issues = issuesAfter((d: Doc) => {
    d.configs.lam1.lamda = d.configs.lam1.lambda;
    delete d.configs.lam1.lambda;
  });
  assert.deepEqual(issues, [
    { path: "configs.lam1.lambda", message: "is missing: expected a number" },
    { path: "configs.lam1.lamda", message: 'unknown key "lamda": did you mean "lambda"?' },
  ]);
  const top = issuesAfter((d: Doc) => d.trainig = {});
  assert.deepEqual(top, [{
    path: "trainig",
    message: 'unknown key "trainig": did you mean "training"?',
  }]);
});

Deno.test("validateWith() lists the allowed keys when no key is near", () => {
  const [issue] = issuesAfter((d: Doc) => d.evaluation.zzzzzz = 1);
  assert.match(issue!.message, /allowed keys are "gridPoints", "margin"/);
});

Deno.test("validateWith() accepts the project's params.json", () => {
  assert.equal(validate(structuredClone(base)).ok, true);
});

Deno.test("formatParamIssue() renders the path before the message", () => {
  assert.equal(
    formatParamIssue({ path: "data.n", message: "must be ≥ 10, got 3" }),
    "data.n: must be ≥ 10, got 3",
  );
});
