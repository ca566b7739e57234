import assert from "node:assert/strict";
import { toyProject } from "../../testdata/toy/harness.ts";

Deno.test("why names the stage, key, parameters and inputs of a published file, back to the source", async () => {
  const p = await toyProject();
  try {
    const before = await p.run("why", "total.txt");
    assert.equal(before.code, 2);
    assert.match(before.err, /^No provenance for "total.txt": .*run "reproduce" first\n$/);

    assert.equal((await p.run("reproduce")).code, 0);
    const keys = new Map((await p.report()).stages.map((s) => [s.id, s.key!]));
    const r = await p.run("why", "artifacts/steps/b.txt");
    assert.equal(r.code, 0, r.err);
    const lines = r.out.split("\n");
    assert.match(lines[0]!, /^steps\/b\.txt {2}\(sha256 [0-9a-f]{12}\)$/);
    assert.equal(lines[1], "  made by  step/b");
    assert.equal(lines[2], `  key      ${keys.get("step/b")}  (in .psinv/store)`);
    assert.equal(lines[3], "  params   configs.b.k = 2");
    assert.equal(lines[4], `  inputs   src ← source  ${keys.get("source")!.slice(0, 12)}`);
    assert.match(lines[6]!, /^ {2}ran {6}local on .+, \d{4}-\d\d-\d\d /);
    assert.equal(lines[7], "Upstream, back to the sources (1 stages):");
    assert.match(
      lines[8]!,
      new RegExp(`^  source  ${keys.get("source")!.slice(0, 12)}  local on `),
    );
    assert.match(lines[8]!, /seed=1$/);
  } finally {
    await p.dispose();
  }
});

Deno.test("why refuses a path it has no record of, naming the nearest one", async () => {
  const p = await toyProject();
  try {
    assert.equal((await p.run("reproduce")).code, 0);
    const r = await p.run("why", "steps/c.txt");
    assert.equal(r.code, 2);
    assert.equal(r.err, 'Unknown artifact "steps/c.txt": did you mean "steps/a.txt"?\n');
    const none = await p.run("why");
    assert.equal(none.code, 2);
    assert.match(none.err, /"why" needs exactly one path of artifacts\//);
  } finally {
    await p.dispose();
  }
});
