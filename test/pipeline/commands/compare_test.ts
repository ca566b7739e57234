import assert from "node:assert/strict";
import { toyProject } from "../../testdata/toy/harness.ts";

Deno.test("compare names exactly the stages whose keys change and why, runs only what the store lacks, and leaves artifacts/ alone", async () => {
  const p = await toyProject();
  try {
    assert.equal((await p.run("reproduce")).code, 0);
    const before = await p.artifacts();
    await p.resetCount();
    const r = await p.run("compare", "--set", "configs.b.k=5", "--json");
    assert.equal(r.code, 0, r.err);
    const done = r.out.split("\n").filter((l) => l !== "").map((l) => JSON.parse(l))
      .find((e) => e.kind === "compare");
    assert.deepEqual(done.stages, [
      {
        id: "step/b",
        kind: "changed",
        changes: [{ kind: "param", path: "configs.b.k", before: 2, after: 5 }],
      },
      {
        id: "total",
        kind: "changed",
        changes: [{
          kind: "input",
          name: "b",
          before: done.stages[1].changes[0].before,
          after: done.stages[1].changes[0].after,
        }],
      },
    ]);
    assert.equal(done.unchanged, 6);
    // Only the variant's two new results were computed; the current side was all stored.
    assert.deepEqual((await p.executions()).map((l) => l.split(" ")[0]).sort(), ["step", "total"]);
    assert.deepEqual(done.changed, ["steps/b.txt", "total.txt"]);
    const compared = Object.entries(await p.artifacts());
    const outside = Object.fromEntries(compared.filter(([k]) => !k.startsWith("compare/")));
    assert.deepEqual(outside, before, "artifacts/ itself is untouched");
    assert.equal(
      await Deno.readTextFile(`${p.root}/artifacts/compare/variant/steps/b.txt`),
      "seed=1\nk=5\n",
    );
    assert.equal(
      await Deno.readTextFile(`${p.root}/artifacts/compare/current/steps/b.txt`),
      "seed=1\nk=2\n",
    );

    const text = await p.run("compare", "--set", "configs.b.k=5");
    assert.match(
      text.out,
      /^2 stages differ \(6 the same\):\n {2}step\/b: configs\.b\.k 2 → 5\n {2}total: input "b" changed\nComputed 0 stages the store lacked, reused 16\./m,
    );
  } finally {
    await p.dispose();
  }
});

Deno.test("compare needs a variant, and refuses a bad one before anything runs", async () => {
  const p = await toyProject();
  try {
    const none = await p.run("compare");
    assert.equal(none.code, 2);
    assert.match(none.err, /"compare" needs a variant: --set path=value or --params <file>/);
    const missing = await p.run("compare", "--params", "nope.json");
    assert.equal(missing.code, 2);
    assert.match(missing.err, /Cannot read parameters file "[^"]*nope\.json": no such file/);
  } finally {
    await p.dispose();
  }
});
