/**
 * A colour legend whose entries look like the marks they stand for: a dot for scatter points, a
 * short line (solid or dashed) for curves. Vega-Lite gives every entry of one legend the same
 * symbol, so each entry's symbol is set through the legend's encoding, keyed by its value.
 *
 * @module
 */
import type { Legend } from "vega-lite/types_unstable/legend.js";

/** How one series is drawn. */
export type SeriesKind = "point" | "line" | "dashed" | "area";

/** One series: its name (the colour domain value), its colour and how it is drawn. */
export interface Series {
  readonly name: string;
  readonly color: string;
  readonly kind: SeriesKind;
}

type Value = string | number | number[];

const SMALL_CIRCLE = "M0.45,0A0.45,0.45,0,1,1,-0.45,0A0.45,0.45,0,1,1,0.45,0Z";

/** A Vega-Lite conditional value: the first series whose test holds decides. */
function perSeries(series: readonly Series[], pick: (s: Series) => Value) {
  const [last, ...rest] = [...series].reverse();
  if (last === undefined) return { value: "transparent" };
  return {
    condition: rest.reverse().map((s) => ({
      test: `datum.value === ${JSON.stringify(s.name)}`,
      value: pick(s),
    })),
    value: pick(last),
  };
}

/**
 * The legend of a colour scale over `series`, placed under the plot in one row.
 *
 * @example
 * ```ts
 * import { seriesLegend } from "./legend.ts";
 * const legend = seriesLegend([
 *   { name: "data", color: "#888888", kind: "point" },
 *   { name: "f", color: "#1f77b4", kind: "line" },
 * ]);
 * legend.orient; // "bottom"
 * ```
 */
export function seriesLegend(series: readonly Series[], lineWidth = 2): Legend<never> {
  const isPoint = (s: Series): boolean => s.kind === "point";
  const isFilled = (s: Series): boolean => s.kind === "point" || s.kind === "area";
  return {
    title: null,
    orient: "bottom",
    direction: "horizontal",
    // One row up to three entries, else two rows.
    columns: series.length <= 3 ? series.length : Math.ceil(series.length / 2),
    columnPadding: 16,
    labelLimit: 400,
    // One size for every entry: Vega sizes the legend rows from a single symbol size.
    symbolSize: 110,
    encoding: {
      symbols: {
        // A circle of half the symbol's size (Vega scales custom paths from a [-1, 1] box), so
        // that a dot and a line segment look alike in weight.
        shape: perSeries(
          series,
          (s) => isPoint(s) ? SMALL_CIRCLE : s.kind === "area" ? "square" : "stroke",
        ),
        fill: perSeries(series, (s) => isFilled(s) ? s.color : "transparent"),
        stroke: perSeries(series, (s) => isFilled(s) ? "transparent" : s.color),
        strokeWidth: { value: lineWidth },
        strokeDash: perSeries(series, (s) => s.kind === "dashed" ? [5, 3] : [1, 0]),
        opacity: { value: 1 },
      },
    },
  };
}

/**
 * The colour encoding's scale for `series`: names to colours, in legend order.
 *
 * @example
 * ```ts
 * import { seriesScale } from "./legend.ts";
 * seriesScale([{ name: "f", color: "#1f77b4", kind: "line" }]);
 * // { domain: ["f"], range: ["#1f77b4"] }
 * ```
 */
export function seriesScale(series: readonly Series[]): { domain: string[]; range: string[] } {
  return { domain: series.map((s) => s.name), range: series.map((s) => s.color) };
}

/**
 * The colour encoding of `series`: nominal, their colours in legend order, and their legend;
 * on `field` when given (a layer that sets its colour by `datum` takes none).
 *
 * @example
 * ```ts
 * import { seriesColor } from "./legend.ts";
 * const color = seriesColor([{ name: "f", color: "#1f77b4", kind: "line" }], 2, "series");
 * color.scale; // { domain: ["f"], range: ["#1f77b4"] }
 * ```
 */
export function seriesColor(series: readonly Series[], lineWidth: number, field?: string) {
  return {
    ...(field === undefined ? {} : { field }),
    type: "nominal" as const,
    scale: seriesScale(series),
    legend: seriesLegend(series, lineWidth),
  };
}
