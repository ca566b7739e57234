/**
 * The render stages on synthetic inputs: each SVG is well-formed, self-contained and holds the
 * marks it should; reruns are byte-identical; specs and SVGs match the snapshots under
 * test/testdata/render/ (regenerate them with `deno task snapshots`).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { StageError } from "../../../pipeline/core/stage.ts";
import {
  parseTable,
  readFCurve,
  readGCurve,
  readHistory,
  readXY,
} from "../../../stages/figures/figure_inputs.ts";
import { readBands, readStats } from "../../../stages/figures/summary_inputs.ts";
import { run as renderBands } from "../../../stages/figures/render_bands.ts";
import { run as renderGrid } from "../../../stages/figures/render_grid.ts";
import { heatmapSpec } from "../../../stages/figures/specs/heatmap.ts";
import { lossBandsSpec } from "../../../stages/figures/specs/loss_bands.ts";
import { run as renderConfig } from "../../../stages/figures/render.ts";
import { run as renderData } from "../../../stages/figures/render_data.ts";
import { run as renderTradeoff } from "../../../stages/figures/render_tradeoff.ts";
import { dataSpec } from "../../../stages/figures/specs/data.ts";
import { fitSpec } from "../../../stages/figures/specs/fit.ts";
import { inversionSpec } from "../../../stages/figures/specs/inversion.ts";
import { lossSpec } from "../../../stages/figures/specs/loss.ts";
import { FRAME } from "../../../stages/figures/specs/theme.ts";
import { renderSvg } from "../../../stages/figures/svg.ts";
import { tradeoffSpec } from "../../../stages/figures/specs/tradeoff.ts";
import { capacitySpec } from "../../../stages/figures/specs/capacity.ts";
import { designRows } from "../../../stages/design.ts";
import type { StatsRow } from "../../../stages/stats/stats_format.ts";
import { findAll, hasClass, parseXml, type XmlElement } from "./_xml.ts";
import { snapshot } from "../_snapshot.ts";
import { CONFIGS, context, EPOCHS, N, STYLE, SWEEPS, writeInputs } from "./_render_fixture.ts";

const LAM1 = CONFIGS["lam1"]!;
const REPLICATES = { seeds: 3, draws: 2 };

/** Runs every render stage once into a fresh temp dir; returns the folders. */
async function renderAll(): Promise<{ root: string; inputs: Record<string, string>; out: string }> {
  const root = await Deno.makeTempDir({ prefix: "psinv_render_" });
  globalThis.addEventListener("unload", () => Deno.removeSync(root, { recursive: true }));
  const inputs = await writeInputs(join(root, "in"));
  const out = join(root, "out");
  await Deno.mkdir(join(out, "lam1"), { recursive: true });
  await renderData(context({ style: STYLE }, { data: inputs.data }, out));
  await renderConfig(context({ config: LAM1, style: STYLE }, inputs, join(out, "lam1")));
  await renderTradeoff(context({ configs: CONFIGS, style: STYLE }, inputs, out));
  await renderBands(
    context({ configs: CONFIGS, replicates: REPLICATES, style: STYLE }, inputs, out),
  );
  await renderGrid(context({ sweeps: SWEEPS, activation: "relu", style: STYLE }, inputs, out));
  return { root, inputs, out };
}

const rendered = renderAll();

async function svgOf(file: string): Promise<{ text: string; tree: XmlElement }> {
  const text = await Deno.readTextFile(join((await rendered).out, file));
  return { text, tree: parseXml(text) };
}

/** The `<g>` groups of marks of one kind (`symbol`, `line`, `rect`) drawn for the data. */
function markGroups(tree: XmlElement, kind: string): XmlElement[] {
  return findAll(tree, (e) => hasClass(e, `mark-${kind}`) && hasClass(e, "role-mark"));
}

function paths(groups: readonly XmlElement[]): XmlElement[] {
  return groups.flatMap((g) => g.children.filter((c) => c.name === "path"));
}

function texts(tree: XmlElement): string[] {
  return findAll(tree, (e) => e.name === "text").map((e) => e.text);
}

Deno.test("render-data draws every point and the noiseless curve", async () => {
  const { tree } = await svgOf("data.svg");
  assert.equal(tree.name, "svg");
  assert.equal(paths(markGroups(tree, "symbol")).length, N);
  assert.equal(paths(markGroups(tree, "line")).length, 1);
  assert.ok(texts(tree).includes(`Point cloud (n = ${N})`));
});

Deno.test("fit.svg has two panels, each with every point and one curve", async () => {
  const { tree } = await svgOf("lam1/fit.svg");
  const symbols = markGroups(tree, "symbol");
  const lines = markGroups(tree, "line");
  assert.equal(symbols.length, 2);
  assert.deepEqual(symbols.map((g) => paths([g]).length), [N, N]);
  assert.equal(lines.length, 2);
  assert.deepEqual(lines.map((g) => paths([g]).length), [1, 1]);
  const axisTitles = findAll(tree, (e) => hasClass(e, "role-axis-title")).map((e) =>
    findAll(e, (t) => t.name === "text")[0]?.text
  );
  // The second panel swaps the axes: y along the bottom, x up the side.
  assert.deepEqual(axisTitles, [
    "x (standardised)",
    "y (standardised)",
    "y (standardised)",
    "x (standardised)",
  ]);
});

Deno.test("inversion.svg draws both compositions, the dashed identity and the off-data bands", async () => {
  const { tree } = await svgOf("lam1/inversion.svg");
  const lines = paths(markGroups(tree, "line"));
  const dashed = lines.filter((p) => p.attrs["stroke-dasharray"] === "6,4");
  assert.equal(dashed.length, 1, "one dashed identity line");
  assert.equal(dashed[0]?.attrs["stroke"], STYLE.colors.identity);
  const strokes = new Set(lines.map((p) => p.attrs["stroke"]));
  assert.ok(strokes.has(STYLE.colors.f) && strokes.has(STYLE.colors.g), "blue and red curves");
  const bands = paths(markGroups(tree, "rect")).filter((p) =>
    p.attrs["fill"] === STYLE.colors.margin
  );
  assert.equal(bands.length, 2, "a band on each side");
  // Each curve has a margin piece on each side, drawn paler.
  const pale = lines.filter((p) => p.attrs["opacity"] === "0.45");
  assert.equal(pale.length, 4);
  const legend = texts(tree).filter((t) => t !== "");
  assert.ok(legend.includes("identity") && legend.includes("input off the data"));
});

Deno.test("with no off-data margin the inversion figure shades nothing and says nothing of it", async () => {
  const { inputs } = await rendered;
  const inside = <T extends { region: string }>(rows: T[]): T[] =>
    rows.filter((r) => r.region === "data");
  const fCurve = inside(await readFCurve(inputs["evaluation"]!));
  const gCurve = inside(await readGCurve(inputs["evaluation"]!));
  const tree = parseXml(
    await renderSvg(inversionSpec({ fCurve, gCurve, config: LAM1, style: STYLE })),
  );
  const fills = paths(markGroups(tree, "rect")).map((p) => p.attrs["fill"]);
  assert.ok(!fills.includes(STYLE.colors.margin));
  assert.ok(!texts(tree).includes("input off the data"));
  assert.equal(
    paths(markGroups(tree, "line")).filter((p) => p.attrs["opacity"] === "0.45").length,
    0,
  );
});

Deno.test("loss.svg draws the total and four terms against epochs on a log axis", async () => {
  const { tree } = await svgOf("lam1/loss.svg");
  const lines = paths(markGroups(tree, "line"));
  assert.equal(lines.length, 5);
  assert.equal(new Set(lines.map((p) => p.attrs["stroke"])).size, 5, "five colours");
  const yAxis = findAll(tree, (e) => (e.attrs["aria-label"] ?? "").startsWith("Y-axis"));
  assert.match(yAxis[0]?.attrs["aria-label"] ?? "", /for a log scale/);
  const [first] = lines;
  // One vertex per epoch: a move then EPOCHS − 1 line segments.
  assert.equal((first?.attrs["d"] ?? "").split("L").length, EPOCHS);
});

Deno.test("tradeoff.svg: a point per configuration and cell, crosshairs, labels for configurations only, the Pareto front", async () => {
  const { tree } = await svgOf("tradeoff.svg");
  const cells = SWEEPS["grid"]!.lambda.length * SWEEPS["grid"]!.mu!.length;
  const configs = Object.keys(CONFIGS).length;
  assert.equal(paths(markGroups(tree, "symbol")).length, configs + cells);
  // Two whiskers (x and y) per point.
  const whiskers = markGroups(tree, "rule").flatMap((g) => g.children);
  assert.equal(whiskers.length, 2 * (configs + cells));
  const labels = findAll(tree, (e) => hasClass(e, "mark-text") && hasClass(e, "role-mark"))
    .flatMap((g) => g.children.map((t) => t.text));
  assert.deepEqual(labels.sort(), ["λ = μ = 0", "λ = μ = 0.1", "λ = μ = 1"]);
  assert.equal(paths(markGroups(tree, "line")).length, 1, "one line: the Pareto front");
  const axes = findAll(tree, (e) => /^[XY]-axis/.test(e.attrs["aria-label"] ?? ""));
  assert.equal(axes.length, 2);
  for (const axis of axes) assert.match(axis.attrs["aria-label"] ?? "", /for a log scale/);
  assert.ok(texts(tree).includes("ReLU") && texts(tree).includes("SiLU"), "legend by activation");
});

Deno.test("tradeoff.svg draws no labels when there are more configurations than MAX_LABELS", async () => {
  const { inputs } = await rendered;
  const stats = await readStats(inputs["stats"]!);
  const many = Array.from({ length: 13 }, (_, i) => `c${i}`);
  const renamed = stats.flatMap((s) =>
    s.id === "lam1" ? many.map((id, i) => ({ ...s, id, mean: s.mean * (1 + i / 10) })) : [s]
  );
  const svg = parseXml(
    await renderSvg(tradeoffSpec({ stats: renamed, configs: [...many, "lam0p1"], style: STYLE })),
  );
  const labels = findAll(svg, (e) => hasClass(e, "mark-text") && hasClass(e, "role-mark"));
  assert.equal(labels.length, 0);
});

Deno.test("tradeoff.svg marks the median run of each row where some runs flipped, and only there", async () => {
  const { inputs } = await rendered;
  const stats = await readStats(inputs["stats"]!);
  const count = (rows: typeof stats) =>
    renderSvg(tradeoffSpec({ stats: rows, configs: Object.keys(CONFIGS), style: STYLE })).then(
      (svg) => paths(markGroups(parseXml(svg), "symbol")).length,
    );
  const none = await count(stats.map((s) => ({ ...s, flipped: 0 })));
  const flipped = stats.map((s) =>
    s.id === "lam1" ? { ...s, flipped: 0.2, median: s.median / 3 } : { ...s, flipped: 0 }
  );
  assert.equal(await count(flipped), none + 1, "one cross: lam1's median run");
});

Deno.test("heatmap svg: mean beside median for each error, one cell per λ × μ, a log legend per row", async () => {
  const { tree } = await svgOf("heatmap-grid-relu.svg");
  const cells = SWEEPS["grid"]!.lambda.length * SWEEPS["grid"]!.mu!.length;
  const rects = findAll(tree, (e) => hasClass(e, "mark-rect") && hasClass(e, "role-mark"))
    .flatMap((g) => g.children.filter((c) => c.name === "path"));
  assert.equal(rects.length, 4 * cells);
  const values = findAll(tree, (e) => hasClass(e, "mark-text") && hasClass(e, "role-mark"))
    .flatMap((g) => g.children);
  assert.equal(values.length, 4 * cells, "each cell's value is written in it");
  for (const error of ["fit error", "inversion error"]) {
    for (const statistic of ["mean", "median"]) {
      assert.ok(texts(tree).includes(`${error}, ${statistic} over replicates`), error + statistic);
    }
  }
  // Mean and median of one error share a colour scale, so one legend serves the row.
  const legends = findAll(tree, (e) => hasClass(e, "role-legend"));
  assert.equal(legends.length, 2);
  assert.ok(texts(tree).includes("fit error") && texts(tree).includes("inversion error"));
});

Deno.test("loss_bands.svg: a panel per configuration, each with three bands, three mean and three median lines", async () => {
  const { tree } = await svgOf("loss_bands.svg");
  const configs = Object.keys(CONFIGS).length;
  assert.equal(paths(markGroups(tree, "area")).length, 3 * configs);
  const lines = paths(markGroups(tree, "line"));
  assert.equal(lines.length, 6 * configs);
  assert.equal(lines.filter((l) => l.attrs["stroke-dasharray"] !== undefined).length, 3 * configs);
  assert.ok(texts(tree).some((t) => t.startsWith("λ = μ = 1, ReLU")), "panel titled by config");
});

Deno.test("every figure's title names its configuration and its size comes from style", async () => {
  for (const file of ["loss", "fit", "inversion"]) {
    const { tree } = await svgOf(`lam1/${file}.svg`);
    assert.ok(
      texts(tree).some((t) => t.endsWith("— λ = μ = 1, ReLU")),
      `${file}.svg title names the configuration`,
    );
    // Each panel's frame is a rectangle of the style's size, drawn over the plot.
    const frames = paths(markGroups(tree, "rect")).filter((p) => p.attrs["stroke"] === FRAME)
      .map((p) => p.attrs["d"]);
    assert.ok(
      frames.includes(`M0,0h${STYLE.width}v${STYLE.height}h-${STYLE.width}Z`),
      `${file}.svg has a ${STYLE.width}×${STYLE.height} panel`,
    );
  }
});

Deno.test("SVGs are self-contained: no scripts, links, images or web fonts", async () => {
  for (
    const file of [
      "data.svg",
      "tradeoff.svg",
      "heatmap-grid-relu.svg",
      "loss_bands.svg",
      "lam1/loss.svg",
      "lam1/fit.svg",
      "lam1/inversion.svg",
    ]
  ) {
    const { text, tree } = await svgOf(file);
    const banned = findAll(
      tree,
      (e) => ["script", "image", "a", "foreignObject", "style"].includes(e.name),
    );
    assert.deepEqual(banned.map((e) => e.name), [], file);
    const linked = findAll(tree, (e) => Object.keys(e.attrs).some((a) => a.endsWith("href")));
    assert.equal(linked.length, 0, `${file} has href attributes`);
    const urls = [...text.matchAll(/url\(([^)]*)\)/g)].map((m) => m[1] ?? "");
    assert.ok(urls.every((u) => u.startsWith("#")), `${file} refers only to its own ids`);
    assert.ok(!text.includes("@font-face") && !text.includes("@import"), file);
  }
});

Deno.test("rerunning the render stages writes byte-identical files, whatever ran before", async () => {
  const first = await rendered;
  // A second run in another order: Vega's id counters would differ if not reset.
  const root = await Deno.makeTempDir({ prefix: "psinv_render_again_" });
  await Deno.mkdir(join(root, "lam1"));
  await renderGrid(
    context({ sweeps: SWEEPS, activation: "relu", style: STYLE }, first.inputs, root),
  );
  await renderTradeoff(context({ configs: CONFIGS, style: STYLE }, first.inputs, root));
  await renderBands(
    context({ configs: CONFIGS, replicates: REPLICATES, style: STYLE }, first.inputs, root),
  );
  await renderConfig(context({ config: LAM1, style: STYLE }, first.inputs, join(root, "lam1")));
  await renderData(context({ style: STYLE }, { data: first.inputs["data"]! }, root));
  for (
    const file of [
      "data.svg",
      "tradeoff.svg",
      "heatmap-grid-relu.svg",
      "loss_bands.svg",
      "lam1/loss.svg",
      "lam1/fit.svg",
      "lam1/inversion.svg",
    ]
  ) {
    const a = await Deno.readFile(join(first.out, file));
    const b = await Deno.readFile(join(root, file));
    assert.deepEqual(b, a, `${file} differs between runs`);
  }
  await Deno.remove(root, { recursive: true });
});

Deno.test("a malformed input fails with input-malformed naming the file and the line", () => {
  assert.throws(
    () => parseTable("x,z\n1,2\n", ["x", "y"], "points.csv"),
    (e: unknown) =>
      e instanceof StageError && e.code === "input-malformed" &&
      e.message === 'Cannot read "points.csv": header is "x,z", expected "x,y"',
  );
  assert.throws(
    () => parseTable("x,y\n1,2\n3,oops\n", ["x", "y"], "points.csv"),
    (e: unknown) => e instanceof StageError && /line 3, column "y": "oops"/.test(e.message),
  );
});

// Snapshots: the Vega-Lite specs (inputs to the renderer) and the normalised SVGs (its output).

Deno.test("figure specs and SVGs match the snapshots in test/testdata/render", async (t) => {
  const { inputs, out } = await rendered;
  const points = await readXY(inputs["data"]!, "points.csv");
  const curve = await readXY(inputs["data"]!, "curve.csv");
  const history = await readHistory(inputs["model"]!);
  const fCurve = await readFCurve(inputs["evaluation"]!);
  const gCurve = await readGCurve(inputs["evaluation"]!);
  const stats = await readStats(inputs["stats"]!);
  const bands = await readBands(inputs["bands"]!);
  const specs = {
    data: dataSpec({ points, curve, style: STYLE }),
    loss: lossSpec({ history, config: LAM1, style: STYLE }),
    fit: fitSpec({ points, fCurve, gCurve, config: LAM1, style: STYLE }),
    inversion: inversionSpec({ fCurve, gCurve, config: LAM1, style: STYLE }),
    tradeoff: tradeoffSpec({ stats, configs: Object.keys(CONFIGS), style: STYLE }),
    heatmap: heatmapSpec({ stats, sweep: "grid", activation: "relu", style: STYLE }),
    loss_bands: lossBandsSpec({
      bands,
      configs: CONFIGS,
      replicates: "3 seeds × 2 data draws",
      style: STYLE,
    }),
  };
  const svgFile: Record<keyof typeof specs, string> = {
    data: "data.svg",
    loss: "lam1/loss.svg",
    fit: "lam1/fit.svg",
    inversion: "lam1/inversion.svg",
    tradeoff: "tradeoff.svg",
    heatmap: "heatmap-grid-relu.svg",
    loss_bands: "loss_bands.svg",
  };
  for (const [name, spec] of Object.entries(specs) as [keyof typeof specs, unknown][]) {
    await t.step(
      `${name}.vl.json.snap`,
      () => snapshot("render", `${name}.vl.json.snap`, `${JSON.stringify(spec, null, 2)}\n`),
    );
    await t.step(
      `${name}.svg.snap`,
      async () =>
        snapshot("render", `${name}.svg.snap`, await Deno.readTextFile(join(out, svgFile[name]))),
    );
  }
});

/** A capacity sweep of three networks × two activations × two weights, with made-up stats. */
function capacityFigure() {
  const cells = designRows({
    configs: {},
    replicates: { seeds: 1, draws: 1 },
    sweeps: {
      capacity: {
        layers: [[10, 10], [30, 30], [100, 100]],
        lambda: [0, 1],
        activation: ["relu", "tanh"],
      },
    },
    layers: [30, 30],
    activation: "relu",
  });
  const stats: StatsRow[] = cells.flatMap((c, i) =>
    (["fit", "inv"] as const).map((metric) => {
      const mean = (metric === "fit" ? 0.2 : 0.01) / (1 + i % 3) * (1 + c.lambda);
      return {
        id: c.id,
        lambda: c.lambda,
        mu: c.mu,
        activation: c.activation,
        metric,
        n: 3,
        mean,
        median: mean,
        std: mean / 10,
        ci_low: mean * 0.8,
        ci_high: mean * 1.25,
        flipped: 0,
        flipped_ci_low: 0,
        flipped_ci_high: 0.7076,
      };
    })
  );
  return { cells, spec: capacitySpec({ sweep: "capacity", cells, stats, style: STYLE }) };
}

Deno.test("capacity svg: two panels, a point per cell, a line per activation and weights", async () => {
  const { cells, spec } = capacityFigure();
  const tree = parseXml(await renderSvg(spec));
  const circles = findAll(tree, (e) => hasClass(e, "mark-symbol") && hasClass(e, "role-mark"))
    .flatMap((g) => g.children.filter((c) => c.name === "path"));
  assert.equal(circles.length, 2 * cells.length);
  const lines = findAll(tree, (e) => hasClass(e, "mark-line") && hasClass(e, "role-mark"))
    .flatMap((g) => g.children.filter((c) => c.name === "path"));
  assert.equal(lines.length, 2 * 2 * 2, "per panel: 2 activations × 2 weights");
  assert.ok(texts(tree).some((t) => t.includes("[100, 100] 10401")), "parameter counts shown");
});

Deno.test("capacity spec and SVG match the snapshots in test/testdata/render", async (t) => {
  const { spec } = capacityFigure();
  await t.step(
    "capacity.vl.json.snap",
    () => snapshot("render", "capacity.vl.json.snap", `${JSON.stringify(spec, null, 2)}\n`),
  );
  await t.step(
    "capacity.svg.snap",
    async () => snapshot("render", "capacity.svg.snap", await renderSvg(spec)),
  );
});
