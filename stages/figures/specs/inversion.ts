/**
 * The invertibility figure of one configuration: x against g(f(x)) (blue) and y against f(g(y))
 * (red), as in the post, with the dashed identity line. Inputs outside the data's range (the
 * off-data margin) are shaded, and each curve is drawn paler where its own input is off the data.
 *
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import type { UnitSpec } from "vega-lite/types_unstable/spec/unit.js";
import { configLabel, type ConfigLike } from "../captions.ts";
import type { FCurveRow, GCurveRow, Region } from "../../model/evaluation_format.ts";
import type { StyleParams } from "../../params_schema.ts";
import { type Series, seriesColor } from "./legend.ts";
import { frameLayer, theme } from "./theme.ts";

/** What the invertibility figure is drawn from. */
export interface InversionFigure {
  /** f and g∘f on a grid over the x-range and its margin (`f_curve.csv`). */
  readonly fCurve: readonly FCurveRow[];
  /** g and f∘g on a grid over the y-range and its margin (`g_curve.csv`). */
  readonly gCurve: readonly GCurveRow[];
  readonly config: ConfigLike;
  readonly style: StyleParams;
}

/** A point of a composition's curve, tagged with the run of equal regions it belongs to. */
export interface CurvePoint {
  readonly input: number;
  readonly output: number;
  readonly series: string;
  /** Index of the run of consecutive grid points with the same region. */
  readonly segment: number;
  readonly region: Region;
}

/** Opacity of a curve over the off-data margin. */
const MARGIN_OPACITY = 0.45;

/**
 * Splits a curve into runs of equal region, each run starting at the last point of the previous
 * one so that the drawn pieces join; every point carries its run's region.
 *
 * @example
 * ```ts
 * import { segments } from "./inversion.ts";
 * const runs = segments("s", [
 *   { input: 0, output: 0, region: "margin" },
 *   { input: 1, output: 1, region: "data" },
 * ]);
 * runs.map((p) => `${p.segment}:${p.input}:${p.region}`); // ["0:0:margin", "1:0:data", "1:1:data"]
 * ```
 */
export function segments(
  series: string,
  rows: readonly { input: number; output: number; region: Region }[],
): CurvePoint[] {
  const sorted = [...rows].sort((a, b) => a.input - b.input);
  const out: CurvePoint[] = [];
  let segment = -1;
  let previous: { input: number; output: number; region: Region } | undefined;
  for (const row of sorted) {
    if (previous === undefined || row.region !== previous.region) {
      segment += 1;
      if (previous !== undefined) {
        out.push({ ...previous, series, segment, region: row.region });
      }
    }
    out.push({ input: row.input, output: row.output, series, segment, region: row.region });
    previous = row;
  }
  return out;
}

/** [min, max] of the inputs inside the data, or undefined when no grid point is. */
function dataRange(points: readonly CurvePoint[]): [number, number] | undefined {
  const inside = points.filter((p) => p.region === "data").map((p) => p.input);
  return inside.length === 0 ? undefined : [Math.min(...inside), Math.max(...inside)];
}

/**
 * The Vega-Lite spec of the invertibility figure.
 *
 * @example
 * ```ts
 * import { inversionSpec } from "./inversion.ts";
 * import params from "../../../params.json" with { type: "json" };
 * const spec = inversionSpec({
 *   fCurve: [{ x: 0, f: 1, g_of_f: 0, region: "data" }],
 *   gCurve: [{ y: 1, g: 0, f_of_g: 1, region: "data" }],
 *   config: { lambda: 10, mu: 10, activation: "relu" },
 *   style: params.style,
 * });
 * spec.title; // "Invertibility — λ = μ = 10, ReLU"
 * ```
 */
export function inversionSpec({ fCurve, gCurve, config, style }: InversionFigure): TopLevelSpec {
  const series: Series[] = [
    { name: "g(f(x)) against x", color: style.colors.f, kind: "line" },
    { name: "f(g(y)) against y", color: style.colors.g, kind: "line" },
    { name: "identity", color: style.colors.identity, kind: "dashed" },
    { name: "input off the data", color: style.colors.margin, kind: "area" },
  ];
  const [gof, fog, identity, margin] = series as [Series, Series, Series, Series];
  const curves = [
    ...segments(gof.name, fCurve.map((r) => ({ input: r.x, output: r.g_of_f, region: r.region }))),
    ...segments(fog.name, gCurve.map((r) => ({ input: r.y, output: r.f_of_g, region: r.region }))),
  ];
  const inputs = curves.map((p) => p.input);
  const lo = Math.min(...inputs);
  const hi = Math.max(...inputs);
  // Shade where both inputs are off the data: outside the union of the x- and y-ranges. Where
  // only one of them is, its curve alone is drawn paler.
  const ranges = [
    dataRange(curves.filter((p) => p.series === gof.name)),
    dataRange(
      curves.filter((p) => p.series === fog.name),
    ),
  ].filter((r) => r !== undefined);
  const dataLo = ranges.length === 0 ? hi : Math.min(...ranges.map((r) => r[0]));
  const dataHi = ranges.length === 0 ? hi : Math.max(...ranges.map((r) => r[1]));
  const bands = [{ from: lo, to: dataLo }, { from: dataHi, to: hi }].filter((b) => b.to > b.from);

  const x = {
    field: "input",
    type: "quantitative",
    title: "input x or y (standardised)",
    scale: { nice: false, zero: false },
  } as const;
  const y = {
    field: "output",
    type: "quantitative",
    title: "g(f(x)) or f(g(y))",
    scale: { zero: false },
  } as const;
  // With no margin (evaluation.margin = 0) nothing is shaded, and the legend says nothing of it.
  const shown = bands.length > 0 ? series : series.filter((s) => s !== margin);
  const color = seriesColor(shown, style.lineWidth);
  const bandLayer: UnitSpec<string>[] = bands.length === 0 ? [] : [{
    data: { values: bands },
    mark: { type: "rect", aria: false },
    encoding: {
      x: { ...x, field: "from" },
      x2: { field: "to" },
      color: { ...color, datum: margin.name },
    },
  }];
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: `Invertibility — ${configLabel(config)}`,
    width: style.width,
    height: style.height,
    config: theme(style),
    layer: [
      ...bandLayer,
      {
        data: { values: [{ input: lo, output: lo }, { input: hi, output: hi }] },
        mark: { type: "line", strokeDash: [6, 4], aria: false },
        encoding: { x, y, color: { ...color, datum: identity.name } },
      },
      {
        data: { values: curves },
        mark: { type: "line", aria: false },
        encoding: {
          x,
          y,
          color: { ...color, field: "series" },
          detail: { field: "segment", type: "nominal" },
          opacity: {
            condition: { test: "datum.region === 'margin'", value: MARGIN_OPACITY },
            value: 1,
          },
          order: { field: "input", type: "quantitative" },
        },
      },
      frameLayer(),
    ],
  };
}
