/**
 * The capacity figure of a sweep that lists hidden layers: the mean fit error and the mean
 * inversion error against the parameter count of one network, a line per activation (solid for
 * the first λ, μ of the sweep, dashed for the next), with each mean's confidence interval — does
 * a larger network fit better, and at what cost in invertibility?
 *
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import type { UnitSpec } from "vega-lite/types_unstable/spec/unit.js";
import { activationName, layersLabel, weightsLabel } from "../captions.ts";
import { parameterCount } from "../../model/architecture.ts";
import type { Architecture } from "../../model/architecture.ts";
import type { StatsRow } from "../../stats/stats_format.ts";
import type { StyleParams } from "../../params_schema.ts";
import { logAxis } from "./log_ticks.ts";
import { type Series, seriesColor } from "./legend.ts";
import { frameLayer, theme } from "./theme.ts";

/** One cell of the sweep, as the figure needs it: its network and weights. */
export interface CapacityCell extends Architecture {
  readonly id: string;
  readonly lambda: number;
  readonly mu: number;
}

/** What the figure is drawn from. */
export interface CapacityFigure {
  readonly sweep: string;
  readonly cells: readonly CapacityCell[];
  /** `stats.csv` rows (those of other rows are ignored). */
  readonly stats: readonly StatsRow[];
  readonly style: StyleParams;
}

const PANELS = [
  ["fit", "fit error: mean|f(x) − y|² + mean|g(y) − x|²"],
  ["inv", "inversion error on the data"],
] as const;

/** Strokes of the λ, μ pairs, in the sweep's order. */
const DASHES = [[1, 0], [6, 3], [2, 2], [8, 2, 2, 2]] as const;

/**
 * The Vega-Lite spec: two panels side by side, x the parameters of one network (log), y the mean
 * error (log) with interval whiskers, colour the activation, dash the weights.
 *
 * @example
 * ```ts
 * import { capacitySpec } from "./capacity.ts";
 * import params from "../../../params.json" with { type: "json" };
 * const spec = capacitySpec({ sweep: "capacity", cells: [], stats: [], style: params.style });
 * spec.title; // { text: "Sweep “capacity”: error against network size", subtitle: "…" }
 * ```
 */
export function capacitySpec({ sweep, cells, stats, style }: CapacityFigure): TopLevelSpec {
  const weights = [...new Set(cells.map((c) => weightsLabel(c)))];
  const activations = [...new Set(cells.map((c) => c.activation))];
  const palette: Record<string, string> = style.colors;
  const series: Series[] = activations.map((a) => ({
    name: activationName(a),
    color: palette[a] ?? style.colors.curve,
    kind: "line",
  }));
  const byId = new Map(stats.map((s) => [`${s.id}|${s.metric}`, s]));
  const panels = PANELS.map(([metric, title]): UnitSpec<string> | object => {
    const values = cells.flatMap((c) => {
      const s = byId.get(`${c.id}|${metric}`);
      if (s === undefined || !(s.mean > 0)) return [];
      return [{
        parameters: parameterCount(c.layers),
        network: layersLabel(c.layers),
        activation: activationName(c.activation),
        weights: weightsLabel(c),
        mean: s.mean,
        low: Math.max(s.ci_low, s.mean / 1e6),
        high: s.ci_high,
      }];
    });
    const { domain: _x, ...xAxis } = logAxis(values.map((v) => v.parameters), 1.3);
    const { domain: _y, ...yAxis } = logAxis(values.flatMap((v) => [v.low, v.high]));
    const x = {
      field: "parameters",
      type: "quantitative",
      title: "parameters of one network",
      ...xAxis,
    } as const;
    const y = { field: "mean", type: "quantitative", title, ...yAxis } as const;
    const color = seriesColor(series, style.lineWidth, "activation");
    const strokeDash = {
      field: "weights",
      type: "nominal",
      scale: { domain: weights, range: weights.map((_, i) => [...DASHES[i % DASHES.length]!]) },
      legend: { title: null, orient: "bottom", direction: "horizontal", symbolStrokeColor: "#444" },
    } as const;
    return {
      width: style.width,
      height: style.height,
      data: { values },
      layer: [
        {
          mark: { type: "rule", strokeWidth: 1, opacity: 0.6, aria: false },
          encoding: { x, y: { ...y, field: "low" }, y2: { field: "high" }, color },
        },
        {
          mark: { type: "line", strokeWidth: style.lineWidth, aria: false },
          encoding: {
            x,
            y,
            color,
            strokeDash,
            detail: { field: "weights" },
            order: { field: "parameters", type: "quantitative" },
          },
        },
        {
          mark: { type: "circle", size: 40, opacity: 1, aria: false },
          encoding: { x, y, color },
        },
        frameLayer(),
      ],
    };
  });
  const networks = [...new Map(cells.map((c) => [layersLabel(c.layers), c.layers])).values()]
    .toSorted((a, b) => parameterCount(a) - parameterCount(b))
    .map((l) => `${layersLabel(l)} ${parameterCount(l)}`);
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: `Sweep “${sweep}”: error against network size`,
      subtitle: `means over replicates with confidence intervals; parameters: ${
        networks.join(", ")
      }`,
    },
    config: theme(style),
    hconcat: panels,
    resolve: { scale: { y: "independent" } },
  } as TopLevelSpec;
}
