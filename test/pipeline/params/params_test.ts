import assert from "node:assert/strict";
import {
  applyOverride,
  getPath,
  loadParams,
  parseJson,
  parseOverride,
} from "../../../pipeline/params/params.ts";
import { experiment } from "../../../stages/pipeline.ts";

const accept = (doc: unknown) => ({ ok: true as const, value: doc });

async function withFile(text: string): Promise<string> {
  const root = await Deno.makeTempDir();
  await Deno.writeTextFile(`${root}/params.json`, text);
  return root;
}

Deno.test("loadParams() reports line and column of malformed JSON", async () => {
  const root = await withFile('{\n  "a": 1,\n  "b": ,\n}');
  const r = await loadParams({ root, file: "params.json", overrides: [], validate: accept });
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.equal(r.error.reason, "params-syntax");
  if (r.error.reason !== "params-syntax") return;
  assert.deepEqual([r.error.line, r.error.column], [3, 8]);
});

Deno.test("loadParams() reports a missing file as unreadable", async () => {
  const root = await Deno.makeTempDir();
  const r = await loadParams({ root, file: "params.json", overrides: [], validate: accept });
  assert.equal(!r.ok && r.error.reason, "params-unreadable");
});

Deno.test("loadParams() applies overrides in order and never rewrites the file", async () => {
  const text = '{"a": {"b": 1}, "c": "x"}';
  const root = await withFile(text);
  const r = await loadParams({
    root,
    file: "params.json",
    overrides: ["a.b=2", "a.b=3", "c=y"],
    validate: accept,
  });
  assert.deepEqual(r.ok && r.value.doc, { a: { b: 3 }, c: "y" });
  assert.equal(await Deno.readTextFile(`${root}/params.json`), text);
});

Deno.test("loadParams() returns the validator's issues as param-invalid", async () => {
  const root = await withFile("{}");
  const r = await loadParams({
    root,
    file: "params.json",
    overrides: [],
    validate: () => ({ ok: false, issues: [{ path: "a", message: "is missing" }] }),
  });
  assert.deepEqual(!r.ok && r.error, {
    reason: "param-invalid",
    issues: [{ path: "a", message: "is missing" }],
  });
});

Deno.test("loadParams() validates the project's own params.json", async () => {
  const root = new URL("../../..", import.meta.url).pathname;
  const r = await loadParams({
    root,
    file: experiment.paramsFile,
    overrides: [],
    validate: experiment.validate,
  });
  assert.equal(r.ok, true, JSON.stringify(!r.ok && r.error));
});

Deno.test("parseOverride() parses the value as JSON when it parses, else keeps the string", () => {
  assert.deepEqual(parseOverride("configs.lam1.lambda=10"), {
    ok: true,
    value: { path: ["configs", "lam1", "lambda"], value: 10 },
  });
  assert.deepEqual(parseOverride("configs.lam1.activation=silu"), {
    ok: true,
    value: { path: ["configs", "lam1", "activation"], value: "silu" },
  });
  assert.deepEqual(parseOverride('x={"a":1}'), {
    ok: true,
    value: { path: ["x"], value: { a: 1 } },
  });
  assert.deepEqual(parseOverride("x=a=b"), { ok: true, value: { path: ["x"], value: "a=b" } });
});

Deno.test("parseOverride() refuses a missing '=' or an empty path segment", () => {
  for (const arg of ["lambda", "=1", "a..b=1", ".a=1", "a.=1", "__proto__.x=1"]) {
    const r = parseOverride(arg);
    assert.equal(!r.ok && r.error.reason, "override-invalid", arg);
  }
});

Deno.test("applyOverride() returns a new document and leaves the input untouched", () => {
  const doc = { a: { b: 1, c: 2 } };
  const r = applyOverride(doc, ["a", "b"], 5);
  assert.deepEqual(r.ok && r.value, { a: { b: 5, c: 2 } });
  assert.deepEqual(doc, { a: { b: 1, c: 2 } });
});

Deno.test("applyOverride() refuses to set a key inside a number", () => {
  const r = applyOverride({ data: { n: 3 } }, ["data", "n", "x"], 1);
  assert.equal(!r.ok && r.error.reason, "override-invalid");
});

Deno.test("getPath() follows own keys only", () => {
  assert.equal(getPath({ a: { b: 2 } }, "a.b"), 2);
  assert.equal(getPath({ a: { b: 2 } }, "a.c"), undefined);
  assert.equal(getPath({ a: 1 }, "a.toString"), undefined);
});

Deno.test("parseJson() drops a UTF-8 byte-order mark at the start, and only there", () => {
  assert.deepEqual(parseJson('\uFEFF{"a": 1}', "params.json"), { ok: true, value: { a: 1 } });
  const inside = parseJson('{"a": \uFEFF1}', "params.json");
  assert.equal(inside.ok, false);
});
