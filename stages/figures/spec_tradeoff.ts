/**
 * The trade-off figure: every configuration as one point, its fit error against its inversion
 * error on log axes, labelled with its weights and activation — the whole post in one picture.
 *
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import type { UnitSpec } from "vega-lite/types_unstable/spec/unit.js";
import { activationName, weightsLabel } from "./captions.ts";
import type { MetricsRow } from "./figure_inputs.ts";
import type { StyleParams } from "../params_schema.ts";
import { placeLabels, placementMark, PLACEMENTS } from "./label_placement.ts";
import { logAxis } from "./log_ticks.ts";
import { type Series, seriesLegend, seriesScale } from "./spec_legend.ts";
import { frameLayer, theme } from "./spec_theme.ts";

/** What the trade-off figure is drawn from. */
export interface TradeoffFigure {
  /** One row per configuration (`metrics.csv`). */
  readonly metrics: readonly MetricsRow[];
  readonly style: StyleParams;
}

/** One configuration as a point of the figure. */
export interface TradeoffPoint {
  readonly config: string;
  readonly lambda: number;
  /** mean|f(x) − y|² + mean|g(y) − x|²: the L2 fit term of the loss. */
  readonly fit: number;
  /** mean|x − g(f(x))|² + mean|y − f(g(y))|² on the data: the unweighted Ω. */
  readonly inversion: number;
  readonly activation: string;
  readonly label: string;
}

/** The figure is larger than one panel: it gathers every configuration. */
const SCALE = 1.5;

/** Factor of room kept between the extreme points and the ends of a log axis. */
const ROOM = 1.2;

/**
 * Turns metrics rows into the points of the figure, labelled with their weights.
 *
 * @example
 * ```ts
 * import { tradeoffPoints } from "./spec_tradeoff.ts";
 * const [p] = tradeoffPoints([{
 *   config: "lam1", lambda: 1, mu: 1, activation: "relu", fit_mse_f: 0.1, fit_mse_g: 0.2,
 *   inv_mse_x: 0.01, inv_mse_y: 0.02, inv_mse_x_margin: 1, inv_mse_y_margin: 2,
 * }]);
 * p?.label; // "λ = μ = 1"
 * ```
 */
export function tradeoffPoints(metrics: readonly MetricsRow[]): TradeoffPoint[] {
  return metrics.map((m) => ({
    config: m.config,
    lambda: m.lambda,
    fit: m.fit_mse_f + m.fit_mse_g,
    inversion: m.inv_mse_x + m.inv_mse_y,
    activation: activationName(m.activation),
    label: weightsLabel(m),
  }));
}

/**
 * The Vega-Lite spec of the trade-off figure: points coloured by activation, joined in order of
 * λ so that the path from "fit first" to "invertibility first" can be followed.
 *
 * @example
 * ```ts
 * import { tradeoffSpec } from "./spec_tradeoff.ts";
 * import params from "../../params.json" with { type: "json" };
 * const spec = tradeoffSpec({ metrics: [], style: params.style });
 * spec.title; // "Fit against invertibility, every configuration"
 * ```
 */
export function tradeoffSpec({ metrics, style }: TradeoffFigure): TopLevelSpec {
  const points = tradeoffPoints(metrics);
  const activations = [...new Set(points.map((p) => p.activation))];
  const palette: Record<string, string> = {
    ReLU: style.colors.relu,
    SiLU: style.colors.silu,
  };
  const series: Series[] = activations.map((a) => ({
    name: a,
    color: palette[a] ?? style.colors.curve,
    kind: "point",
  }));
  const color = {
    field: "activation",
    type: "nominal",
    scale: seriesScale(series),
    legend: seriesLegend(series, style.lineWidth),
  } as const;
  const { domain: xDomain, ...xAxis } = logAxis(points.map((p) => p.fit), ROOM);
  const { domain: yDomain, ...yAxis } = logAxis(points.map((p) => p.inversion), ROOM);
  const x = {
    field: "fit",
    type: "quantitative",
    title: "fit error: mean|f(x) − y|² + mean|g(y) − x|²",
    ...xAxis,
  } as const;
  const y = {
    field: "inversion",
    type: "quantitative",
    title: "inversion error: mean|x − g(f(x))|² + mean|y − f(g(y))|²",
    ...yAxis,
  } as const;
  const width = Math.round(style.width * SCALE);
  const height = Math.round(style.height * SCALE);
  // Labels are placed in pixels, from the same log scales Vega will draw.
  const px = (v: number, domain: readonly [number, number] | undefined, size: number): number =>
    domain === undefined || v <= 0
      ? 0
      : (size * Math.log(v / domain[0])) / Math.log(domain[1] / domain[0]);
  const placements = placeLabels(
    points.map((p) => ({
      x: px(p.fit, xDomain, width),
      y: height - px(p.inversion, yDomain, height),
      label: p.label,
    })),
    { width, height },
    style.fontSize,
  );
  const values = points.map((p, i) => ({ ...p, placement: placements[i] ?? "right" }));
  const labelLayers = PLACEMENTS.filter((where) => placements.includes(where)).map((
    where,
  ): UnitSpec<string> => ({
    transform: [{ filter: { field: "placement", equal: where } }],
    mark: {
      type: "text" as const,
      ...placementMark(where),
      fontSize: style.fontSize,
      color: "#333333",
      aria: false,
    },
    encoding: { x, y, text: { field: "label" } },
  }));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: "Fit against invertibility, every configuration",
      subtitle: "errors on the data; each point is one trained pair (f, g)",
    },
    width,
    height,
    config: theme(style),
    data: { values },
    layer: [
      {
        mark: { type: "line", strokeWidth: 1, opacity: 0.5, aria: false },
        encoding: { x, y, color, order: { field: "lambda", type: "quantitative" } },
      },
      {
        mark: { type: "circle", size: 70, opacity: 1, aria: false },
        encoding: { x, y, color },
      },
      ...labelLayers,
      frameLayer(),
    ],
  };
}
