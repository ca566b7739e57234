/**
 * The look shared by every figure, derived from the `style` parameters: font, sizes, a framed
 * plot area with outward ticks and a faint grid (close to matplotlib's defaults).
 *
 * @module
 */
import type { Config } from "vega-lite";
import type { UnitSpec } from "vega-lite/types_unstable/spec/unit.js";
import type { StyleParams } from "../../params_schema.ts";

const INK = "#222222";
/** Colour of the box around a plot. */
export const FRAME = "#444444";
const GRID = "#ececec";

/**
 * The Vega-Lite `config` block for a figure drawn with `style`.
 *
 * @example
 * ```ts
 * import { theme } from "./theme.ts";
 * const config = theme({
 *   width: 300, height: 240, font: "Helvetica", fontSize: 11, pointSize: 9, pointOpacity: 0.5,
 *   lineWidth: 2,
 *   colors: {
 *     points: "#888888", curve: "#222222", f: "#1f77b4", g: "#d62728", identity: "#444444",
 *     margin: "#eeeeee", cycY: "#2ca02c", cycX: "#ff7f0e", relu: "#1f77b4", silu: "#ff7f0e",
 *     tanh: "#9467bd", leaky_relu: "#2ca02c", elu: "#8c564b", softplus: "#17becf",
 *   },
 * });
 * config.font; // "Helvetica"
 * ```
 */
export function theme(style: StyleParams): Config {
  const size = style.fontSize;
  return {
    font: style.font,
    background: "white",
    padding: 6,
    // The box around each plot is a layer of its own (frameLayer), drawn over grid and marks.
    view: { stroke: null, continuousWidth: style.width },
    axis: {
      domain: false,
      grid: true,
      gridColor: GRID,
      tickColor: FRAME,
      tickSize: 4,
      labelColor: INK,
      labelFontSize: size,
      labelPadding: 3,
      titleColor: INK,
      titleFontSize: size + 1,
      titleFontWeight: "normal",
      titlePadding: 6,
    },
    legend: {
      labelColor: INK,
      labelFontSize: size,
      titleFontSize: size,
      titleFontWeight: "normal",
      titleColor: INK,
      symbolStrokeWidth: style.lineWidth,
      symbolSize: 120,
      rowPadding: 4,
    },
    title: {
      color: INK,
      fontSize: size + 3,
      fontWeight: "normal",
      anchor: "middle",
      offset: 8,
      subtitleColor: "#555555",
      subtitleFontSize: size,
    },
    header: { labelFontSize: size + 1, labelColor: INK, titleFontSize: size + 1 },
    line: { strokeWidth: style.lineWidth },
    circle: { size: style.pointSize, opacity: style.pointOpacity, stroke: null },
    concat: { spacing: 24 },
  };
}

/**
 * The box around a plot, as the last layer of a layered view: drawn after the grid lines and
 * the marks, so that neither a grid line on the domain's edge nor a shaded band hides it.
 *
 * @example
 * ```ts
 * import { frameLayer } from "./theme.ts";
 * frameLayer().mark; // { type: "rect", fill: "transparent", stroke: "#444444", strokeWidth: 1, aria: false }
 * ```
 */
export function frameLayer(): UnitSpec<string> {
  return {
    data: { values: [{}] },
    mark: { type: "rect", fill: "transparent", stroke: FRAME, strokeWidth: 1, aria: false },
    encoding: {
      x: { value: 0 },
      x2: { value: "width" },
      y: { value: 0 },
      y2: { value: "height" },
    },
  };
}
