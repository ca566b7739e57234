import assert from "node:assert/strict";
import { toyProject } from "../../testdata/toy/harness.ts";

Deno.test("a local stage still running at its time limit is stopped as stage-timeout; the others finish", async () => {
  const p = await toyProject();
  try {
    const started = performance.now();
    // busy/one spins without awaiting for a minute (a hung stage); its limit is one second.
    const r = await p.run(
      "reproduce",
      "--set",
      "busy.one=60000",
      "--resource",
      "busy/one:time=0:01",
    );
    const seconds = (performance.now() - started) / 1000;
    assert.equal(r.code, 1, r.err);
    assert.ok(seconds < 30, `the run took ${seconds} s: the hung stage was not stopped`);
    assert.ok(
      r.err.includes(
        'Stage "busy/one" timed out at its limit of 0:00:01: raise it with --time or --resource busy/one:time=…',
      ),
      r.err,
    );
    const statuses = await p.statuses();
    assert.equal(statuses["busy/one"], "failed");
    for (const [id, s] of Object.entries(statuses)) {
      if (id !== "busy/one") assert.equal(s, "executed", id);
    }
    // Nothing of the stopped stage entered the store; the next run with room enough completes.
    const again = await p.run("reproduce", "--set", "busy.one=50", "--time", "1");
    assert.equal(again.code, 0, again.err);
  } finally {
    await p.dispose();
  }
});
