import assert from "node:assert/strict";
import { codeGraphMemoFile, psinvDir } from "../../../pipeline/core/layout.ts";
import {
  codeFingerprint,
  codeFingerprints,
  CodeGraphError,
  type CodeGraphOptions,
  denoInfo,
} from "../../../pipeline/key/code_graph.ts";
import { loadTokenHasher } from "../../../pipeline/key/token_hash.ts";

/** A tiny project: two stages sharing a helper, one importing zod, and a module nobody imports. */
async function project(): Promise<string> {
  const root = await Deno.makeTempDir({ prefix: "psinv_code_graph_" });
  const files: Record<string, string> = {
    "deno.json": JSON.stringify({ imports: { zod: "npm:zod@4.6.7" } }),
    "stages/a.ts": 'import { twice } from "../lib/util.ts";\nimport { z } from "zod";\n' +
      "export const run = () => z.number().parse(twice(1));\n",
    "stages/b.ts": 'import { twice } from "../lib/util.ts";\nexport const run = () => twice(2);\n',
    "lib/util.ts": "export const twice = (x: number) => 2 * x;\n",
    "lib/unused.ts": "export const nobody = 1;\n",
  };
  for (const [path, text] of Object.entries(files)) {
    await Deno.mkdir(`${root}/${path}`.replace(/\/[^/]+$/, ""), { recursive: true });
    await Deno.writeTextFile(`${root}/${path}`, text);
  }
  return root;
}

const url = (root: string, path: string) => `file://${root}/${path}`;

/** Options with a memo, a runner that counts `deno info` calls and a count of hasher loads. */
function counting(root: string): CodeGraphOptions & { calls: string[]; loads: number[] } {
  const calls: string[] = [];
  const loads: number[] = [];
  return {
    root,
    memoFile: codeGraphMemoFile(psinvDir(root)),
    calls,
    loads,
    runInfo: (file, cwd) => {
      calls.push(file.slice(root.length + 1));
      return denoInfo(file, cwd);
    },
    loadHasher: () => {
      loads.push(1);
      return loadTokenHasher();
    },
  };
}

async function withProject(fn: (root: string) => Promise<void>): Promise<void> {
  const root = await project();
  try {
    await fn(root);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

Deno.test("codeFingerprint() covers the module, its local imports (relative paths), npm versions and Deno", () =>
  withProject(async (root) => {
    const fp = await codeFingerprint(url(root, "stages/a.ts"), { root });
    assert.deepEqual(Object.keys(fp.files).sort(), ["lib/util.ts", "stages/a.ts"]);
    assert.equal(fp.npm["zod"], "4.6.7");
    assert.equal(fp.deno, Deno.version.deno);
    assert.match(fp.hash, /^[0-9a-f]{64}$/);
  }));

Deno.test("codeFingerprint() changes when an imported local module changes", () =>
  withProject(async (root) => {
    const before = await codeFingerprint(url(root, "stages/a.ts"), { root });
    await Deno.writeTextFile(`${root}/lib/util.ts`, "export const twice = (x: number) => x + x;\n");
    const after = await codeFingerprint(url(root, "stages/a.ts"), { root });
    assert.notEqual(after.hash, before.hash);
    assert.notEqual(after.files["lib/util.ts"], before.files["lib/util.ts"]);
    assert.equal(after.files["stages/a.ts"], before.files["stages/a.ts"]);
  }));

Deno.test("codeFingerprint() does not change when a module the stage does not import changes", () =>
  withProject(async (root) => {
    const a = await codeFingerprint(url(root, "stages/a.ts"), { root });
    const b = await codeFingerprint(url(root, "stages/b.ts"), { root });
    await Deno.writeTextFile(`${root}/lib/unused.ts`, "export const nobody = 2;\n");
    await Deno.writeTextFile(`${root}/stages/b.ts`, "export const run = () => 4;\n");
    assert.equal((await codeFingerprint(url(root, "stages/a.ts"), { root })).hash, a.hash);
    assert.notEqual((await codeFingerprint(url(root, "stages/b.ts"), { root })).hash, b.hash);
  }));

Deno.test("codeFingerprint() is the same from another checkout path", () =>
  withProject(async (root) => {
    const other = await Deno.makeTempDir({ prefix: "psinv_code_graph_copy_" });
    try {
      for (const path of ["deno.json", "stages/a.ts", "lib/util.ts"]) {
        await Deno.mkdir(`${other}/${path}`.replace(/\/[^/]+$/, ""), { recursive: true });
        await Deno.copyFile(`${root}/${path}`, `${other}/${path}`);
      }
      const here = await codeFingerprint(url(root, "stages/a.ts"), { root });
      const there = await codeFingerprint(url(other, "stages/a.ts"), { root: other });
      assert.equal(there.hash, here.hash);
    } finally {
      await Deno.remove(other, { recursive: true });
    }
  }));

Deno.test("codeFingerprints() runs deno info once per module, then not at all while nothing changes", () =>
  withProject(async (root) => {
    const opts = counting(root);
    const urls = [url(root, "stages/a.ts"), url(root, "stages/b.ts")];
    const first = await codeFingerprints(urls, opts);
    assert.deepEqual(opts.calls.sort(), ["stages/a.ts", "stages/b.ts"]);
    const second = await codeFingerprints(urls, opts);
    assert.equal(opts.calls.length, 2);
    for (const u of urls) assert.deepEqual(second.get(u), first.get(u));
  }));

Deno.test("codeFingerprints() recomputes exactly the graphs that contain an edited module", () =>
  withProject(async (root) => {
    const opts = counting(root);
    const a = url(root, "stages/a.ts"), b = url(root, "stages/b.ts");
    const first = await codeFingerprints([a, b], opts);
    opts.calls.length = 0;
    // Same size, same millisecond: only the content tells the edit apart.
    await Deno.writeTextFile(
      `${root}/stages/b.ts`,
      (await Deno.readTextFile(`${root}/stages/b.ts`)).replace("2", "3"),
    );
    await Deno.writeTextFile(`${root}/lib/unused.ts`, "export const nobody = 3;\n");
    const second = await codeFingerprints([a, b], opts);
    assert.deepEqual(opts.calls, ["stages/b.ts"]);
    assert.equal(second.get(a)!.hash, first.get(a)!.hash);
    assert.notEqual(second.get(b)!.hash, first.get(b)!.hash);
  }));

Deno.test("codeFingerprints() picks up a newly imported module", () =>
  withProject(async (root) => {
    const opts = counting(root);
    const b = url(root, "stages/b.ts");
    await codeFingerprints([b], opts);
    await Deno.writeTextFile(
      `${root}/stages/b.ts`,
      'import { nobody } from "../lib/unused.ts";\nexport const run = () => nobody;\n',
    );
    const fp = (await codeFingerprints([b], opts)).get(b)!;
    assert.deepEqual(Object.keys(fp.files).sort(), ["lib/unused.ts", "stages/b.ts"]);
    assert.equal(opts.calls.length, 2);
  }));

Deno.test("codeFingerprints() discards its memo when deno.json changes", () =>
  withProject(async (root) => {
    const opts = counting(root);
    const a = url(root, "stages/a.ts");
    await codeFingerprints([a], opts);
    await Deno.writeTextFile(
      `${root}/deno.json`,
      JSON.stringify({ imports: { zod: "npm:zod@4.6.7" }, lint: {} }),
    );
    await codeFingerprints([a], opts);
    assert.equal(opts.calls.length, 2);
  }));

Deno.test("codeFingerprints() rebuilds a garbled memo instead of failing", () =>
  withProject(async (root) => {
    const opts = counting(root);
    const a = url(root, "stages/a.ts");
    const first = await codeFingerprints([a], opts);
    await Deno.writeTextFile(opts.memoFile!, "{ not json");
    const second = await codeFingerprints([a], opts);
    assert.equal(opts.calls.length, 2);
    assert.equal(second.get(a)!.hash, first.get(a)!.hash);
  }));

Deno.test("codeFingerprint() fails with CodeGraphError naming a missing import", () =>
  withProject(async (root) => {
    await Deno.writeTextFile(`${root}/stages/c.ts`, 'import "./nowhere.ts";\n');
    await assert.rejects(
      () => codeFingerprint(url(root, "stages/c.ts"), { root }),
      (e: unknown) =>
        e instanceof CodeGraphError && e.module === url(root, "stages/c.ts") &&
        /nowhere\.ts/.test(e.detail),
    );
  }));

Deno.test("codeFingerprint() leaves out modules imported only for their types", () =>
  withProject(async (root) => {
    await Deno.writeTextFile(`${root}/lib/types.ts`, "export type Point = { x: number };\n");
    await Deno.writeTextFile(
      `${root}/stages/c.ts`,
      'import type { Point } from "../lib/types.ts";\nexport const run = (p: Point) => p.x;\n',
    );
    const before = await codeFingerprint(url(root, "stages/c.ts"), { root });
    assert.deepEqual(Object.keys(before.files), ["stages/c.ts"]);
    await Deno.writeTextFile(`${root}/lib/types.ts`, "export type Point = { y: string };\n");
    assert.equal((await codeFingerprint(url(root, "stages/c.ts"), { root })).hash, before.hash);
  }));

Deno.test("a failing deno info is a CodeGraphError naming the module URL", () =>
  withProject(async (root) => {
    const a = url(root, "stages/a.ts");
    await assert.rejects(
      () =>
        codeFingerprints([a], {
          root,
          runInfo: () => Promise.reject(new CodeGraphError("/some/path.ts", "exited with 1")),
        }),
      (e: unknown) => e instanceof CodeGraphError && e.module === a && e.detail === "exited with 1",
    );
  }));

Deno.test("codeFingerprint() ignores comments and formatting, and counts every token", () =>
  withProject(async (root) => {
    const a = url(root, "stages/a.ts");
    const opts = counting(root);
    const before = (await codeFingerprints([a], opts)).get(a)!;
    await Deno.writeTextFile(
      `${root}/lib/util.ts`,
      "/** Doubles. */\nexport const twice = (x: number) =>\n  2 * x; // twice\n",
    );
    const cosmetic = (await codeFingerprints([a], opts)).get(a)!;
    assert.equal(cosmetic.hash, before.hash);
    assert.deepEqual(cosmetic.files, before.files);
    await Deno.writeTextFile(`${root}/lib/util.ts`, "export const twice = (x: number) => 3 * x;\n");
    const real = (await codeFingerprints([a], opts)).get(a)!;
    assert.notEqual(real.hash, before.hash);
    assert.notEqual(real.files["lib/util.ts"], before.files["lib/util.ts"]);
  }));

Deno.test("codeFingerprints() loads the syntax hasher only for content it has not seen", () =>
  withProject(async (root) => {
    const opts = counting(root);
    const urls = [url(root, "stages/a.ts"), url(root, "stages/b.ts")];
    const first = await codeFingerprints(urls, opts);
    assert.equal(opts.loads.length, 1, "one load serves every file of the first run");
    await codeFingerprints(urls, opts);
    assert.equal(opts.loads.length, 1, "a run with nothing changed never loads it");

    const util = `${root}/lib/util.ts`;
    const original = await Deno.readTextFile(util);
    await Deno.writeTextFile(util, original + "// edited\n");
    await codeFingerprints(urls, opts);
    assert.equal(opts.loads.length, 2, "new content is parsed");
    await Deno.writeTextFile(util, original);
    const reverted = await codeFingerprints(urls, opts);
    assert.equal(opts.loads.length, 2, "content seen before is looked up by its raw hash");
    for (const u of urls) assert.equal(reverted.get(u)!.hash, first.get(u)!.hash);
  }));

Deno.test("codeFingerprint() counts a JSON module by its bytes", () =>
  withProject(async (root) => {
    await Deno.writeTextFile(`${root}/lib/data.json`, '{ "a": 1 }\n');
    await Deno.writeTextFile(
      `${root}/stages/c.ts`,
      'import data from "../lib/data.json" with { type: "json" };\nexport const run = () => data;\n',
    );
    const before = await codeFingerprint(url(root, "stages/c.ts"), { root });
    await Deno.writeTextFile(`${root}/lib/data.json`, '{"a": 1}\n');
    assert.notEqual((await codeFingerprint(url(root, "stages/c.ts"), { root })).hash, before.hash);
  }));

Deno.test("codeFingerprints() closes the syntax hasher it loaded once the fingerprints are done", () =>
  withProject(async (root) => {
    let closed = 0;
    const opts: CodeGraphOptions = {
      root,
      loadHasher: async () => {
        const hash = await loadTokenHasher();
        return Object.assign(hash, { close: () => void closed++ });
      },
    };
    await codeFingerprints([url(root, "stages/a.ts"), url(root, "stages/b.ts")], opts);
    assert.equal(closed, 1);
  }));
