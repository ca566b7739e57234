import assert from "node:assert/strict";
import {
  artifactsDir,
  dagSvgFile,
  entriesDir,
  entryDir,
  outDir,
  psinvDir,
} from "../../../pipeline/core/layout.ts";
import { toyProject } from "../../testdata/toy/harness.ts";

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

Deno.test("main() refuses bad command lines with exit 2, the valid choices, and no store", async (t) => {
  const p = await toyProject();
  try {
    const cases: [string[], string][] = [
      [["frobnicate"], "valid commands are reproduce, status, dag, gc, accept, verify"],
      [["reproduce", "nope"], "valid stages are source, step/a, step/b, total, busy/one"],
      [["status", "nope"], `Unknown stage "nope"`],
      [["reproduce", "--jobs", "0"], `--jobs must be a whole number of at least 1, got "0"`],
      [["reproduce", "--jobs", "two"], `got "two"`],
      [["reproduce", "--bogus"], "Unknown option '--bogus'"],
      [["gc", "--keep", "-1"], "--keep"],
      [["dag", "--force"], `Option "--force" does not apply to "dag"`],
      [["accept"], "needs the ids"],
      [["reproduce", "--set", "configs.a.k"], `Invalid override "configs.a.k"`],
    ];
    for (const [args, expected] of cases) {
      await t.step(args.join(" "), async () => {
        const r = await p.run(...args);
        assert.equal(r.code, 2, r.err);
        assert.ok(r.err.includes(expected), r.err);
        assert.equal(r.err.trim().split("\n").length, 1, "one line");
      });
    }
    assert.equal(await exists(entriesDir(psinvDir(p.root))), false);
    assert.equal(await exists(artifactsDir(p.root)), false);
  } finally {
    await p.dispose();
  }
});

Deno.test("main() rejects invalid parameters before touching the store", async () => {
  const p = await toyProject();
  try {
    await p.editParams((d) => (d.seed = "one"));
    const r = await p.run("reproduce");
    assert.equal(r.code, 2);
    assert.ok(r.err.includes(`"seed": expected a number`), r.err);
    assert.equal(await exists(entriesDir(psinvDir(p.root))), false);
  } finally {
    await p.dispose();
  }
});

Deno.test("--json prints every event as one JSON line", async () => {
  const p = await toyProject();
  try {
    const r = await p.run("reproduce", "source", "--json");
    assert.equal(r.code, 0);
    const kinds = r.out.trim().split("\n").map((l) => JSON.parse(l).kind);
    assert.deepEqual(kinds.filter((k) => k !== "store-swept"), [
      "run-start",
      "stage-start",
      "stage-executed",
      "run-done",
    ]);
  } finally {
    await p.dispose();
  }
});

Deno.test("artifacts/ holds the published outputs and loses those no longer published", async () => {
  const p = await toyProject();
  try {
    assert.equal((await p.run("reproduce")).code, 0);
    assert.equal(await Deno.readTextFile(`${artifactsDir(p.root)}/steps/b.txt`), "seed=1\nk=2\n");
    assert.ok(await exists(`${artifactsDir(p.root)}/flaky.txt`));
    // Unchanged content is not rewritten (an atomic rewrite would give the file a new inode).
    const inode = (await Deno.stat(`${artifactsDir(p.root)}/total.txt`)).ino;
    assert.equal((await p.run("reproduce")).code, 0);
    assert.equal((await Deno.stat(`${artifactsDir(p.root)}/total.txt`)).ino, inode);
    // Drop configuration b: its step leaves artifacts/.
    await p.editParams((d) => delete (d.configs as Record<string, unknown>).b);
    assert.equal((await p.run("reproduce")).code, 0);
    assert.equal(await exists(`${artifactsDir(p.root)}/steps/b.txt`), false);
    assert.equal(
      await Deno.readTextFile(`${artifactsDir(p.root)}/total.txt`),
      "[a]\nseed=1\nk=1\n",
    );
    // A stage that now fails leaves no stale artifact behind.
    assert.equal((await p.run("reproduce", "--set", "fail.mode=throw")).code, 1);
    assert.equal(await exists(`${artifactsDir(p.root)}/flaky.txt`), false);
    const left = [];
    for await (const e of Deno.readDir(artifactsDir(p.root))) left.push(e.name);
    assert.ok(!left.some((n) => n.includes("tmp")), left.join(","));
  } finally {
    await p.dispose();
  }
});

Deno.test("an unwritable artifacts/ is an io-failed error, not a half-written file", async () => {
  const p = await toyProject();
  try {
    await Deno.writeTextFile(artifactsDir(p.root), "a file where the folder should be");
    const r = await p.run("reproduce", "source");
    assert.equal(r.code, 1);
    assert.ok(r.err.includes("Cannot write"), r.err);
    assert.ok(r.err.includes("check that artifacts/ is a writable folder"), r.err);
    assert.equal(r.err.trim().split("\n").length, 1, r.err);
  } finally {
    await p.dispose();
  }
});

Deno.test("dag prints the graph and draws artifacts/dag.svg", async () => {
  const p = await toyProject();
  try {
    const r = await p.run("dag");
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^total +← step\/a, step\/b$/m);
    const svg = await Deno.readTextFile(dagSvgFile(artifactsDir(p.root)));
    assert.ok(svg.startsWith("<svg"));
    assert.equal((svg.match(/<rect x=/g) ?? []).length, 8);
  } finally {
    await p.dispose();
  }
});

Deno.test("verify reports a damaged entry and exits 1; a clean store exits 0", async () => {
  const p = await toyProject();
  try {
    assert.equal((await p.run("reproduce")).code, 0);
    const clean = await p.run("verify");
    assert.equal(clean.code, 0);
    assert.ok(clean.out.includes("Verified 8 results: all intact"), clean.out);
    const key = (await p.report()).stages.find((s) => s.id === "total")!.key!;
    await Deno.writeTextFile(`${outDir(entryDir(psinvDir(p.root), key))}/total.txt`, "x");
    const damaged = await p.run("verify");
    assert.equal(damaged.code, 1);
    assert.ok(damaged.err.includes("Damaged: total"), damaged.err);
  } finally {
    await p.dispose();
  }
});

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
