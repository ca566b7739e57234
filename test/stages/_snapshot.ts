/**
 * Snapshot comparison for the figure and report tests: `actual` must equal the file
 * `test/testdata/<folder>/<name>`, or, when the test runs with `-- --update` (`deno task
 * snapshots`), becomes it. Snapshots end in `.snap` so that `deno fmt` (which formats JSON,
 * Markdown, HTML and SVG) leaves them byte for byte as the stages wrote them.
 *
 * @module
 */
import assert from "node:assert/strict";

const UPDATE = Deno.args.includes("--update");

/** Compares `actual` with `test/testdata/<folder>/<name>`, or writes it there with `--update`. */
export async function snapshot(folder: string, name: string, actual: string): Promise<void> {
  const dir = new URL(`../testdata/${folder}/`, import.meta.url);
  const file = new URL(name, dir);
  const shown = `test/testdata/${folder}/${name}`;
  if (UPDATE) {
    await Deno.mkdir(dir, { recursive: true });
    await Deno.writeTextFile(file, actual);
    return;
  }
  let expected: string;
  try {
    expected = await Deno.readTextFile(file);
  } catch {
    assert.fail(`No snapshot ${shown}: run \`deno task snapshots\``);
  }
  assert.equal(
    actual,
    expected,
    `${shown} differs; if the change is intended, run \`deno task snapshots\``,
  );
}
