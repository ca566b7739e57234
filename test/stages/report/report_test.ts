/**
 * The `report` stage on the synthetic inputs of the render tests: the metrics table, the figure
 * list and the index page, byte-identical from run to run and equal to the snapshots under
 * test/testdata/report/ (regenerate them with `deno task snapshots`).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { run as report } from "../../../stages/report/report.ts";
import { CONFIGS, context, REPORT_PARAMS, writeInputs } from "../figures/_render_fixture.ts";
import { snapshot } from "../_snapshot.ts";

const FILES = ["metrics.md", "figures.json", "index.html"] as const;

/** Runs the report into a fresh folder of `root`, on `inputs` (fixture inputs when absent). */
async function reportInto(root: string, inputs?: Record<string, string>) {
  const given = inputs ?? await writeInputs(join(root, "in"));
  const out = join(root, "out");
  await Deno.mkdir(out, { recursive: true });
  await report(
    context(
      REPORT_PARAMS,
      given,
      out,
    ),
  );
  return { inputs: given, out };
}

const reported = (async () => {
  const root = await Deno.makeTempDir({ prefix: "psinv_report_" });
  globalThis.addEventListener("unload", () => Deno.removeSync(root, { recursive: true }));
  return await reportInto(root);
})();

Deno.test("report writes metrics.md as a Markdown table, one row per configuration, in order", async () => {
  const text = await Deno.readTextFile(join((await reported).out, "metrics.md"));
  const rows = text.split("\n").filter((l) => l.startsWith("|"));
  assert.equal(rows.length, 2 + Object.keys(CONFIGS).length);
  assert.match(rows[1] ?? "", /^\| --- \| ---: \| ---: \| --- \| ---: /);
  assert.deepEqual(rows.slice(2).map((r) => r.split("|")[1]?.trim()), Object.keys(CONFIGS));
  assert.match(
    rows[2] ?? "",
    /^\| lam1 \| 1 \| 1 \| ReLU \| 0\.05 \| 0\.06 \| 0\.2 \| 0\.25 \| 1\.5 \| 2 \|$/,
  );
});

Deno.test("report rerun on the same inputs writes byte-identical files", async () => {
  const first = await reported;
  const root = await Deno.makeTempDir({ prefix: "psinv_report_again_" });
  try {
    const again = await reportInto(root, first.inputs);
    for (const file of FILES) {
      assert.deepEqual(
        await Deno.readFile(join(again.out, file)),
        await Deno.readFile(join(first.out, file)),
        `${file} differs between runs`,
      );
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("report's files match the snapshots in test/testdata/report", async (t) => {
  const { out } = await reported;
  for (const file of FILES) {
    await t.step(
      file,
      async () => snapshot("report", `${file}.snap`, await Deno.readTextFile(join(out, file))),
    );
  }
});
