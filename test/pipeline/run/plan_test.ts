import assert from "node:assert/strict";
import type { Pipeline, StageDecl } from "../../../pipeline/core/stage.ts";
import { stageKey } from "../../../pipeline/key/fingerprint.ts";
import { fingerprintOf, makePlan } from "../../../pipeline/run/plan.ts";
import { sha256 } from "../../../pipeline/core/hash.ts";

async function planOf(stages: StageDecl[], doc: unknown = { a: { b: 2 } }) {
  const root = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${root}/p.json`, JSON.stringify(doc));
    const pipeline: Pipeline<unknown> = {
      paramsFile: "p.json",
      validate: (value) => ({ ok: true, value }),
      stages: () => stages,
    };
    return await makePlan(pipeline, { root, overrides: [] });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

const stage = (id: string, params: StageDecl["params"]): StageDecl => ({
  id,
  module: "file:///s.ts",
  inputs: {},
  params,
  outputs: ["o"],
});

Deno.test("makePlan() binds a literal parameter to its value, keyed by its local name", async () => {
  const plan = await planOf([stage("x", { b: "a.b", seed: { value: 3 } })]);
  assert.ok(plan.ok);
  assert.deepEqual(plan.value.params.get("x"), {
    byPath: { "a.b": 2, seed: 3 },
    byName: { b: 2, seed: 3 },
  });
});

Deno.test("stages with the same literal values share a key whatever their ids; another value does not", async () => {
  const plan = await planOf([
    stage("train/lam1/s0", { b: "a.b", lambda: { value: 1 } }),
    stage("train/grid/l1-m1/s0", { b: "a.b", lambda: { value: 1 } }),
    stage("train/grid/l10-m1/s0", { b: "a.b", lambda: { value: 10 } }),
  ]);
  assert.ok(plan.ok);
  const code = await sha256("code");
  const key = (id: string) => {
    const decl = plan.value.graph.byId.get(id)!;
    return stageKey(fingerprintOf(decl, plan.value.params.get(id)!, {}, code));
  };
  assert.equal(await key("train/lam1/s0"), await key("train/grid/l1-m1/s0"));
  assert.notEqual(await key("train/lam1/s0"), await key("train/grid/l10-m1/s0"));
});

Deno.test("makePlan() refuses a literal whose name is also one of the stage's paths", async () => {
  const plan = await planOf([stage("x", { b: "lambda", lambda: { value: 1 } })], { lambda: 1 });
  assert.ok(!plan.ok);
  assert.equal(plan.error.reason, "graph-invalid");
  assert.match(
    JSON.stringify(plan.error),
    /binds \\"lambda\\" both as a literal and as a parameter path/,
  );
});
