/**
 * The point-cloud figure: the n data points and the noiseless curve y = h1(h2(x)).
 *
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import type { XY } from "../../data/points_format.ts";
import type { StyleParams } from "../../params_schema.ts";
import { type Series, seriesColor } from "./legend.ts";
import { frameLayer, theme } from "./theme.ts";

/** What the point-cloud figure is drawn from. */
export interface DataFigure {
  /** The standardised data points (`points.csv`). */
  readonly points: readonly XY[];
  /** The noiseless curve on a grid (`curve.csv`). */
  readonly curve: readonly XY[];
  readonly style: StyleParams;
}

/**
 * The Vega-Lite spec of the point-cloud figure.
 *
 * @example
 * ```ts
 * import { dataSpec } from "./data.ts";
 * import params from "../../../params.json" with { type: "json" };
 * const spec = dataSpec({ points: [{ x: 0, y: 1 }], curve: [], style: params.style });
 * spec.title; // { text: "Point cloud (n = 1)", subtitle: "y = h1(h2(x) + ε), standardised" }
 * ```
 */
export function dataSpec({ points, curve, style }: DataFigure): TopLevelSpec {
  const data: Series = {
    name: `data (n = ${points.length})`,
    color: style.colors.points,
    kind: "point",
  };
  const noiseless: Series = {
    name: "noiseless curve h1(h2(x))",
    color: style.colors.curve,
    kind: "line",
  };
  const color = seriesColor([data, noiseless], style.lineWidth, "series");
  const x = { field: "x", type: "quantitative", title: "x (standardised)" } as const;
  const y = { field: "y", type: "quantitative", title: "y (standardised)" } as const;
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: `Point cloud (n = ${points.length})`,
      subtitle: "y = h1(h2(x) + ε), standardised",
    },
    width: style.width,
    height: style.height,
    config: theme(style),
    layer: [
      {
        data: { values: points.map((p) => ({ x: p.x, y: p.y, series: data.name })) },
        mark: { type: "circle", aria: false },
        encoding: { x, y, color },
      },
      {
        data: { values: curve.map((p) => ({ x: p.x, y: p.y, series: noiseless.name })) },
        mark: { type: "line", aria: false },
        encoding: { x, y, color, order: { field: "x", type: "quantitative" } },
      },
      frameLayer(),
    ],
  };
}
