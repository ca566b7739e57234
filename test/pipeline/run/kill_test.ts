import assert from "node:assert/strict";
import {
  entriesDir,
  manifestFile,
  psinvDir,
  scratchParentDir,
} from "../../../pipeline/core/layout.ts";
import { type ToyProject, toyProject } from "../../testdata/toy/harness.ts";

const MAIN = new URL("../../testdata/toy/main.ts", import.meta.url).pathname;
const SLOW = ["--set", "busy.one=800", "--jobs", "2"];

/** Starts the toy CLI as a real process printing JSON events. */
function spawn(p: ToyProject, args: string[]): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, ...args, "--json"],
    env: { TOY_ROOT: p.root, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/** Reads JSON events from a child until `until` accepts one; returns the events seen. */
async function readUntil(
  child: Deno.ChildProcess,
  until: (e: { kind: string; stage?: string }) => boolean,
): Promise<void> {
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`process ended before the awaited event; saw: ${buffer}`);
      buffer += value;
      const lines = buffer.split("\n");
      buffer = lines.pop()!;
      for (const line of lines) if (line !== "" && until(JSON.parse(line))) return;
    }
  } finally {
    reader.releaseLock();
  }
}

/** Stage ids of the complete entries in the store. */
async function storedStages(root: string): Promise<string[]> {
  const stages: string[] = [];
  const dir = entriesDir(psinvDir(root));
  for await (const shard of Deno.readDir(dir)) {
    for await (const e of Deno.readDir(`${dir}/${shard.name}`)) {
      const m = JSON.parse(await Deno.readTextFile(manifestFile(`${dir}/${shard.name}/${e.name}`)));
      stages.push(m.stage);
    }
  }
  return stages.sort();
}

Deno.test("kill -9 of a run at several moments leaves no partial result, and the next run completes identically", async (t) => {
  const reference = await toyProject();
  let expected: Record<string, string>;
  let expectedKeys: Record<string, string | null>;
  try {
    assert.equal((await reference.run("reproduce", ...SLOW)).code, 0);
    expected = await reference.artifacts();
    expectedKeys = Object.fromEntries((await reference.report()).stages.map((s) => [s.id, s.key]));
  } finally {
    await reference.dispose();
  }

  const moments: [string, (e: { kind: string; stage?: string }) => boolean, number][] = [
    ["as the slow stage starts", (e) => e.kind === "stage-start" && e.stage === "busy/one", 0],
    [
      "midway through the slow stage",
      (e) => e.kind === "stage-start" && e.stage === "busy/one",
      400,
    ],
    [
      "after another stage was stored",
      (e) => e.kind === "stage-executed" && e.stage === "source",
      0,
    ],
  ];
  for (const [name, until, delay] of moments) {
    await t.step(name, async () => {
      const p = await toyProject();
      try {
        const child = spawn(p, ["reproduce", ...SLOW]);
        await readUntil(child, until);
        if (delay > 0) await new Promise((r) => setTimeout(r, delay));
        child.kill("SIGKILL");
        const status = await child.status;
        assert.equal(status.signal, "SIGKILL");
        await child.stderr.cancel();

        // Whatever is in the store is complete; the killed stage left nothing there.
        assert.ok(!(await storedStages(p.root)).includes("busy/one"));
        const verify = await p.run("verify");
        assert.equal(verify.code, 0, verify.err + verify.out);

        const next = await p.run("reproduce", ...SLOW);
        assert.equal(next.code, 0, next.err);
        assert.deepEqual(await p.artifacts(), expected);
        const keys = Object.fromEntries((await p.report()).stages.map((s) => [s.id, s.key]));
        assert.deepEqual(keys, expectedKeys);
        assert.deepEqual(
          await Array.fromAsync(Deno.readDir(scratchParentDir(psinvDir(p.root)))),
          [],
        );
      } finally {
        await p.dispose();
      }
    });
  }
});

Deno.test("two reproduce processes on one store both succeed and leave it intact", async () => {
  const p = await toyProject();
  try {
    const args = ["reproduce", "--set", "busy.one=300", "--set", "busy.two=300"];
    const a = spawn(p, args);
    const b = spawn(p, args);
    const [ra, rb] = await Promise.all([a.output(), b.output()]);
    const text = (o: Deno.CommandOutput) => new TextDecoder().decode(o.stderr);
    assert.equal(ra.code, 0, text(ra));
    assert.equal(rb.code, 0, text(rb));
    // One of them executed the stages; the other waited for the lock and found them cached.
    const executed = (await p.executions()).length;
    assert.equal(executed, 8);
    const verify = await p.run("verify");
    assert.equal(verify.code, 0, verify.err);
    assert.ok(verify.out.includes("Verified 8 results: all intact"), verify.out);
  } finally {
    await p.dispose();
  }
});

Deno.test("Ctrl-C stops a local run: its stages end interrupted (counted, not failed), run.json is written, exit 130", async () => {
  const p = await toyProject();
  try {
    const child = spawn(p, ["reproduce", "--set", "busy.one=60000", "--jobs", "2"]);
    const events: { kind: string; stage?: string; interrupted?: number; failures?: string[] }[] =
      [];
    let buffer = "";
    for await (const text of child.stdout.pipeThrough(new TextDecoderStream())) {
      buffer += text;
      const lines = buffer.split("\n");
      buffer = lines.pop()!;
      for (const e of lines.filter((l) => l !== "").map((l) => JSON.parse(l))) {
        events.push(e);
        if (e.kind === "stage-start" && e.stage === "busy/one") child.kill("SIGINT");
        // Through `deno task` a terminal's Ctrl-C arrives twice (from the terminal, and
        // forwarded): the copy, arriving once the first is being handled, changes nothing.
        if (e.kind === "run-interrupted") child.kill("SIGINT");
      }
    }
    const status = await child.status;
    await child.stderr.cancel();
    assert.equal(status.code, 130);
    const done = events.find((e) => e.kind === "run-done")!;
    assert.ok(done.interrupted! >= 1, JSON.stringify(done));
    assert.deepEqual(done.failures, []);
    assert.equal((await p.statuses())["busy/one"], "interrupted");
    // The lock is released: the next run proceeds and completes what was interrupted.
    const next = await p.run("reproduce", "--jobs", "2");
    assert.equal(next.code, 0, next.err);
    assert.equal((await p.statuses())["busy/one"], "executed");
  } finally {
    await p.dispose();
  }
});
