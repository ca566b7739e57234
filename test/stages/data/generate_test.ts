import assert from "node:assert/strict";
import { join } from "node:path";
import { drawSeed, generateData, run } from "../../../stages/data/generate.ts";
import type { DataParams } from "../../../stages/params_schema.ts";
import { evaluateSpline } from "../../../stages/data/spline.ts";

const data: DataParams = {
  n: 200,
  knots: 6,
  noise: 0.2,
  seed: 11,
  monotone: true,
  curvePoints: 50,
};

async function runInTemp(p: DataParams, draw = 0): Promise<Record<string, Uint8Array>> {
  const outDir = await Deno.makeTempDir();
  try {
    await run({ params: { data: p, draw }, inputs: {}, outDir, progress: () => {} });
    const files: Record<string, Uint8Array> = {};
    for (const f of ["points.csv", "curve.csv", "spline.json"]) {
      files[f] = await Deno.readFile(join(outDir, f));
    }
    return files;
  } finally {
    await Deno.remove(outDir, { recursive: true });
  }
}

Deno.test("generate writes byte-identical files on two runs", async () => {
  assert.deepEqual(await runInTemp(data), await runInTemp(data));
});

Deno.test("generate writes the declared headers and row counts", async () => {
  const files = await runInTemp(data);
  const text = (f: string) => new TextDecoder().decode(files[f]);
  const points = text("points.csv").trimEnd().split("\n");
  const curve = text("curve.csv").trimEnd().split("\n");
  assert.equal(points[0], "x,y");
  assert.equal(points.length, data.n + 1);
  assert.equal(curve[0], "x,y");
  assert.equal(curve.length, data.curvePoints + 1);
  const spline = JSON.parse(text("spline.json"));
  assert.equal(spline.monotone, true);
  assert.equal(spline.h1.xs.length, data.knots);
  assert.equal(spline.h2.xs.length, data.knots);
});

Deno.test("generateData() standardises x and y to mean 0 and standard deviation 1", () => {
  const d = generateData(data);
  for (const v of [d.x, d.y]) {
    const mean = v.reduce((a, b) => a + b) / v.length;
    const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
    assert.ok(Math.abs(mean) < 1e-12, `mean ${mean}`);
    assert.ok(Math.abs(sd - 1) < 1e-12, `sd ${sd}`);
  }
});

Deno.test("generateData() curve spans the data x-range and is increasing when monotone", () => {
  const d = generateData(data);
  assert.equal(d.curve.x[0], Math.min(...d.x));
  assert.equal(d.curve.x.at(-1), Math.max(...d.x));
  for (let i = 1; i < d.curve.y.length; i++) assert.ok(d.curve.y[i]! > d.curve.y[i - 1]!);
});

Deno.test("generateData() with noise 0 puts every point on y = h1(h2(x))", () => {
  const d = generateData({ ...data, noise: 0 });
  const { h1, h2, standardisation: s } = d.spline;
  assert.equal(d.spline.noiseStd, 0);
  d.x.forEach((x, i) => {
    const rawY = evaluateSpline(h1, evaluateSpline(h2, s.x.mean + s.x.std * x));
    assert.ok(Math.abs((rawY - s.y.mean) / s.y.std - d.y[i]!) < 1e-9, `point ${i}`);
  });
});

Deno.test("generateData() keeps the splines when only n changes", () => {
  const a = generateData(data).spline;
  const b = generateData({ ...data, n: 201 }).spline;
  assert.deepEqual(a.h2.ys, b.h2.ys);
});

Deno.test("generate: draw 0 is data.seed's draw; other draws are fresh data from derived seeds", async () => {
  const d0 = await runInTemp(data, 0);
  const d1 = await runInTemp(data, 1);
  const d2 = await runInTemp(data, 2);
  assert.deepEqual(d0, await runInTemp({ ...data, seed: data.seed }, 0));
  assert.notDeepEqual(d1["points.csv"], d0["points.csv"]);
  assert.notDeepEqual(d1["spline.json"], d2["spline.json"]);
  assert.deepEqual(d1, await runInTemp({ ...data, seed: drawSeed(data.seed, 1) }, 0));
  assert.equal(drawSeed(data.seed, 0), data.seed);
  assert.notEqual(drawSeed(data.seed, 1), drawSeed(data.seed + 1, 1));
});
