/**
 * What the READMEs promise a newcomer: the top one is short and opens with the two commands that
 * work on a Node-only machine, CI runs exactly that test command, and every file or folder the
 * READMEs name exists, so a rename cannot leave the map pointing nowhere.
 *
 * @module
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const READMES = ["README.md", "pipeline/README.md", "stages/README.md"];
const REPRODUCE = "npx -y deno@2.9.6 task reproduce";
const TEST = "npx -y deno@2.9.6 task test";

const read = (path: string): string => Deno.readTextFileSync(join(ROOT, path));

/**
 * The repository paths a Markdown text names in backticks: those starting with one of the
 * project's folders, or (with `base`, the README's own folder) with one of `base`'s subfolders and
 * naming a module or folder (`key/token_hash.ts`, `model/kernel/`). A path is cut at the first
 * space; one with a placeholder or glob (`<row>`, `{a,b}`, `*`) is skipped.
 */
export function namedPaths(markdown: string, base = "", subfolders: string[] = []): string[] {
  const top = /^(pipeline|stages|test|\.ci)\/[\w./-]*/;
  const local = subfolders.length === 0
    ? undefined
    : new RegExp(`^(${subfolders.join("|")})/[\\w./-]*`);
  const paths = new Set<string>();
  for (const [, quoted] of markdown.matchAll(/`([^`\n]+)`/g)) {
    const code = quoted!.trim();
    let m = top.exec(code);
    let prefix = "";
    if (m === null && local !== undefined) {
      m = local.exec(code);
      if (m === null || !/(\.(ts|c|md)|\/)$/.test(m[0])) continue;
      prefix = `${base}/`;
    }
    if (m === null || /[<{*]/.test(code.charAt(m[0].length))) continue;
    paths.add(prefix + m[0].replace(/\/$/, ""));
  }
  return [...paths].sort();
}

/** The folders directly inside `dir`. */
function subfoldersOf(dir: string): string[] {
  return [...Deno.readDirSync(join(ROOT, dir))].filter((e) => e.isDirectory).map((e) => e.name);
}

Deno.test("README.md opens with the two commands and stays short", () => {
  const text = read("README.md");
  const lines = text.split("\n");
  assert.ok(lines.length <= 200, `README.md has ${lines.length} lines (at most 200)`);
  const firstBlock = /```sh\n([\s\S]*?)```/.exec(text)?.[1] ?? "";
  const commands = firstBlock.split("\n").map((l) => l.replace(/#.*/, "").trim()).filter(Boolean);
  assert.deepEqual(commands, [REPRODUCE, TEST]);
  assert.ok(text.indexOf("```sh") < text.indexOf("\n## "), "the commands come before any section");
});

Deno.test(".ci/run calls exactly the README's test command", () => {
  const run = read(".ci/run").split("\n").map((l) => l.trim());
  assert.ok(run.includes(TEST), `.ci/run has no line "${TEST}"`);
});

Deno.test("every path the READMEs name exists", async (t) => {
  for (const readme of READMES) {
    await t.step(readme, () => {
      const base = dirname(readme);
      const named = base === "."
        ? namedPaths(read(readme))
        : namedPaths(read(readme), base, subfoldersOf(base));
      const missing = named.filter((p) => !existsSync(join(ROOT, p)));
      assert.deepEqual(missing, []);
    });
  }
});

Deno.test("namedPaths() finds project paths and skips placeholders and outside files", () => {
  assert.deepEqual(
    namedPaths(
      "`stages/model/train.ts` and `pipeline/store/` and `stages/figures/spec_<name>.ts`, " +
        "`../shared/peers/jax_psinv.py`, `test/bench.ts --rounds 3`, `params.json`",
    ),
    ["pipeline/store", "stages/model/train.ts", "test/bench.ts"],
  );
  assert.deepEqual(
    namedPaths("`key/token_hash.ts`, `model/kernel/`, `figures/data.svg`, `run.json`", "stages", [
      "key",
      "model",
      "figures",
    ]),
    ["stages/key/token_hash.ts", "stages/model/kernel"],
  );
});

/** Every `.ts` file under `dir`. */
function sources(dir: string): string[] {
  return [...Deno.readDirSync(join(ROOT, dir))].flatMap((e) =>
    e.isDirectory ? sources(`${dir}/${e.name}`) : e.name.endsWith(".ts") ? [`${dir}/${e.name}`] : []
  );
}

Deno.test("every `deno task <name>` the READMEs, the help text and the generated pages name exists", () => {
  const tasks = new Set(Object.keys(JSON.parse(read("deno.json")).tasks));
  // The help text and the pages are written by the modules under pipeline/ and stages/.
  const texts = [...READMES, ...sources("pipeline"), ...sources("stages")];
  const missing = texts.flatMap((path) =>
    [...read(path).matchAll(/deno task ([a-z][\w-]*)/g)]
      .filter(([, name]) => !tasks.has(name!))
      .map(([, name]) => `${path}: deno task ${name}`)
  );
  assert.deepEqual(missing, []);
  assert.ok(tasks.has("compare"), "the README's own compare command");
});
