import assert from "node:assert/strict";
import type { StatusReport } from "../../../pipeline/core/answer.ts";
import { toyProject } from "../../testdata/toy/harness.ts";

async function status(p: Awaited<ReturnType<typeof toyProject>>, ...args: string[]) {
  const r = await p.run("status", "--json", ...args);
  assert.equal(r.code, 0, r.err);
  const report = JSON.parse(r.out.trim().split("\n").at(-1)!) as StatusReport;
  return Object.fromEntries(report.stages.map((s) => [s.id, s]));
}

Deno.test("status says missing before the first run and fresh after it", async () => {
  const p = await toyProject();
  try {
    assert.ok(Object.values(await status(p)).every((s) => s.state === "missing"));
    assert.equal((await p.run("reproduce")).code, 0);
    assert.ok(Object.values(await status(p)).every((s) => s.state === "fresh"));
    const text = await p.run("status");
    assert.ok(text.out.includes("8 fresh, 0 stale, 0 missing; store: 8 results"), text.out);
  } finally {
    await p.dispose();
  }
});

Deno.test("status names the changed parameter with its old and new values", async () => {
  const p = await toyProject();
  try {
    assert.equal((await p.run("reproduce")).code, 0);
    await p.editParams((d) => ((d.configs as Record<string, { k: number }>).a!.k = 10));
    const s = await status(p);
    assert.equal(s["step/a"]!.state, "stale");
    assert.deepEqual(s["step/a"]!.changes, [
      { kind: "param", path: "configs.a.k", before: 1, after: 10 },
    ]);
    assert.equal(s["step/b"]!.state, "fresh");
    assert.equal(s["total"]!.state, "stale");
    assert.deepEqual(s["total"]!.waiting, { a: "step/a" });
    const text = await p.run("status");
    assert.match(text.out, /stale +step\/a +configs\.a\.k 1 → 10/);
  } finally {
    await p.dispose();
  }
});

Deno.test("status ignores a comment, tells a token edit apart, and accept re-keys it without rerunning", async () => {
  const p = await toyProject();
  try {
    // A private copy of the toy's step module, so editing it touches no other test.
    const module = `${p.root}/step_copy.ts`;
    const source = await Deno.readTextFile(new URL("../../testdata/toy/step.ts", import.meta.url));
    await Deno.writeTextFile(
      module,
      source.replaceAll(
        `"../../../pipeline/`,
        `"${new URL("../../../pipeline/", import.meta.url).href}`,
      )
        .replace(
          `"./_count.ts"`,
          `"${new URL("../../testdata/toy/_count.ts", import.meta.url).href}"`,
        ),
    );
    const { main } = await import("../../../pipeline/cli/cli.ts");
    const { toy } = await import("../../testdata/toy/pipeline.ts");
    const copied = {
      ...toy,
      stages: (params: Parameters<typeof toy.stages>[0]) =>
        toy.stages(params).map((d) =>
          d.id.startsWith("step/") ? { ...d, module: `file://${module}` } : d
        ),
    };
    const run = async (...args: string[]) => {
      let out = "", err = "";
      const code = await main(args, copied, {
        root: p.root,
        out: (t) => (out += t),
        err: (t) => (err += t),
        terminal: false,
        env: () => undefined,
      });
      return { code, out, err };
    };
    assert.equal((await run("reproduce")).code, 0);
    const original = await Deno.readTextFile(module);
    await Deno.writeTextFile(module, "// a comment\n" + original.replaceAll("\n", "\n\n"));
    const quiet = await run("status");
    assert.ok(quiet.out.includes("8 fresh, 0 stale, 0 missing"), quiet.out);
    assert.ok(!quiet.out.includes("step_copy.ts"), quiet.out);

    // Renaming a local changes tokens, not behaviour: only the user can tell.
    await Deno.writeTextFile(
      module,
      original.replace("const source =", "const text =").replace("${source}k", "${text}k"),
    );
    const st = await run("status", "--json");
    const states = JSON.parse(st.out.trim().split("\n").at(-1)!) as StatusReport;
    const stepA = states.stages.find((s) => s.id === "step/a")!;
    assert.equal(stepA.state, "stale");
    assert.equal(stepA.codeOnly, true);
    assert.deepEqual(stepA.changes, [{ kind: "code", files: ["step_copy.ts"] }]);
    const text = await run("status");
    assert.ok(
      text.out.includes("run `deno task accept step/a` if the edit was cosmetic"),
      text.out,
    );

    await p.resetCount();
    const none = await run("accept", "stp/*");
    assert.equal(none.code, 2);
    assert.equal(none.err.trim().split("\n").length, 1, none.err);
    assert.ok(none.err.includes(`No stage matches "stp/*": did you mean "step/*"?`), none.err);
    const accepted = await run("accept", "step/*");
    assert.equal(accepted.code, 0, accepted.err);
    assert.ok(accepted.out.includes("This trusts you that the edit was cosmetic"), accepted.out);
    assert.equal((await run("reproduce")).code, 0);
    assert.deepEqual(await p.executions(), []);
  } finally {
    await p.dispose();
  }
});

Deno.test("accept refuses a stage whose parameters changed", async () => {
  const p = await toyProject();
  try {
    assert.equal((await p.run("reproduce")).code, 0);
    await p.editParams((d) => ((d.configs as Record<string, { k: number }>).a!.k = 3));
    const r = await p.run("accept", "step/a");
    assert.equal(r.code, 2);
    assert.ok(r.err.includes(`Cannot accept "step/a": more than its code changed`), r.err);
  } finally {
    await p.dispose();
  }
});
