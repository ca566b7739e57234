/**
 * The fit figure of one configuration, two panels side by side: the (x, y) scatter with f's
 * curve, and the (y, x) scatter (axes swapped) with g's curve.
 *
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import type { LayerSpec } from "vega-lite/types_unstable/spec/layer.js";
import { configLabel, type ConfigLike } from "../captions.ts";
import type { XY } from "../../data/points_format.ts";
import type { FCurveRow, GCurveRow } from "../../model/evaluation_format.ts";
import type { StyleParams } from "../../params_schema.ts";
import { type Series, seriesColor } from "./legend.ts";
import { frameLayer, theme } from "./theme.ts";

/** What the fit figure is drawn from. */
export interface FitFigure {
  /** The standardised data points (`points.csv`). */
  readonly points: readonly XY[];
  /** f on a grid over the x-range and its margin (`f_curve.csv`). */
  readonly fCurve: readonly FCurveRow[];
  /** g on a grid over the y-range and its margin (`g_curve.csv`). */
  readonly gCurve: readonly GCurveRow[];
  readonly config: ConfigLike;
  readonly style: StyleParams;
}

/** One panel: a scatter of (a, b) and a curve (a, fitted b). */
function panel(
  title: string,
  axes: { a: string; b: string },
  scatter: { a: number; b: number }[],
  curve: { a: number; b: number }[],
  names: { points: string; curve: string },
  series: readonly Series[],
  style: StyleParams,
): LayerSpec<string> {
  const color = seriesColor(series, style.lineWidth, "series");
  const a = { field: "a", type: "quantitative", title: axes.a } as const;
  const b = { field: "b", type: "quantitative", title: axes.b } as const;
  return {
    title: { text: title, fontSize: style.fontSize + 1 },
    width: style.width,
    height: style.height,
    layer: [
      {
        data: { values: scatter.map((p) => ({ ...p, series: names.points })) },
        mark: { type: "circle", aria: false },
        encoding: { x: a, y: b, color },
      },
      {
        data: { values: curve.map((p) => ({ ...p, series: names.curve })) },
        mark: { type: "line", aria: false },
        encoding: { x: a, y: b, color, order: { field: "a", type: "quantitative" } },
      },
      frameLayer(),
    ],
  };
}

/**
 * The Vega-Lite spec of the fit figure.
 *
 * @example
 * ```ts
 * import { fitSpec } from "./fit.ts";
 * import params from "../../../params.json" with { type: "json" };
 * const spec = fitSpec({
 *   points: [{ x: 0, y: 1 }],
 *   fCurve: [{ x: 0, f: 1, g_of_f: 0, region: "data" }],
 *   gCurve: [{ y: 1, g: 0, f_of_g: 1, region: "data" }],
 *   config: { lambda: 0, mu: 0, activation: "silu" },
 *   style: params.style,
 * });
 * spec.title; // "Fits — λ = μ = 0, SiLU"
 * ```
 */
export function fitSpec({ points, fCurve, gCurve, config, style }: FitFigure): TopLevelSpec {
  const series: Series[] = [
    { name: "data", color: style.colors.points, kind: "point" },
    { name: "f(x)", color: style.colors.f, kind: "line" },
    { name: "g(y)", color: style.colors.g, kind: "line" },
  ];
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: `Fits — ${configLabel(config)}`,
    config: theme(style),
    resolve: { scale: { color: "shared" } },
    hconcat: [
      panel(
        "f fitted to the (x, y) scatter",
        { a: "x (standardised)", b: "y (standardised)" },
        points.map((p) => ({ a: p.x, b: p.y })),
        fCurve.map((r) => ({ a: r.x, b: r.f })),
        { points: "data", curve: "f(x)" },
        series,
        style,
      ),
      panel(
        "g fitted to the (y, x) scatter",
        { a: "y (standardised)", b: "x (standardised)" },
        points.map((p) => ({ a: p.y, b: p.x })),
        gCurve.map((r) => ({ a: r.y, b: r.g })),
        { points: "data", curve: "g(y)" },
        series,
        style,
      ),
    ],
  };
}
