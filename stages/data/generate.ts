/**
 * The `generate` stage: the point cloud of the post's post-nonlinear model y = h1(h2(x) + ε),
 * with h1, h2 random cubic splines, x standard normal and ε Gaussian, standardised so that one
 * learning rate suits every draw.
 *
 * @module
 */
import { join } from "node:path";
import type { StageContext } from "../../pipeline/core/stage.ts";
import { formatCsv } from "./csv.ts";
import { POINT_COLUMNS } from "./points_format.ts";
import type { DataParams } from "../params_schema.ts";
import { createRng } from "./random.ts";
import { evaluateSpline, randomSpline, type Spline } from "./spline.ts";

/** The parameters `generate/d<draw>` reads (see stages/pipeline.ts). */
export interface GenerateParams {
  readonly data: DataParams;
  /**
   * Which data draw: 0 is `data.seed` itself, the others seeds derived from it; 0 when absent (a
   * caller that draws once).
   */
  readonly draw?: number;
}

/**
 * The seed of data draw `draw`: `seed` itself for draw 0 (the post's data), else 32 bits drawn
 * from a stream named for the draw, so draws are unrelated to each other and to nearby seeds.
 *
 * @example
 * ```ts
 * import { drawSeed } from "./generate.ts";
 * drawSeed(20240527, 0); // 20240527
 * drawSeed(20240527, 1) === drawSeed(20240527, 1); // true
 * ```
 */
export function drawSeed(seed: number, draw: number): number {
  if (draw === 0) return seed;
  return Math.floor(createRng(seed, `draw/${draw}`).uniform() * 0x100000000);
}

/** Mean and (population) standard deviation used to standardise one coordinate. */
export interface Standardisation {
  readonly mean: number;
  readonly std: number;
}

/** Everything drawn by {@linkcode generateData}, in standardised coordinates. */
export interface GeneratedData {
  readonly x: number[];
  readonly y: number[];
  /** The noiseless curve y = h1(h2(x)) on an even grid over the data x-range. */
  readonly curve: { readonly x: number[]; readonly y: number[] };
  /** Contents of `spline.json`. */
  readonly spline: SplineRecord;
}

/** What `spline.json` records: how to redraw the curve in raw and standardised units. */
export interface SplineRecord {
  readonly monotone: boolean;
  /** The inner spline, applied to raw x. */
  readonly h2: Spline;
  /** The outer spline, applied to h2(x) + ε. */
  readonly h1: Spline;
  /** Standard deviation of ε in raw units (noise × std of h2(x)). */
  readonly noiseStd: number;
  /** Raw = mean + std × standardised. */
  readonly standardisation: { readonly x: Standardisation; readonly y: Standardisation };
}

/** Fraction of the data range added on each side of the spline knots' span. */
const WIDEN = 0.05;

function meanStd(v: readonly number[]): Standardisation {
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length;
  return { mean, std: Math.sqrt(variance) };
}

function extent(v: readonly number[]): { lo: number; hi: number } {
  // A loop, not Math.min(...v): spreading a large array overflows the call stack.
  let lo = Infinity;
  let hi = -Infinity;
  for (const a of v) {
    if (a < lo) lo = a;
    if (a > hi) hi = a;
  }
  return { lo, hi };
}

function widened(v: readonly number[]): { from: number; to: number } {
  const { lo, hi } = extent(v);
  const pad = WIDEN * (hi - lo || 1);
  return { from: lo - pad, to: hi + pad };
}

/**
 * Draws the data for the given parameters; a pure function of them.
 *
 * @example
 * ```ts
 * import { generateData } from "./generate.ts";
 * const d = generateData({ n: 50, knots: 5, noise: 0.1, seed: 1, monotone: true, curvePoints: 10 });
 * d.x.length; // 50
 * ```
 */
export function generateData(p: DataParams): GeneratedData {
  // Separate streams: changing n does not change the splines, and vice versa.
  const xRng = createRng(p.seed, "x");
  const noiseRng = createRng(p.seed, "noise");
  const splineRng = createRng(p.seed, "splines");

  const rawX = Array.from({ length: p.n }, () => xRng.normal());
  const h2 = randomSpline(splineRng, { knots: p.knots, monotone: p.monotone, ...widened(rawX) });
  const inner = rawX.map((x) => evaluateSpline(h2, x));
  const noiseStd = p.noise * meanStd(inner).std;
  const noisy = inner.map((z) => z + noiseStd * noiseRng.normal());
  // h1's knots cover both the noisy inputs and the noiseless ones of the curve.
  const h1 = randomSpline(splineRng, {
    knots: p.knots,
    monotone: p.monotone,
    ...widened([...noisy, ...inner]),
  });
  const rawY = noisy.map((u) => evaluateSpline(h1, u));

  const sx = meanStd(rawX);
  const sy = meanStd(rawY);
  const { lo, hi } = extent(rawX);
  const gridX = Array.from(
    { length: p.curvePoints },
    (_, i) => i === p.curvePoints - 1 ? hi : lo + (hi - lo) * i / (p.curvePoints - 1),
  );
  const gridY = gridX.map((x) => evaluateSpline(h1, evaluateSpline(h2, x)));
  const zx = (x: number) => (x - sx.mean) / sx.std;
  const zy = (y: number) => (y - sy.mean) / sy.std;
  return {
    x: rawX.map(zx),
    y: rawY.map(zy),
    curve: { x: gridX.map(zx), y: gridY.map(zy) },
    spline: { monotone: p.monotone, h2, h1, noiseStd, standardisation: { x: sx, y: sy } },
  };
}

/** Writes `points.csv`, `curve.csv` and `spline.json` for `params.data` and the draw. */
export async function run(ctx: StageContext<GenerateParams>): Promise<void> {
  const { data, draw = 0 } = ctx.params;
  const d = generateData({ ...data, seed: drawSeed(data.seed, draw) });
  await Deno.writeTextFile(
    join(ctx.outDir, "points.csv"),
    formatCsv(POINT_COLUMNS, d.x.map((x, i) => [x, d.y[i]!])),
  );
  await Deno.writeTextFile(
    join(ctx.outDir, "curve.csv"),
    formatCsv(POINT_COLUMNS, d.curve.x.map((x, i) => [x, d.curve.y[i]!])),
  );
  await Deno.writeTextFile(
    join(ctx.outDir, "spline.json"),
    JSON.stringify(d.spline, null, 2) + "\n",
  );
}
