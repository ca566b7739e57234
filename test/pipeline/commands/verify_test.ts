import assert from "node:assert/strict";
import { type CommandContext, verify } from "../../../pipeline/commands/mod.ts";
import type { Event } from "../../../pipeline/core/mod.ts";
import { toyProject } from "../../testdata/toy/harness.ts";

Deno.test("verify reports a damaged entry and exits 1; a clean store exits 0", async () => {
  const p = await toyProject();
  try {
    assert.equal((await p.run("reproduce")).code, 0);
    const clean = await p.run("verify");
    assert.equal(clean.code, 0);
    assert.ok(clean.out.includes("Verified 8 results: all intact"), clean.out);
    const key = (await p.report()).stages.find((s) => s.id === "total")!.key!;
    await Deno.writeTextFile(`${p.root}/.psinv/store/${key.slice(0, 2)}/${key}/out/total.txt`, "x");
    const damaged = await p.run("verify");
    assert.equal(damaged.code, 1);
    assert.ok(damaged.err.includes("Damaged: total"), damaged.err);
  } finally {
    await p.dispose();
  }
});

Deno.test("verify() sweeps, then emits what it checked and which results are damaged; 1 when any is", async () => {
  const p = await toyProject();
  try {
    assert.equal((await p.run("reproduce", "source")).code, 0);
    const events: Event[] = [];
    const ctx: CommandContext = {
      root: p.root,
      emit: (e) => events.push(e),
      now: Date.now,
      recordRun: () => Promise.reject(new Error("verify records no run")),
    };
    assert.deepEqual(await verify(ctx), { ok: true, value: 0 });
    assert.deepEqual(events.map((e) => e.kind), ["store-swept", "verify-done"]);
    assert.deepEqual(events[1], { kind: "verify-done", checked: 1, damaged: [] });

    const key = (await p.report()).stages.find((s) => s.id === "source")!.key!;
    await Deno.writeTextFile(`${p.root}/.psinv/store/${key.slice(0, 2)}/${key}/out/source.txt`, "");
    events.length = 0;
    assert.deepEqual(await verify(ctx), { ok: true, value: 1 });
    const done = events.find((e) => e.kind === "verify-done");
    assert.ok(done?.kind === "verify-done");
    assert.deepEqual(done.damaged.map((d) => [d.stage, d.key]), [["source", key]]);
  } finally {
    await p.dispose();
  }
});
