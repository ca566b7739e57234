import assert from "node:assert/strict";
import type { Hash } from "../../../pipeline/core/hash.ts";
import { sha256 } from "../../../pipeline/core/hash.ts";
import { ENGINE_FORMAT, type Fingerprint } from "../../../pipeline/key/fingerprint.ts";
import type { CodeFingerprint } from "../../../pipeline/key/code_graph.ts";
import type { Manifest } from "../../../pipeline/store/manifest.ts";
import { explainDifference } from "../../../pipeline/remote/explain.ts";

const h = (s: string) => sha256(s) as Promise<Hash>;
const code = (files: Record<string, string>, deno: string, vega: string): CodeFingerprint => ({
  hash: "" as Hash,
  files: files as Record<string, Hash>,
  npm: { vega, zod: "4.6.7" },
  deno,
});
const fp = async (k: number, input: string, codeHash: string): Promise<Fingerprint> => ({
  format: ENGINE_FORMAT,
  params: { "configs.a.k": k },
  inputs: { src: await h(input) },
  code: await h(codeHash),
  version: 0,
});
const theirs = async (f: Fingerprint, c: CodeFingerprint) =>
  ({ key: await h("k"), fingerprint: f, code: c }) as unknown as Manifest;

Deno.test("explainDifference() names parameters, edited files, Deno and npm versions", async () => {
  const before = code({ "stages/a.ts": "1", "stages/b.ts": "2" }, "2.9.5", "6.4.0");
  const after = code({ "stages/a.ts": "1", "stages/b.ts": "3" }, "2.9.6", "6.5.0");
  const why = explainDifference(
    await theirs(await fp(1, "x", "c1"), before),
    await fp(5, "x", "c2"),
    after,
  );
  assert.deepEqual(why, {
    changes: [
      { kind: "param", path: "configs.a.k", before: 1, after: 5 },
      { kind: "code", files: ["stages/b.ts"] },
    ],
    deno: { before: "2.9.5", after: "2.9.6" },
    npm: ["vega 6.4.0 → 6.5.0"],
  });
});

Deno.test("explainDifference() leaves a difference of inputs alone: the stage upstream says why", async () => {
  const c = code({ "stages/a.ts": "1" }, "2.9.6", "6.4.0");
  const only = explainDifference(
    await theirs(await fp(1, "x", "c"), c),
    await fp(1, "y", "c"),
    c,
  );
  assert.equal(only, undefined);
});
