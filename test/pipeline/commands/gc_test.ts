import assert from "node:assert/strict";
import { toyProject } from "../../testdata/toy/harness.ts";

Deno.test("gc keeps current results and the newest K per stage, and reports bytes freed", async () => {
  const p = await toyProject();
  try {
    for (const k of [1, 2, 3, 4]) {
      assert.equal((await p.run("reproduce", "step/a", "--set", `configs.a.k=${k}`)).code, 0);
    }
    const r = await p.run("gc", "--keep", "1", "--json");
    assert.equal(r.code, 0, r.err);
    const done = r.out.trim().split("\n").map((l) => JSON.parse(l)).find((e) =>
      e.kind === "gc-done"
    );
    // step/a: k=1 is current (params.json), k=4 the newest; k=2 and k=3 go.
    assert.equal(done.removed, 2);
    assert.ok(done.freedBytes > 0);
    await p.resetCount();
    assert.equal((await p.run("reproduce", "step/a")).code, 0);
    assert.deepEqual(await p.executions(), []);
  } finally {
    await p.dispose();
  }
});
