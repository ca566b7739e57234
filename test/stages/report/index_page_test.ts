/**
 * The index page: its structure (sections in the post's order, a caption per figure, nothing
 * external), and the page opened from the file system in real headless Chromium, where every
 * figure must load. Chromium is required: CI installs the Debian package `chromium`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { loadedImages, runChromium } from "./_chromium.ts";
import { allFigures, type FigureList, figureList } from "../../../stages/report/figure_list.ts";
import { indexPage } from "../../../stages/report/index_page.ts";
import { buildArtifacts, CONFIGS, STATISTICS, STYLE, SWEEPS } from "../figures/_render_fixture.ts";
import { decideClaims } from "../../../stages/claims/verdicts.ts";

const LIST = figureList(CONFIGS, { sweeps: SWEEPS, layers: [30, 30], activation: "relu" });
const CLAIMS = {
  ...STATISTICS,
  seeds: 5,
  draws: 3,
  fewestRuns: 10,
  maxSeeds: 40,
  claims: decideClaims([], { statistics: STATISTICS, subjects: [] }),
  flipped: [{ id: "lam10", seed: 3, draw: 1 }],
  runs: 120,
};
const PAGE = indexPage({ list: LIST, metrics: [], claims: CLAIMS, style: STYLE });

Deno.test("index.html has the post's sections in order and a caption under every figure", () => {
  const headings = [...PAGE.matchAll(/<h2>(.*?)<\/h2>/g)].map((m) => m[1]);
  assert.deepEqual(headings, [
    "The post's claims, checked",
    "The data",
    "Equal priority",
    "Fit priority",
    "Unconstrained fits",
    "Over seeds and data draws",
    "Sweep “grid”",
    "All configurations",
    "Metrics",
    "Where the run's time went",
  ]);
  const figures = [
    ...PAGE.matchAll(
      /<figure>\n<img src="([^"]*)" alt="[^"]+">\n<figcaption>[^<]+<details [^]*?<\/details><\/figcaption>\n<\/figure>/g,
    ),
  ]
    .map((m) => m[1]);
  assert.deepEqual(figures, allFigures(LIST).map((f) => f.path));
  assert.equal(PAGE.split("<figure>").length - 1, figures.length, "every figure has a caption");
});

Deno.test("index.html is static: no external resources, only relative links, one local script", () => {
  assert.ok(!/<link|@import|url\(/i.test(PAGE));
  const scripts = [...PAGE.matchAll(/<script( src="[^"]*")?>/g)].map((m) => m[1] ?? "inline");
  assert.deepEqual(scripts, [' src="provenance.js"', "inline"]);
  const links = [...PAGE.matchAll(/(?:src|href)="([^"]*)"/g)].map((m) => m[1] ?? "");
  assert.ok(links.length > 0);
  for (const link of links) {
    assert.match(
      link,
      /^(figures\/[\w./-]+|claims\.json|stats\.csv|replicates\.csv|provenance\.js|post\.html|timeline\.svg)$/,
      link,
    );
  }
});

Deno.test("index.html gives every figure, table and claim a provenance panel naming its file", () => {
  const panels = (html: string) =>
    [...html.matchAll(/<details class="provenance" data-artifact="([^"]+)">/g)].map((m) => m[1]);
  const figures = [...PAGE.matchAll(/<figure>[\s\S]*?<\/figure>/g)].map((m) => m[0]);
  assert.equal(figures.length, allFigures(LIST).length);
  for (const f of figures) {
    const src = /<img src="([^"]+)"/.exec(f)![1];
    assert.deepEqual(panels(f), [src], "a figure's panel names its image");
  }
  const claims = /<section id="claims">[\s\S]*?<\/section>/.exec(PAGE)![0];
  assert.equal(panels(claims).length, CLAIMS.claims.length + 1, "one per claim, one for the table");
  assert.ok(panels(claims).every((p) => p === "claims.json"));
  const metrics = /<section id="metrics">[\s\S]*?<\/section>/.exec(PAGE)![0];
  assert.deepEqual(panels(metrics), ["metrics.csv"]);
});

/** Artifacts built by the render stages on the fixture, in a fresh temp dir. */
async function reproduced(): Promise<{ root: string; artifacts: string; list: FigureList }> {
  const root = await Deno.makeTempDir({ prefix: "psinv_index_" });
  const artifacts = join(root, "artifacts");
  await buildArtifacts(join(root, "scratch"), artifacts);
  const list = JSON.parse(await Deno.readTextFile(join(artifacts, "figures", "figures.json")));
  return { root, artifacts, list };
}

Deno.test("index.html opened from file:// in headless Chromium loads every figure", async () => {
  const { root, artifacts, list } = await reproduced();
  try {
    // The fixture has no run: the timeline's place says so instead of showing a broken image.
    const images = await loadedImages(artifacts, join(root, "profile"));
    assert.deepEqual(images.map(([src]) => src), allFigures(list).map((f) => f.path));
    for (const [src, width] of images) assert.ok(width > 0, `${src} did not load`);

    const png = join(root, "index.png");
    await runChromium(
      join(root, "profile"),
      ["--hide-scrollbars", "--window-size=1280,2400", `--screenshot=${png}`],
      `file://${join(artifacts, "index.html")}`,
    );
    const bytes = await Deno.readFile(png);
    assert.deepEqual([...bytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47], "a PNG screenshot");
    assert.ok(bytes.length > 10_000, "the screenshot shows more than a blank page");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("the Chromium image check notices a figure that is missing", async () => {
  const { root, artifacts } = await reproduced();
  try {
    await Deno.remove(join(artifacts, "figures", "lam1", "fit.svg"));
    const images = await loadedImages(artifacts, join(root, "profile"));
    const broken = images.filter(([, width]) => width === 0).map(([src]) => src);
    assert.deepEqual(broken, ["figures/lam1/fit.svg"]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("index.html shows the claims before any figure, each with its verdict", () => {
  const claims = PAGE.indexOf('<section id="claims">');
  assert.ok(claims > 0 && claims < PAGE.indexOf("<figure>"));
  const verdicts = [...PAGE.matchAll(/<span class="verdict (\w+)">(\w+)<\/span>/g)];
  assert.equal(verdicts.length, CLAIMS.claims.length);
  for (const [, cls, text] of verdicts) assert.equal(cls, text);
  assert.ok(PAGE.includes('<a href="figures/claims.md">'));
});
