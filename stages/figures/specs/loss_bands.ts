/**
 * The training curves of the post's configurations over their replicates: one small panel per
 * configuration, the mean of the total loss L̃, of the fit terms and of the cycle terms per
 * epoch as lines, the range over seeds and data draws as a band around each, on a log scale.
 *
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import { configLabel, type ConfigLike } from "../captions.ts";
import type { StyleParams } from "../../params_schema.ts";
import type { BandRow, BandTerm } from "../../stats/loss_bands_format.ts";
import { logAxis } from "./log_ticks.ts";
import { type Series, seriesColor } from "./legend.ts";
import { theme } from "./theme.ts";

/** What the figure is drawn from. */
export interface LossBandsFigure {
  readonly bands: readonly BandRow[];
  /** Configuration name → its weights and activation, in the order of the panels. */
  readonly configs: Readonly<Record<string, ConfigLike>>;
  /** Replicates behind each band, for the subtitle (e.g. `5 seeds × 3 data draws`). */
  readonly replicates: string;
  readonly style: StyleParams;
}

/** The terms drawn, with their legend names. */
const TERMS: readonly (readonly [BandTerm, string])[] = [
  ["total", "total L̃"],
  ["fit", "mean|f(x) − y|² + mean|g(y) − x|²"],
  ["cycle", "mean|x − g(f(x))|² + mean|y − f(g(y))|²"],
];

/** Panels per row. */
const COLUMNS = 4;

/** Panels are smaller than a single figure's: there are many of them. */
const SCALE = 0.62;

/**
 * The Vega-Lite spec of the figure. Non-positive values have no place on a log axis and are left
 * out.
 *
 * @example
 * ```ts
 * import { lossBandsSpec } from "./loss_bands.ts";
 * import params from "../../../params.json" with { type: "json" };
 * const spec = lossBandsSpec({ bands: [], configs: {}, replicates: "5 seeds", style: params.style });
 * spec.title; // { text: "Training loss over replicates", subtitle: "…" }
 * ```
 */
export function lossBandsSpec(
  { bands, configs, replicates, style }: LossBandsFigure,
): TopLevelSpec {
  const c = style.colors;
  const colors = [c.curve, c.f, c.cycX];
  const series: Series[] = TERMS.map(([, name], i) => ({
    name,
    color: colors[i] ?? c.curve,
    kind: "line",
  }));
  const names = Object.fromEntries(TERMS);
  const labels = Object.entries(configs).map(([name, config]) =>
    `${configLabel(config)} (${name})`
  );
  const labelOf = Object.fromEntries(
    Object.entries(configs).map(([name], i) => [name, labels[i]!]),
  );
  const values = bands.filter((b) => b.low > 0 && Object.hasOwn(labelOf, b.config)).map((b) => ({
    panel: labelOf[b.config],
    epoch: b.epoch,
    term: names[b.term as keyof typeof names] ?? b.term,
    mean: b.mean,
    median: b.median,
    low: b.low,
    high: b.high,
  }));
  const y = {
    type: "quantitative",
    title: "loss (log scale)",
    ...logAxis(values.flatMap((v) => [v.low, v.high])),
  } as const;
  const x = {
    field: "epoch",
    type: "quantitative",
    title: "epoch",
    scale: { nice: false },
  } as const;
  const color = seriesColor(series, style.lineWidth, "term");
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: "Training loss over replicates",
      subtitle: `mean (line), median (dashed) and range (band) per epoch over ${replicates}`,
    },
    config: theme(style),
    data: { values },
    facet: { field: "panel", type: "nominal", sort: labels, title: null },
    columns: COLUMNS,
    spec: {
      width: Math.round(style.width * SCALE),
      height: Math.round(style.height * SCALE),
      layer: [
        {
          mark: { type: "area", opacity: 0.2, aria: false },
          encoding: { x, y: { ...y, field: "low" }, y2: { field: "high" }, color },
        },
        {
          mark: { type: "line", strokeWidth: Math.max(1, style.lineWidth - 0.5), aria: false },
          encoding: { x, y: { ...y, field: "mean" }, color },
        },
        {
          mark: { type: "line", strokeWidth: 1, strokeDash: [4, 3], aria: false },
          encoding: { x, y: { ...y, field: "median" }, color },
        },
      ],
    },
  };
}
