/**
 * The heatmaps of a sweep for one activation: the fit error and the inversion error of every cell
 * of the λ × μ grid, a row each, the mean over replicates beside the median, on one logarithmic
 * colour scale per row — where on the plane invertibility comes cheap. The median stands beside
 * the mean because a flipped run (f and g inverse to each other but sloping against the data)
 * has a fit error far above the others' and drags its cell's mean up.
 *
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import { activationName } from "../captions.ts";
import type { StatsRow } from "../../stats/stats_format.ts";
import type { StyleParams } from "../../params_schema.ts";
import { logTicks } from "./log_ticks.ts";
import { theme } from "./theme.ts";

/** What one heatmap figure is drawn from. */
export interface HeatmapFigure {
  /** `stats.csv` rows of the sweep's cells for this activation (other rows are ignored). */
  readonly stats: readonly StatsRow[];
  readonly sweep: string;
  readonly activation: string;
  readonly style: StyleParams;
}

/** The two rows: metric of `stats.csv`, and the title over its panels. */
const PANELS = [
  ["fit", "fit error: mean|f(x) − y|² + mean|g(y) − x|²"],
  ["inv", "inversion error: mean|x − g(f(x))|² + mean|y − f(g(y))|²"],
] as const;

/** The two columns: the statistic of `stats.csv` over a cell's replicates, and its name. */
const STATISTICS = [["mean", "mean over replicates"], [
  "median",
  "median over replicates",
]] as const;

/** Above this many cells a side, the values are not written in the cells. */
const MAX_TEXT = 10;

/** The 1-2-5 ticks inside [lo, hi], or the ends themselves when fewer than two fall inside. */
function legendValues(ticks: readonly number[], lo: number, hi: number): number[] {
  const inside = ticks.filter((t) => t >= lo && t <= hi);
  return inside.length >= 2 ? inside : [lo, hi];
}

/**
 * The Vega-Lite spec: a row per error, the mean beside the median, λ across, μ up, colour the
 * error on a log scale shared by the row, the value written in each cell (light text on dark
 * cells).
 *
 * @example
 * ```ts
 * import { heatmapSpec } from "./heatmap.ts";
 * import params from "../../../params.json" with { type: "json" };
 * const spec = heatmapSpec({ stats: [], sweep: "grid", activation: "relu", style: params.style });
 * spec.title; // { text: "Sweep “grid”, ReLU: errors over the λ × μ grid", subtitle: "…" }
 * ```
 */
export function heatmapSpec({ stats, sweep, activation, style }: HeatmapFigure): TopLevelSpec {
  const prefix = `${sweep}/`;
  const mine = stats.filter((s) => s.id.startsWith(prefix) && s.activation === activation);
  const lambdas = [...new Set(mine.map((s) => s.lambda))].sort((a, b) => a - b);
  const mus = [...new Set(mine.map((s) => s.mu))].sort((a, b) => a - b);
  const side = Math.max(lambdas.length, mus.length, 1);
  const step = Math.max(24, Math.round(style.width / side));
  const writeValues = side <= MAX_TEXT;
  const rows = PANELS.map(([metric, title]) => {
    const cells = mine.filter((s) => s.metric === metric && s.mean > 0 && s.median > 0);
    const all = cells.flatMap((c) => [c.mean, c.median]);
    const lo = Math.min(...all), hi = Math.max(...all);
    const ticks = all.length === 0 ? [] : logTicks(lo, hi);
    // Viridis is dark at its low end: text on cells below the log-midpoint is drawn light.
    const mid = Math.sqrt(lo * hi);
    const panels = STATISTICS.map(([statistic, label]) => ({
      title: { text: `${title.split(":")[0]}, ${label}`, fontSize: style.fontSize + 1 },
      width: { step },
      height: { step },
      data: {
        values: cells.map((c) => ({ lambda: c.lambda, mu: c.mu, value: c[statistic] })),
      },
      encoding: {
        x: {
          field: "lambda",
          type: "ordinal",
          sort: lambdas,
          title: "λ (weight of mean|x − g(f(x))|²)",
          axis: { labelAngle: 0 },
        },
        y: {
          field: "mu",
          type: "ordinal",
          sort: [...mus].reverse(),
          title: "μ (weight of mean|y − f(g(y))|²)",
        },
      },
      layer: [
        {
          mark: { type: "rect", aria: false },
          encoding: {
            color: {
              field: "value",
              type: "quantitative",
              title: title.split(":")[0],
              scale: {
                type: "log",
                scheme: "viridis",
                ...(ticks.length > 0 ? { domain: [lo, hi] } : {}),
              },
              legend: {
                format: ".2~g",
                ...(ticks.length > 0 ? { values: legendValues(ticks, lo, hi) } : {}),
                gradientLength: step * mus.length,
              },
            },
          },
        },
        ...(writeValues
          ? [{
            mark: {
              type: "text" as const,
              fontSize: Math.max(7, style.fontSize - 2),
              aria: false,
            },
            encoding: {
              text: { field: "value", type: "quantitative" as const, format: ".2~g" },
              color: {
                condition: { test: `datum.value < ${mid}`, value: "#ffffff" },
                value: "#222222",
              },
            },
          }]
          : []),
      ],
    }));
    return { hconcat: panels, resolve: { scale: { color: "shared" } } };
  });
  const config = theme(style);
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: `Sweep “${sweep}”, ${activationName(activation)}: errors over the λ × μ grid`,
      subtitle: "mean (left) and median (right) over each cell's replicates, on the data; " +
        "one log colour scale per row",
    },
    config: { ...config, axis: { ...config.axis, grid: false } },
    vconcat: rows,
    resolve: { scale: { color: "independent" } },
  } as TopLevelSpec;
}
