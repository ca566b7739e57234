/**
 * The `evaluate/<config>` stage: f, g and their compositions on the data and on grids that reach
 * past the data by a margin (where the post notes invertibility is not enforced), and the fit and
 * inversion errors, all in standardised units. Networks are evaluated in float64 JavaScript
 * (see architecture.ts), so no tfjs backend is involved.
 *
 * @module
 */
import { join } from "node:path";
import type { StageContext } from "../../pipeline/core/stage.ts";
import { formatCsv, readNumericCsv } from "../data/csv.ts";
import { POINT_COLUMNS } from "../data/points_format.ts";
import type { EvaluationParams } from "../params_schema.ts";
import {
  type EvaluationMetrics,
  F_CURVE_COLUMNS,
  G_CURVE_COLUMNS,
  INV_DATA_COLUMNS,
  type Region,
} from "./evaluation_format.ts";
import { applyNetwork } from "./architecture.ts";
import { parseWeights, type WeightsFile } from "./weights.ts";

/** The parameters `evaluate/<config>` reads (see stages/pipeline.ts). */
export interface EvaluateParams {
  readonly evaluation: EvaluationParams;
}

/** One network and its would-be inverse, evaluated on an even grid over a data range ± margin. */
export interface CurveGrid {
  readonly t: number[];
  /** h(t), where h is f for the x-grid and g for the y-grid. */
  readonly h: number[];
  /** The other network applied to h(t): should come back to t. */
  readonly back: number[];
  readonly region: Region[];
}

/** Everything {@linkcode evaluateModel} computes. */
export interface Evaluation {
  readonly fCurve: CurveGrid;
  readonly gCurve: CurveGrid;
  /** Per data point: f(x), g(y), g(f(x)), f(g(y)). */
  readonly onData: { fx: number[]; gy: number[]; gfx: number[]; fgy: number[] };
  readonly metrics: EvaluationMetrics;
}

function mse(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return s / a.length;
}

function extent(v: readonly number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const a of v) {
    if (a < lo) lo = a;
    if (a > hi) hi = a;
  }
  return [lo, hi];
}

function curve(
  data: readonly number[],
  o: EvaluationParams,
  h: (v: number[]) => number[],
  back: (v: number[]) => number[],
): CurveGrid {
  const [lo, hi] = extent(data);
  const a = lo - o.margin;
  const b = hi + o.margin;
  const n = o.gridPoints;
  const t = Array.from({ length: n }, (_, i) => (i === n - 1 ? b : a + (b - a) * i / (n - 1)));
  const ht = h(t);
  return {
    t,
    h: ht,
    back: back(ht),
    region: t.map((v) => (v < lo || v > hi ? "margin" : "data")),
  };
}

function marginMse(c: CurveGrid): number | null {
  const idx = c.region.flatMap((r, i) => (r === "margin" ? [i] : []));
  if (idx.length === 0) return null;
  return mse(idx.map((i) => c.t[i]!), idx.map((i) => c.back[i]!));
}

/** The least-squares straight line through points (t, h): its slope and its R². */
export interface LineFit {
  readonly slope: number;
  readonly r2: number;
}

/**
 * The least-squares line through the points (t, h). R² is 1 − (residual sum of squares) / (total
 * sum of squares of h): 1 when h is constant, since a constant is a straight line.
 *
 * @example
 * ```ts
 * import { lineFit } from "./evaluate.ts";
 * lineFit([0, 1, 2], [1, 3, 5]); // { slope: 2, r2: 1 }
 * lineFit([-1, 0, 1], [1, 0, 1]); // { slope: 0, r2: 0 }
 * ```
 */
export function lineFit(t: readonly number[], h: readonly number[]): LineFit {
  const n = t.length;
  let mt = 0, mh = 0;
  for (let i = 0; i < n; i++) {
    mt += t[i]!;
    mh += h[i]!;
  }
  mt /= n;
  mh /= n;
  let stt = 0, sth = 0, shh = 0;
  for (let i = 0; i < n; i++) {
    const dt = t[i]! - mt, dh = h[i]! - mh;
    stt += dt * dt;
    sth += dt * dh;
    shh += dh * dh;
  }
  const slope = stt === 0 ? 0 : sth / stt;
  if (shh === 0) return { slope, r2: 1 };
  if (stt === 0) return { slope, r2: 0 };
  // Residual sum of squares of the fitted line is shh − sth²/stt.
  return { slope, r2: Math.min(1, Math.max(0, (sth * sth) / (stt * shh))) };
}

function dataLine(c: CurveGrid): LineFit {
  const idx = c.region.flatMap((r, i) => (r === "data" ? [i] : []));
  return lineFit(idx.map((i) => c.t[i]!), idx.map((i) => c.h[i]!));
}

/**
 * Evaluates trained networks on the (standardised) data and on grids around it.
 *
 * @example
 * ```ts
 * import { evaluateModel } from "./evaluate.ts";
 * const id = [{ kernel: { shape: [1, 1] as const, values: [1] }, bias: { shape: [1] as const, values: [0] } }];
 * const w = { activation: "relu" as const, layers: [], f: id, g: id };
 * const e = evaluateModel(w, [0, 1], [0, 1], { gridPoints: 5, margin: 0.5 });
 * e.metrics.inv_mse_x; // 0
 * ```
 */
export function evaluateModel(
  w: WeightsFile,
  x: readonly number[],
  y: readonly number[],
  o: EvaluationParams,
): Evaluation {
  const f = (v: readonly number[]) => applyNetwork(w.f, w.activation, v);
  const g = (v: readonly number[]) => applyNetwork(w.g, w.activation, v);
  const fx = f(x);
  const gy = g(y);
  const gfx = g(fx);
  const fgy = f(gy);
  const fCurve = curve(x, o, f, g);
  const gCurve = curve(y, o, g, f);
  const fLine = dataLine(fCurve);
  const gLine = dataLine(gCurve);
  return {
    fCurve,
    gCurve,
    onData: { fx, gy, gfx, fgy },
    metrics: {
      fit_mse_f: mse(fx, y),
      fit_mse_g: mse(gy, x),
      inv_mse_x: mse(x, gfx),
      inv_mse_y: mse(y, fgy),
      inv_mse_x_margin: marginMse(fCurve),
      inv_mse_y_margin: marginMse(gCurve),
      lin_r2_f: fLine.r2,
      lin_r2_g: gLine.r2,
      lin_slope_f: fLine.slope,
      lin_slope_g: gLine.slope,
      flipped: Math.sign(fLine.slope) * Math.sign(lineFit(x, y).slope) < 0 ? 1 : 0,
      trend_slope_f: lineFit(x, fx).slope,
      trend_slope_data: lineFit(x, y).slope,
    },
  };
}

/** Writes `f_curve.csv`, `g_curve.csv`, `inv_data.csv` and `metrics.json`. */
export async function run(ctx: StageContext<EvaluateParams>): Promise<void> {
  const data = ctx.inputs["data"];
  const model = ctx.inputs["model"];
  if (data === undefined || model === undefined) {
    throw new Error('evaluate: missing input "data" or "model"');
  }
  const { x, y } = await readNumericCsv(join(data, "points.csv"), POINT_COLUMNS);
  const weightsPath = join(model, "weights.json");
  const w = parseWeights(await Deno.readTextFile(weightsPath), weightsPath);
  const e = evaluateModel(w, x, y, ctx.params.evaluation);
  const rows = (c: CurveGrid) => c.t.map((t, i) => [t, c.h[i]!, c.back[i]!, c.region[i]!]);
  await Deno.writeTextFile(
    join(ctx.outDir, "f_curve.csv"),
    formatCsv(F_CURVE_COLUMNS, rows(e.fCurve)),
  );
  await Deno.writeTextFile(
    join(ctx.outDir, "g_curve.csv"),
    formatCsv(G_CURVE_COLUMNS, rows(e.gCurve)),
  );
  const d = e.onData;
  await Deno.writeTextFile(
    join(ctx.outDir, "inv_data.csv"),
    formatCsv(
      INV_DATA_COLUMNS,
      x.map((xi, i) => [xi, y[i]!, d.fx[i]!, d.gy[i]!, d.gfx[i]!, d.fgy[i]!]),
    ),
  );
  await Deno.writeTextFile(
    join(ctx.outDir, "metrics.json"),
    JSON.stringify(e.metrics, null, 2) + "\n",
  );
}
