import assert from "node:assert/strict";
import { join } from "node:path";
import { formatCsv, parseCsv } from "../../../stages/data/csv.ts";
import { evaluateModel, lineFit, run } from "../../../stages/model/evaluate.ts";
import type { LayerValues, WeightsFile } from "../../../stages/model/weights.ts";

/** A width-1 ReLU network computing x ↦ slope·x + shift for x > −shift/slope… kept affine by an offset. */
function affine(slope: number, shift: number): LayerValues[] {
  // relu(x + 10) − 10 is x for x > −10: the grids here stay well inside.
  return [
    { kernel: { shape: [1, 1], values: [1] }, bias: { shape: [1], values: [10] } },
    { kernel: { shape: [1, 1], values: [1] }, bias: { shape: [1], values: [0] } },
    {
      kernel: { shape: [1, 1], values: [slope] },
      bias: { shape: [1], values: [shift - 10 * slope] },
    },
  ];
}

const weights: WeightsFile = {
  activation: "relu",
  layers: [1, 1],
  f: affine(2, 0),
  g: affine(0.5, 0),
};
const x = [-1, 0, 0.5, 1];
const y = [-2, 0.5, 1, 2];

Deno.test("evaluateModel() computes fit and inversion errors on the data", () => {
  const m = evaluateModel(weights, x, y, { gridPoints: 9, margin: 0.5 }).metrics;
  // f(x) = 2x = [−2, 0, 1, 2] vs y: only the second point is off, by 0.5.
  assert.equal(m.fit_mse_f, 0.25 / 4);
  // g(y) = y/2 = [−1, 0.25, 0.5, 1] vs x: second point off by 0.25.
  assert.equal(m.fit_mse_g, 0.0625 / 4);
  assert.equal(m.inv_mse_x, 0);
  assert.equal(m.inv_mse_y, 0);
  assert.equal(m.inv_mse_x_margin, 0);
});

Deno.test("evaluateModel() labels grid points outside the data range as margin", () => {
  const e = evaluateModel(weights, x, y, { gridPoints: 9, margin: 0.5 });
  // x-grid: −1.5 … 1.5 in steps of 0.375.
  assert.equal(e.fCurve.t[0], -1.5);
  assert.equal(e.fCurve.t.at(-1), 1.5);
  e.fCurve.t.forEach((t, i) => {
    assert.equal(e.fCurve.region[i], t < -1 || t > 1 ? "margin" : "data", `t = ${t}`);
  });
  assert.equal(e.gCurve.t[0], -2.5);
  assert.equal(e.gCurve.t.at(-1), 2.5);
});

Deno.test("evaluateModel() with margin 0 has no margin points and null margin metrics", () => {
  const e = evaluateModel(weights, x, y, { gridPoints: 5, margin: 0 });
  assert.ok(e.fCurve.region.every((r) => r === "data"));
  assert.equal(e.metrics.inv_mse_x_margin, null);
  assert.equal(e.metrics.inv_mse_y_margin, null);
});

Deno.test("evaluate writes the declared files and columns", async () => {
  const data = await Deno.makeTempDir();
  const model = await Deno.makeTempDir();
  const outDir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      join(data, "points.csv"),
      formatCsv(["x", "y"], x.map((v, i) => [v, y[i]!])),
    );
    await Deno.writeTextFile(join(model, "weights.json"), JSON.stringify(weights));
    await run({
      params: { evaluation: { gridPoints: 9, margin: 0.5 } },
      inputs: { data, model },
      outDir,
      progress: () => {},
    });
    const table = async (f: string) => parseCsv(await Deno.readTextFile(join(outDir, f)), f);
    const fc = await table("f_curve.csv");
    assert.deepEqual(fc.columns, ["x", "f", "g_of_f", "region"]);
    assert.equal(fc.rows.length, 9);
    assert.deepEqual(fc.rows.map((r) => r[3]), [
      "margin",
      "margin",
      "data",
      "data",
      "data",
      "data",
      "data",
      "margin",
      "margin",
    ]);
    assert.deepEqual((await table("g_curve.csv")).columns, ["y", "g", "f_of_g", "region"]);
    const inv = await table("inv_data.csv");
    assert.deepEqual(inv.columns, ["x", "y", "f_x", "g_y", "g_of_f_x", "f_of_g_y"]);
    assert.equal(inv.rows.length, x.length);
    const metrics = JSON.parse(await Deno.readTextFile(join(outDir, "metrics.json")));
    assert.deepEqual(Object.keys(metrics), [
      "fit_mse_f",
      "fit_mse_g",
      "inv_mse_x",
      "inv_mse_y",
      "inv_mse_x_margin",
      "inv_mse_y_margin",
      "lin_r2_f",
      "lin_r2_g",
      "lin_slope_f",
      "lin_slope_g",
      "flipped",
      "trend_slope_f",
      "trend_slope_data",
    ]);
  } finally {
    for (const d of [data, model, outDir]) await Deno.remove(d, { recursive: true });
  }
});

Deno.test("lineFit() gives R² 1 on a line, 0 on a symmetric bend, between for a curve, and the slope", () => {
  const t = Array.from({ length: 21 }, (_, i) => -1 + i / 10);
  const line = lineFit(t, t.map((v) => 3 - 2 * v));
  assert.equal(line.r2, 1);
  assert.ok(Math.abs(line.slope + 2) < 1e-12, `slope of 3 − 2t: ${line.slope}`);
  assert.ok(Math.abs(lineFit(t, t.map((v) => v * v)).r2) < 1e-12);
  const tanh = lineFit(t, t.map((v) => Math.tanh(2 * v))).r2;
  assert.ok(tanh > 0.8 && tanh < 0.99, `R² of tanh(2t) on [-1, 1]: ${tanh}`);
  assert.deepEqual(
    lineFit(t, t.map(() => 5)),
    { slope: 0, r2: 1 },
    "a constant is a straight line",
  );
});

Deno.test("evaluateModel() flags a pair that inverts each other against the data's orientation", () => {
  const layer = (k: number) => ({
    kernel: { shape: [1, 1] as const, values: [k] },
    bias: { shape: [1] as const, values: [0] },
  });
  // f(t) = −t and g(t) = −t: perfect mutual inverses, decreasing, on increasing data.
  const neg = [layer(1), layer(1), layer(-1)];
  const negated = { activation: "silu" as const, layers: [1, 1], f: neg, g: neg };
  const x = [-1, 0, 1, 2], y = [-2, 0, 2, 4];
  assert.equal(evaluateModel(negated, x, y, { gridPoints: 41, margin: 0.5 }).metrics.flipped, 1);
  const pos = [layer(1), layer(1), layer(1)];
  const kept = { activation: "silu" as const, layers: [1, 1], f: pos, g: pos };
  const e = evaluateModel(kept, x, y, { gridPoints: 41, margin: 0.5 }).metrics;
  assert.equal(e.flipped, 0);
  assert.ok(e.lin_slope_f > 0 && e.lin_slope_g > 0);
  // The same decreasing pair on decreasing data has the right orientation.
  const down = evaluateModel(negated, x, y.map((v) => -v), { gridPoints: 41, margin: 0.5 });
  assert.equal(down.metrics.flipped, 0);
});

Deno.test("evaluateModel() measures linearity on the data's range only", () => {
  const layer = {
    kernel: { shape: [1, 1] as const, values: [1] },
    bias: { shape: [1] as const, values: [0] },
  };
  const relu = [layer, layer];
  const w = { activation: "relu" as const, layers: [1], f: relu, g: relu };
  // f(t) = max(t, 0) bends at 0, which lies in the margin when the data are all positive.
  const e = evaluateModel(w, [0.5, 1, 2], [0.5, 1, 2], { gridPoints: 41, margin: 1 });
  assert.equal(e.metrics.lin_r2_f, 1);
  const wide = evaluateModel(w, [-1, 0, 2], [-1, 0, 2], { gridPoints: 41, margin: 1 });
  assert.ok(wide.metrics.lin_r2_f < 1);
});
