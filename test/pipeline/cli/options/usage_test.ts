import assert from "node:assert/strict";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseCommand } from "../../../../pipeline/cli/args.ts";
import { COMMANDS } from "../../../../pipeline/cli/command.ts";
import { OPTION_NAMES, OPTIONS, optionsOf, usage } from "../../../../pipeline/cli/options/mod.ts";
import { ENVIRONMENT as EXPERIMENT } from "../../../../stages/main.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");

/** The `--flags` a text names, without their `--`. */
function flagsIn(text: string): Set<string> {
  return new Set([...text.matchAll(/(?<![\w-])--([a-z][a-z-]*)/g)].map((m) => m[1]!));
}

/** The options a help text lists on lines of their own. */
function optionLines(text: string): string[] {
  return [...text.matchAll(/^ +--([a-z][a-z-]*)/gm)].map((m) => m[1]!);
}

Deno.test("usage() lists every option of the table, and names no flag the table lacks", () => {
  const text = usage();
  const named = flagsIn(text);
  assert.deepEqual(OPTION_NAMES.filter((o) => !named.has(o)), [], "options missing from the help");
  assert.deepEqual(
    [...named].filter((f) => !(f in OPTIONS)),
    [],
    "flags in the help that no command takes",
  );
});

Deno.test("usage(command) lists exactly the options that command takes", () => {
  for (const command of COMMANDS) {
    assert.deepEqual(optionLines(usage(command)).sort(), optionsOf(command).sort(), command);
  }
});

Deno.test("parseCommand() refuses exactly the options a command's help does not list", () => {
  const env = () => undefined;
  for (const command of COMMANDS) {
    const listed = new Set(optionLines(usage(command)));
    for (const option of OPTION_NAMES.filter((o) => o !== "help")) {
      const value = OPTIONS[option].type === "boolean" ? [] : ["1"];
      const r = parseCommand([command, `--${option}`, ...value], { jobs: 1, keep: 1, env });
      const refused = !r.ok && r.error.detail.includes("does not apply");
      assert.equal(refused, !listed.has(option), `${command} --${option}: ${JSON.stringify(r)}`);
    }
  }
});

Deno.test("usage() names every PSINV_* variable the engine and the experiment read", () => {
  const text = usage(undefined, EXPERIMENT);
  const read = new Set<string>();
  const walk = (dir: string) => {
    for (const e of Deno.readDirSync(join(ROOT, dir))) {
      const path = `${dir}/${e.name}`;
      if (e.isDirectory) walk(path);
      else if (e.name.endsWith(".ts")) {
        for (
          const m of Deno.readTextFileSync(join(ROOT, path)).matchAll(/PSINV_[A-Z][A-Z0-9_]*/g)
        ) {
          read.add(m[0]);
        }
      }
    }
  };
  walk("pipeline");
  walk("stages");
  // The name a run's provenance record is assigned to in a page (`provenance.js`), not a variable.
  read.delete("PSINV_PROVENANCE");
  assert.ok(read.has("PSINV_CC") && read.has("PSINV_POLL"), "the scan finds variables");
  const missing = [...read].filter((name) => !new RegExp(`^  ${name} `, "m").test(text));
  assert.deepEqual(missing, [], "variables read but not listed under Environment");
});

Deno.test("usage(command) is that command's help only, with the variables of its options", () => {
  const text = usage("gc");
  assert.match(text, /^ {2}gc +drop stored results/m);
  assert.doesNotMatch(text, /^ {2}reproduce/m);
  assert.doesNotMatch(text, /^Environment/m, "gc reads --remote from the flag only");
  assert.match(usage("push"), /^ {2}PSINV_REMOTE +--remote when the flag is absent/m);
  assert.match(usage("push"), /--remote URL .*\[PSINV_REMOTE\]/s);
});
