import assert from "node:assert/strict";
import { buildGraph, selectStages } from "../../../pipeline/run/graph.ts";
import type { StageDecl } from "../../../pipeline/core/stage.ts";

function stage(
  id: string,
  inputs: Record<string, string> = {},
  extra: Partial<StageDecl> = {},
): StageDecl {
  return { id, module: "file:///s.ts", inputs, params: {}, outputs: ["o.txt"], ...extra };
}

Deno.test("buildGraph() orders every stage after its inputs, keeping declaration order otherwise", () => {
  const g = buildGraph([
    stage("report", { a: "train/a", b: "train/b" }),
    stage("train/a", { d: "data" }),
    stage("train/b", { d: "data" }),
    stage("data"),
    stage("lonely"),
  ]);
  assert.ok(g.ok);
  assert.deepEqual(g.value.order.map((d) => d.id), [
    "data",
    "train/a",
    "train/b",
    "report",
    "lonely",
  ]);
});

Deno.test("buildGraph() reports a cycle with the ids along it", () => {
  const g = buildGraph([stage("a", { x: "c" }), stage("b", { x: "a" }), stage("c", { x: "b" })]);
  assert.ok(!g.ok);
  assert.equal(g.error.reason, "graph-invalid");
  assert.deepEqual(g.error.trail, ["a", "c", "b", "a"]);
  assert.match(g.error.detail, /cycle: a → c → b → a/);
});

Deno.test("buildGraph() rejects malformed declarations", async (t) => {
  const cases: [string, StageDecl[], RegExp][] = [
    ["duplicate ids", [stage("a"), stage("a")], /declared twice/],
    ["an unknown input", [stage("a", { x: "ghost" })], /unknown stage "ghost"/],
    ["a self-loop", [stage("a", { x: "a" })], /cycle: a → a/],
    ["an absolute output", [stage("a", {}, { outputs: ["/etc/passwd"] })], /not a relative path/],
    [
      "an output escaping its folder",
      [stage("a", {}, { outputs: ["../x"] })],
      /not a relative path/,
    ],
    [
      "publishing a non-output",
      [stage("a", {}, { publish: { "x.txt": "x.txt" } })],
      /not one of its outputs/,
    ],
    [
      "publishing outside artifacts",
      [stage("a", {}, { publish: { "o.txt": "../o.txt" } })],
      /plain relative path/,
    ],
    [
      "publishing over run.json",
      [stage("a", {}, { publish: { "o.txt": "run.json" } })],
      /a name the engine writes/,
    ],
    [
      "publishing into compare's folder",
      [stage("a", {}, { publish: { "o.txt": "compare/variant/o.txt" } })],
      /a name the engine writes/,
    ],
    [
      "two stages publishing one path",
      [
        stage("a", {}, { publish: { "o.txt": "o.txt" } }),
        stage("b", {}, { publish: { "o.txt": "o.txt" } }),
      ],
      /both publish "o.txt"/,
    ],
  ];
  for (const [name, decls, message] of cases) {
    await t.step(name, () => {
      const g = buildGraph(decls);
      assert.ok(!g.ok);
      assert.match(g.error.detail, message);
    });
  }
});

Deno.test("selectStages() returns the named stages with everything upstream, in order", () => {
  const g = buildGraph([
    stage("data"),
    stage("train/a", { d: "data" }),
    stage("train/b", { d: "data" }),
    stage("plot/a", { m: "train/a" }),
  ]);
  assert.ok(g.ok);
  const s = selectStages(g.value, ["plot/a"]);
  assert.ok(s.ok);
  assert.deepEqual(s.value, ["data", "train/a", "plot/a"]);
  const all = selectStages(g.value, []);
  assert.ok(all.ok);
  assert.equal(all.value.length, 4);
});

Deno.test("selectStages() names an unknown id and lists the valid ones", () => {
  const g = buildGraph([stage("data"), stage("train", { d: "data" })]);
  assert.ok(g.ok);
  const s = selectStages(g.value, ["trian"]);
  assert.deepEqual(s, {
    ok: false,
    error: { reason: "unknown-stage", id: "trian", known: ["data", "train"] },
  });
});
