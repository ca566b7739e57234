import assert from "node:assert/strict";
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
      [
        ["frobnicate"],
        "valid commands are reproduce, status, compare, dag, why, gc, accept, verify",
      ],
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
    assert.equal(await exists(`${p.root}/.psinv/store`), false);
    assert.equal(await exists(`${p.root}/artifacts`), false);
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
    assert.equal(await exists(`${p.root}/.psinv/store`), false);
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

Deno.test("dag draws one node per stage family by default, every stage with --all", async () => {
  const p = await toyProject();
  try {
    const r = await p.run("dag");
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^step\/\* \(2\) +← source/m);
    assert.match(r.out, /^total +← step\/\*$/m);
    let svg = await Deno.readTextFile(`${p.root}/artifacts/dag.svg`);
    assert.ok(svg.startsWith("<svg"));
    // source, step/*, total, busy/*, flaky, after.
    assert.equal((svg.match(/<rect x=/g) ?? []).length, 6);
    assert.ok(svg.includes(">step/* (2)</text>") && svg.includes(">busy/* (2)</text>"));

    const all = await p.run("dag", "--all");
    assert.equal(all.code, 0, all.err);
    assert.match(all.out, /^total +← step\/a, step\/b$/m);
    svg = await Deno.readTextFile(`${p.root}/artifacts/dag.svg`);
    assert.equal((svg.match(/<rect x=/g) ?? []).length, 8);
  } finally {
    await p.dispose();
  }
});
