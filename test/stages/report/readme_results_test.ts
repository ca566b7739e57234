import assert from "node:assert/strict";
import { join } from "node:path";
import {
  BEGIN,
  END,
  resultsBlock,
  spliceResults,
  updateReadme,
} from "../../../stages/report/readme_results.ts";

const README = `# psinv\n\nintro\n\n${BEGIN}\nstale numbers 0.094\n${END}\n\n## Next\n`;
const CLAIMS =
  "| claim | id |\n| --- | --- |\n| Fit rises | fit-rises |\n\n- **Fit rises** — supported. A long sentence that deno fmt would otherwise re-wrap at one hundred columns, which it must not.\n";
const METRICS = "| config | λ |\n| --- | ---: |\n| lam1 | 1 |\n";

async function project(readme = README): Promise<string> {
  const root = await Deno.makeTempDir({ prefix: "psinv-readme-" });
  await Deno.mkdir(join(root, "artifacts", "figures"), { recursive: true });
  await Deno.writeTextFile(join(root, "README.md"), readme);
  await Deno.writeTextFile(join(root, "artifacts", "figures", "claims.md"), CLAIMS);
  await Deno.writeTextFile(join(root, "artifacts", "figures", "metrics.md"), METRICS);
  return root;
}

Deno.test("spliceResults() replaces only the text between the markers, the same way every time", () => {
  const block = resultsBlock(CLAIMS, METRICS);
  const once = spliceResults(README, block);
  assert.ok(once.ok);
  assert.ok(!once.text.includes("stale numbers"));
  assert.ok(once.text.startsWith("# psinv\n\nintro\n\n"));
  assert.ok(once.text.endsWith(`${END}\n\n## Next\n`));
  assert.ok(once.text.includes("| lam1 | 1 |") && once.text.includes("| Fit rises | fit-rises |"));
  const twice = spliceResults(once.text, block);
  assert.ok(twice.ok);
  assert.equal(twice.text, once.text, "regenerating from the same files changes nothing");
});

Deno.test("spliceResults() refuses a README without the markers", () => {
  const r = spliceResults("# no markers\n", "x");
  assert.ok(!r.ok);
  assert.match(r.error, /has no "<!-- results:begin/);
});

Deno.test("deno task results rewrites README.md from artifacts/, byte-stable and left alone by deno fmt", async () => {
  const root = await project();
  try {
    assert.equal(await updateReadme(root, () => {}), 0);
    const first = await Deno.readTextFile(join(root, "README.md"));
    assert.equal(await updateReadme(root, () => {}), 0);
    assert.equal(await Deno.readTextFile(join(root, "README.md")), first);
    const fmt = await new Deno.Command(Deno.execPath(), {
      args: ["fmt", "--check", "--line-width", "100", join(root, "README.md")],
      stdout: "null",
      stderr: "piped",
    }).output();
    assert.equal(fmt.code, 0, new TextDecoder().decode(fmt.stderr));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("deno task results before reproduce says so and leaves README.md alone", async () => {
  const root = await project();
  try {
    await Deno.remove(join(root, "artifacts", "figures", "claims.md"));
    const said: string[] = [];
    assert.equal(await updateReadme(root, (l) => said.push(l)), 1);
    assert.deepEqual(said, [
      'Cannot read "artifacts/figures/claims.md": run `deno task reproduce` first',
    ]);
    assert.equal(await Deno.readTextFile(join(root, "README.md")), README);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("the repository's README.md has the generated block's markers", async () => {
  const text = await Deno.readTextFile(new URL("../../../README.md", import.meta.url));
  assert.ok(spliceResults(text, "x").ok);
});
