import assert from "node:assert/strict";
import {
  diffFingerprints,
  ENGINE_FORMAT,
  type Fingerprint,
  stageKey,
} from "../../../pipeline/key/fingerprint.ts";
import { type Hash, sha256 } from "../../../pipeline/core/hash.ts";

const code = await sha256("export function run() {}");
const otherCode = await sha256("export function run() { /* edited */ }");
const inputHash = await sha256("points");
const otherInput = await sha256("other points");

const base: Fingerprint = {
  format: ENGINE_FORMAT,
  params: { "configs.lam1.lambda": 1, "training": { epochs: 500, lr: 0.001 } },
  inputs: { data: inputHash },
  code,
  version: 0,
};

Deno.test("stageKey() changes when, and only when, params, inputs, code, version or format change", async (t) => {
  const k = await stageKey(base);
  const variants: [string, Fingerprint][] = [
    ["a parameter value", { ...base, params: { ...base.params, "configs.lam1.lambda": 10 } }],
    ["a nested parameter", {
      ...base,
      params: { ...base.params, training: { epochs: 499, lr: 0.001 } },
    }],
    ["a declared parameter added", { ...base, params: { ...base.params, "style.width": 3 } }],
    ["an input's content", { ...base, inputs: { data: otherInput } }],
    ["an input's name", { ...base, inputs: { points: inputHash } }],
    ["the code", { ...base, code: otherCode }],
    ["the version", { ...base, version: 1 }],
    ["the engine format", { ...base, format: ENGINE_FORMAT + 1 }],
  ];
  for (const [what, fp] of variants) {
    await t.step(`changes with ${what}`, async () => assert.notEqual(await stageKey(fp), k));
  }
  await t.step("stays with the same values in another key order", async () => {
    const reordered: Fingerprint = {
      version: 0,
      code,
      inputs: { data: inputHash },
      params: { "training": { lr: 0.001, epochs: 500 }, "configs.lam1.lambda": 1 },
      format: ENGINE_FORMAT,
    };
    assert.equal(await stageKey(reordered), k);
  });
});

Deno.test("stageKey() refuses a non-finite parameter instead of hashing it", async () => {
  await assert.rejects(
    () => stageKey({ ...base, params: { "configs.lam1.lambda": NaN } }),
    TypeError,
  );
});

Deno.test("diffFingerprints() names a changed parameter with its old and new values", () => {
  const now = { ...base, params: { ...base.params, "configs.lam1.lambda": 10 } };
  assert.deepEqual(diffFingerprints(base, now), [
    { kind: "param", path: "configs.lam1.lambda", before: 1, after: 10 },
  ]);
});

Deno.test("diffFingerprints() descends into object parameters to the changed field", () => {
  const now = { ...base, params: { ...base.params, training: { epochs: 10, lr: 0.001 } } };
  assert.deepEqual(diffFingerprints(base, now), [
    { kind: "param", path: "training.epochs", before: 500, after: 10 },
  ]);
});

Deno.test("diffFingerprints() reports added and removed parameters with undefined", () => {
  const now: Fingerprint = { ...base, params: { "training": base.params["training"], "x": 1 } };
  assert.deepEqual(diffFingerprints(base, now), [
    { kind: "param", path: "configs.lam1.lambda", before: 1, after: undefined },
    { kind: "param", path: "x", before: undefined, after: 1 },
  ]);
});

Deno.test("diffFingerprints() names changed inputs, code files, version and format", () => {
  const now: Fingerprint = {
    format: ENGINE_FORMAT + 1,
    params: base.params,
    inputs: { data: otherInput },
    code: otherCode,
    version: 2,
  };
  const a = "a" as Hash, b = "b" as Hash;
  const changes = diffFingerprints(base, now, {
    before: { "stages/train.ts": a, "stages/net.ts": a, "stages/old.ts": a },
    after: { "stages/train.ts": a, "stages/net.ts": b, "stages/new.ts": a },
  });
  assert.deepEqual(changes, [
    { kind: "format", before: ENGINE_FORMAT, after: ENGINE_FORMAT + 1 },
    { kind: "input", name: "data", before: inputHash, after: otherInput },
    { kind: "code", files: ["stages/net.ts", "stages/new.ts", "stages/old.ts"] },
    { kind: "version", before: 0, after: 2 },
  ]);
});

Deno.test("diffFingerprints() is empty exactly when the keys are equal", async () => {
  const same = structuredClone(base);
  assert.deepEqual(diffFingerprints(base, same), []);
  assert.equal(await stageKey(same), await stageKey(base));
});

Deno.test("diffFingerprints() reports a code change without file names when none are known", () => {
  assert.deepEqual(diffFingerprints(base, { ...base, code: otherCode }), [
    { kind: "code", files: [] },
  ]);
});
