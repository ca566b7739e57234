/**
 * The code's layout rules, checked on the tree itself: imports only go down the layers, the engine
 * never imports the experiment, engine folders meet through their `mod.ts` doors, and no folder or
 * module grows past what one person holds in mind.
 *
 * Imports are read with TypeScript's own pre-processor, so doc examples and comments don't count.
 *
 * @module
 */
import assert from "node:assert/strict";
import ts from "typescript";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** The engine's folders, lowest first: a folder may import only folders before it. */
const PIPELINE_LAYERS = [
  "core",
  "key",
  "params",
  "store",
  "remote",
  "run",
  "slurm",
  "record",
  "commands",
  "cli",
];

/**
 * The experiment's areas, lowest first: the schema, the data and the networks, the design of runs
 * (rows of networks and weights), then the folders that gather runs, then the declarations and the
 * entry point.
 */
const STAGES_LAYERS = [
  "stage_codes.ts",
  "activations.ts",
  "run_schema.ts",
  "statistics_schema.ts",
  "search_schema.ts",
  "params_schema.ts",
  "data",
  "model",
  "design.ts",
  "run_stages.ts",
  "stats",
  "search",
  "claims",
  "figures",
  "report",
  "claimed_design.ts",
  "validation.ts",
  "pipeline.ts",
  "main.ts",
];

const MAX_MODULES_PER_FOLDER = 15;
const MAX_LINES = 400;

/** Every file under `dir` (relative to the root) whose name ends in one of `ends`, sorted. */
function walk(dir: string, ends: readonly string[] = [".ts"]): string[] {
  const out: string[] = [];
  for (const e of Deno.readDirSync(join(ROOT, dir))) {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory) out.push(...walk(path, ends));
    else if (ends.some((end) => e.name.endsWith(end))) out.push(path);
  }
  return out.sort();
}

/** The local files a module imports (static, dynamic and re-exports), relative to the root. */
function localImports(file: string): string[] {
  const text = Deno.readTextFileSync(join(ROOT, file));
  const info = ts.preProcessFile(text, true, true);
  return info.importedFiles
    .map((f) => f.fileName)
    .filter((spec) => spec.startsWith("."))
    .map((spec) => relative(ROOT, resolve(ROOT, dirname(file), spec)));
}

/** The layer a file belongs to: the first path segment below `top` (a folder or a top file). */
function layerOf(file: string, top: string): string {
  return file.slice(top.length + 1).split("/")[0]!;
}

/** The imports of `files` that break the rule, as "from → to (why)" lines. */
function violations(files: string[]): string[] {
  const bad: string[] = [];
  for (const file of files) {
    for (const target of localImports(file)) {
      const why = ruleBroken(file, target);
      if (why !== undefined) bad.push(`${file} → ${target} (${why})`);
    }
  }
  return bad;
}

/** Why importing `target` from `file` breaks the layering, or undefined when it is allowed. */
function ruleBroken(file: string, target: string): string | undefined {
  if (file.startsWith("pipeline/")) {
    if (!target.startsWith("pipeline/")) return "the engine imports only itself";
    const [from, to] = [layerOf(file, "pipeline"), layerOf(target, "pipeline")];
    if (from === to) return undefined;
    const [a, b] = [PIPELINE_LAYERS.indexOf(from), PIPELINE_LAYERS.indexOf(to)];
    if (a < 0 || b < 0) return `unknown engine folder ${a < 0 ? from : to}`;
    if (b > a) return `${from} is below ${to}`;
    if (!target.endsWith(`pipeline/${to}/mod.ts`)) return `go through pipeline/${to}/mod.ts`;
    return undefined;
  }
  if (file.startsWith("stages/")) {
    // A stage module imports engine files one by one: its key covers exactly what it loads.
    if (target.startsWith("pipeline/")) return undefined;
    if (!target.startsWith("stages/")) return "the experiment imports only itself and the engine";
    const [from, to] = [layerOf(file, "stages"), layerOf(target, "stages")];
    if (from === to) return undefined;
    const [a, b] = [STAGES_LAYERS.indexOf(from), STAGES_LAYERS.indexOf(to)];
    if (a < 0 || b < 0) return `unknown stages area ${a < 0 ? from : to}`;
    if (b > a) return `${from} is below ${to}`;
  }
  return undefined;
}

Deno.test("layers: imports only go down", async (t) => {
  await t.step("the engine imports no stage and only lower folders, through their doors", () => {
    assert.deepEqual(violations(walk("pipeline")), []);
  });
  await t.step("the experiment's folders import only the ones below them", () => {
    assert.deepEqual(violations(walk("stages")), []);
  });
  await t.step("the rule itself rejects an upward or side-door import", () => {
    assert.deepEqual(
      ruleBroken("pipeline/core/x.ts", "pipeline/store/mod.ts"),
      "core is below store",
    );
    assert.deepEqual(
      ruleBroken("pipeline/cli/x.ts", "pipeline/store/store.ts"),
      "go through pipeline/store/mod.ts",
    );
    assert.deepEqual(
      ruleBroken("pipeline/run/x.ts", "stages/pipeline.ts"),
      "the engine imports only itself",
    );
    assert.deepEqual(ruleBroken("stages/data/x.ts", "stages/model/y.ts"), "data is below model");
    assert.deepEqual(ruleBroken("stages/report/x.ts", "stages/figures/y.ts"), undefined);
    assert.deepEqual(ruleBroken("stages/model/x.ts", "pipeline/core/stage.ts"), undefined);
  });
});

Deno.test("layers: folders and modules stay small", async (t) => {
  const files = [...walk("pipeline"), ...walk("stages")];
  await t.step(`no folder holds more than ${MAX_MODULES_PER_FOLDER} modules`, () => {
    const counts = new Map<string, number>();
    for (const f of files) counts.set(dirname(f), (counts.get(dirname(f)) ?? 0) + 1);
    const big = [...counts].filter(([, n]) => n > MAX_MODULES_PER_FOLDER).map(([d, n]) =>
      `${d}: ${n}`
    );
    assert.deepEqual(big, []);
  });
  await t.step(
    `no module, C included, exceeds ${MAX_LINES} lines unless its first line says it is generated`,
    () => {
      const sources = [...walk("pipeline"), ...walk("stages", [".ts", ".c", ".h"])];
      assert.ok(sources.includes("stages/model/kernel/train_step.c"));
      const long = sources.filter((f) => {
        const lines = Deno.readTextFileSync(join(ROOT, f)).split("\n");
        return lines.length > MAX_LINES && !/generated/i.test(lines[0] ?? "");
      });
      assert.deepEqual(long, []);
    },
  );
});
