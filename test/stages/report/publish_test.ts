/**
 * `deno task publish`: copies the figures of an `artifacts/` folder (built here from the render
 * stages on synthetic inputs) under stable names, writes figures.md in the post's order, and
 * refuses targets inside `artifacts/` or the store with one line and exit status 2.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { main } from "../../../stages/report/publish.ts";
import { buildArtifacts } from "../figures/_render_fixture.ts";

/** A project root with reproduced artifacts (shared: building them is the slow part). */
const project = (async () => {
  const root = await Deno.makeTempDir({ prefix: "psinv_publish_" });
  globalThis.addEventListener("unload", () => Deno.removeSync(root, { recursive: true }));
  await buildArtifacts(join(root, "scratch"), join(root, "artifacts"));
  await Deno.mkdir(join(root, ".psinv"));
  return root;
})();

/** Runs the command in `root`, capturing what it prints. */
async function publish(args: string[], root?: string) {
  const out: string[] = [];
  const err: string[] = [];
  const cwd = root ?? await project;
  const code = await main(args, {
    root: cwd,
    cwd,
    console: { out: (l) => out.push(l), err: (l) => err.push(l) },
  });
  return { code, out, err };
}

const POST_ORDER = [
  "data.svg",
  "lam1-loss.svg",
  "lam1-fit.svg",
  "lam1-inversion.svg",
  "lam0p1-loss.svg",
  "lam0p1-fit.svg",
  "lam0p1-inversion.svg",
  "free-silu-loss.svg",
  "free-silu-fit.svg",
  "free-silu-inversion.svg",
  "loss_bands.svg",
  "grid-heatmap-relu.svg",
  "grid-l1-m10-relu-loss.svg",
  "grid-l1-m10-relu-fit.svg",
  "grid-l1-m10-relu-inversion.svg",
  "tradeoff.svg",
];

Deno.test("publish copies every figure under its stable name, byte for byte", async () => {
  const root = await project;
  const target = join(root, "out", "copy");
  const { code, out, err } = await publish(["--to", target]);
  assert.equal(code, 0, err.join("\n"));
  assert.deepEqual(out, [
    `Published ${POST_ORDER.length} figures, metrics.md, claims.md and figures.md to ${target}`,
  ]);
  const written = [];
  for await (const e of Deno.readDir(target)) written.push(e.name);
  assert.deepEqual(written.sort(), [...POST_ORDER, "claims.md", "figures.md", "metrics.md"].sort());
  assert.deepEqual(
    await Deno.readFile(join(target, "lam1-fit.svg")),
    await Deno.readFile(join(root, "artifacts", "figures", "lam1", "fit.svg")),
  );
  assert.deepEqual(
    await Deno.readFile(join(target, "metrics.md")),
    await Deno.readFile(join(root, "artifacts", "figures", "metrics.md")),
  );
});

Deno.test("publish writes figures.md: image links with captions, in the post's order", async () => {
  const root = await project;
  const target = join(root, "out", "md");
  assert.equal((await publish(["--to", target])).code, 0);
  const md = await Deno.readTextFile(join(target, "figures.md"));
  const links = [...md.matchAll(/^!\[[^\]]*\]\(([^)]*)\)$/gm)].map((m) => m[1]);
  assert.deepEqual(links, POST_ORDER);
  const sections = [...md.matchAll(/^<!-- (.*) -->$/gm)].map((m) => m[1]).filter((t) =>
    !t?.includes(":")
  );
  assert.deepEqual(sections.slice(1), [
    "The data",
    "Equal priority",
    "Fit priority",
    "Unconstrained fits",
    "Over seeds and data draws",
    "Sweep “grid”",
    "All configurations",
  ]);
  assert.match(md, /!\[Fits of f and g, λ = μ = 1, ReLU\]\(lam1-fit\.svg\)\n\n\*Fits \(λ = μ = 1/);
});

Deno.test("publish --base prefixes the image links", async () => {
  const root = await project;
  const target = join(root, "out", "base");
  assert.equal((await publish(["--to", target, "--base", "/assets/psinv/"])).code, 0);
  const md = await Deno.readTextFile(join(target, "figures.md"));
  assert.match(md, /\(\/assets\/psinv\/data\.svg\)/);
});

Deno.test("publish refuses a target inside artifacts/ or the store, in one line, exit 2", async () => {
  const root = await project;
  for (
    const [to, inside] of [
      ["artifacts", "artifacts/"],
      ["artifacts/figures/post", "artifacts/"],
      [".psinv/x", ".psinv/"],
      [join(root, ".psinv"), ".psinv/"],
    ]
  ) {
    const { code, out, err } = await publish(["--to", to!]);
    assert.equal(code, 2, to);
    assert.deepEqual(out, []);
    assert.equal(err.length, 1);
    assert.equal(
      err[0],
      `Cannot publish to "${to}": it is inside ${inside}, which the pipeline rewrites; choose a ` +
        "folder outside it",
    );
  }
  await assert.rejects(Deno.stat(join(root, "artifacts", "figures", "post")));
});

Deno.test("publish sees through a symlink into artifacts/", async () => {
  const root = await project;
  const link = join(root, "sneaky");
  await Deno.symlink(join(root, "artifacts", "figures"), link);
  const { code, err } = await publish(["--to", join(link, "post")]);
  assert.equal(code, 2);
  assert.match(err[0] ?? "", /is inside artifacts\//);
});

Deno.test("publish without --to, or with an unknown flag, is a usage error (exit 2)", async () => {
  const missing = await publish([]);
  assert.equal(missing.code, 2);
  assert.deepEqual(missing.err, [
    "Missing --to <dir> (usage: deno task publish --to <dir> [--base <link prefix>] [--post <file.md>])",
  ]);
  const unknown = await publish(["--to", "x", "--fast"]);
  assert.equal(unknown.code, 2);
  assert.equal(unknown.err.length, 1);
  assert.match(unknown.err[0] ?? "", /^Bad arguments: .*fast/);
});

Deno.test("publish before reproduce says to run reproduce (exit 1)", async () => {
  const empty = await Deno.makeTempDir({ prefix: "psinv_publish_empty_" });
  try {
    const { code, err } = await publish(["--to", join(empty, "out")], empty);
    assert.equal(code, 1);
    assert.deepEqual(err, [
      'Cannot publish: "artifacts/figures/figures.json" not found; run `deno task reproduce` first',
    ]);
  } finally {
    await Deno.remove(empty, { recursive: true });
  }
});
