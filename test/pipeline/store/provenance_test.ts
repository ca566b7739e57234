import assert from "node:assert/strict";
import {
  artifactsDir,
  entryDir,
  type Hash,
  PROVENANCE_GLOBAL,
  provenanceFile,
  type ProvenanceRecord,
  provenanceScriptFile,
  psinvDir,
} from "../../../pipeline/core/mod.ts";
import { provenanceRecord } from "../../../pipeline/store/mod.ts";
import { toyProject } from "../../testdata/toy/harness.ts";

async function record(root: string): Promise<ProvenanceRecord> {
  return JSON.parse(await Deno.readTextFile(provenanceFile(artifactsDir(root))));
}

Deno.test("reproduce records how every published file was made, keyed like the store", async (t) => {
  const p = await toyProject();
  try {
    assert.equal((await p.run("reproduce")).code, 0);
    const first = await record(p.root);
    const report = await p.report();
    const keyOf = new Map(report.stages.map((s) => [s.id, s.key]));

    await t.step(
      "every published file names its stage, and that stage's key is in .psinv/",
      async () => {
        assert.deepEqual(Object.keys(first.artifacts), [
          "flaky.txt",
          "steps/a.txt",
          "steps/b.txt",
          "total.txt",
        ]);
        for (const [path, a] of Object.entries(first.artifacts)) {
          const s = first.stages[a.stage]!;
          assert.equal(s.key, keyOf.get(a.stage), path);
          const manifest = JSON.parse(
            await Deno.readTextFile(`${entryDir(psinvDir(p.root), s.key)}/manifest.json`),
          );
          assert.equal(manifest.stage, a.stage);
        }
      },
    );

    await t.step(
      "a stage's record: parameters by path, inputs with their keys, code, where and when",
      () => {
        const step = first.stages["step/a"]!;
        assert.deepEqual(step.params, { "configs.a.k": 1 });
        assert.deepEqual(step.inputs, { src: { stage: "source", key: keyOf.get("source") } });
        assert.equal(step.ran?.executor, "local");
        assert.equal(step.ran?.host, Deno.hostname());
        assert.ok(Date.parse(step.finished) >= Date.parse(step.started));
        const code = first.code[step.code]!;
        assert.equal(code.deno, Deno.version.deno);
        assert.ok(Object.keys(code.files).some((f) => f.endsWith("step.ts")));
      },
    );

    await t.step(
      "provenance.js assigns the same record to a global, for file:// pages",
      async () => {
        const js = await Deno.readTextFile(provenanceScriptFile(artifactsDir(p.root)));
        const prefix = `globalThis.${PROVENANCE_GLOBAL} = `;
        assert.ok(js.startsWith(prefix));
        assert.deepEqual(JSON.parse(js.slice(prefix.length).replace(/;\n$/, "")), first);
      },
    );

    await t.step(
      "a run that reuses every result keeps each result's own times and host",
      async () => {
        assert.equal((await p.run("reproduce")).code, 0);
        assert.deepEqual(await record(p.root), first);
      },
    );

    await t.step(
      "a changed parameter changes that stage's record and its dependants' inputs",
      async () => {
        assert.equal((await p.run("reproduce", "--set", "configs.b.k=5")).code, 0);
        const now = await record(p.root);
        assert.deepEqual(now.stages["step/b"]!.params, { "configs.b.k": 5 });
        assert.notEqual(now.stages["step/b"]!.key, first.stages["step/b"]!.key);
        assert.equal(now.stages["total"]!.inputs["b"]!.key, now.stages["step/b"]!.key);
        assert.deepEqual(now.stages["step/a"], first.stages["step/a"]);
      },
    );

    await t.step("a partial run keeps the records of the stages it did not select", async () => {
      assert.equal((await p.run("reproduce", "source")).code, 0);
      const now = await record(p.root);
      assert.ok(now.stages["total"] !== undefined && now.stages["step/a"] !== undefined);
    });
  } finally {
    await p.dispose();
  }
});

Deno.test("provenanceRecord() drops stages that failed in this run or left the graph", () => {
  const stage = (digit: string) => ({
    key: digit.repeat(64) as Hash,
    params: {},
    inputs: {},
    code: "c".repeat(64) as Hash,
    version: 0,
    started: "",
    finished: "",
    seconds: 0,
  });
  const previous: ProvenanceRecord = {
    format: 1,
    artifacts: {},
    stages: { gone: stage("a"), failed: stage("b"), kept: stage("d") },
    code: {},
  };
  const r = provenanceRecord({
    stages: [{ id: "failed", inputs: {} }],
    known: new Set(["failed", "kept"]),
    published: {},
    previous,
  });
  assert.deepEqual(Object.keys(r.stages), ["kept"]);
});
