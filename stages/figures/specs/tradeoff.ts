/**
 * The trade-off figure: every configuration and sweep cell as one point, its mean fit error
 * against its mean inversion error on log axes, with confidence-interval crosshairs over its
 * replicates, and the Pareto front (the points no other point beats on both errors) drawn as a
 * line. Where some runs of a row flipped (a bimodal outcome, whose mean describes no run), a cross
 * marks its median run, joined to the mean by a dotted line. The post's configurations are labelled with their weights when there are few of them
 * (a label with no free place is left out rather than drawn over another); sweep cells never are
 * (the heatmaps name them).
 *
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import type { UnitSpec } from "vega-lite/types_unstable/spec/unit.js";
import { activationName, weightsLabel } from "../captions.ts";
import type { StatsRow } from "../../stats/stats_format.ts";
import { ACTIVATIONS, type StyleParams } from "../../params_schema.ts";
import { placeLabels, placementMark, PLACEMENTS } from "./label_placement.ts";
import { logAxis } from "./log_ticks.ts";
import { type Series, seriesColor } from "./legend.ts";
import { frameLayer, theme } from "./theme.ts";

/** What the trade-off figure is drawn from. */
export interface TradeoffFigure {
  /** `stats.csv`: the metrics `fit` and `inv` of every configuration and cell. */
  readonly stats: readonly StatsRow[];
  /** Ids of the post's configurations (labelled, drawn filled); other ids are sweep cells. */
  readonly configs: readonly string[];
  readonly style: StyleParams;
}

/** One configuration or cell as a point of the figure. */
export interface TradeoffPoint {
  readonly id: string;
  /** `configuration` or `sweep cell`. */
  readonly kind: string;
  /** Mean of mean|f(x) − y|² + mean|g(y) − x|² over replicates, and its interval. */
  readonly fit: number;
  readonly fitLow: number;
  readonly fitHigh: number;
  /** Mean of mean|x − g(f(x))|² + mean|y − f(g(y))|² on the data, and its interval. */
  readonly inversion: number;
  readonly invLow: number;
  readonly invHigh: number;
  /** Median fit and inversion errors over the replicates, and the share of runs that flipped. */
  readonly fitMedian: number;
  readonly invMedian: number;
  readonly flipped: number;
  readonly activation: string;
  readonly label: string;
  /** Whether no other point has both a lower fit error and a lower inversion error. */
  readonly front: boolean;
}

/** The figure is larger than one panel: it gathers every configuration. */
const SCALE = 1.5;

/** Factor of room kept between the extreme points and the ends of a log axis. */
const ROOM = 1.2;

/** Above this many labels the figure draws none: they would hide the points. */
export const MAX_LABELS = 12;

/**
 * Which points lie on the Pareto front of (fit, inversion), both to be small: a point is on it
 * when no other point is at least as good on both and better on one.
 *
 * @example
 * ```ts
 * import { paretoFront } from "./tradeoff.ts";
 * paretoFront([{ fit: 1, inversion: 3 }, { fit: 2, inversion: 1 }, { fit: 2, inversion: 2 }]);
 * // [true, true, false]
 * ```
 */
export function paretoFront(points: readonly { fit: number; inversion: number }[]): boolean[] {
  return points.map((p) =>
    !points.some((q) =>
      q.fit <= p.fit && q.inversion <= p.inversion && (q.fit < p.fit || q.inversion < p.inversion)
    )
  );
}

/**
 * Turns `stats.csv` rows into the points of the figure, in order of first appearance.
 *
 * @example
 * ```ts
 * import { tradeoffPoints } from "./tradeoff.ts";
 * const row = (metric: "fit" | "inv", mean: number) => ({ id: "lam1", lambda: 1, mu: 1,
 *   activation: "relu", metric, n: 5, mean, median: mean, std: 0, ci_low: mean / 2, ci_high: mean * 2,
 *   flipped: 0, flipped_ci_low: 0, flipped_ci_high: 0.5218 });
 * const [p] = tradeoffPoints([row("fit", 0.1), row("inv", 0.01)], ["lam1"]);
 * p?.label; // "λ = μ = 1"
 * ```
 */
export function tradeoffPoints(
  stats: readonly StatsRow[],
  configs: readonly string[],
): TradeoffPoint[] {
  const ids = [...new Set(stats.map((s) => s.id))];
  const points = ids.flatMap((id) => {
    const fit = stats.find((s) => s.id === id && s.metric === "fit");
    const inv = stats.find((s) => s.id === id && s.metric === "inv");
    if (fit === undefined || inv === undefined) return [];
    return [{
      id,
      kind: configs.includes(id) ? "configuration" : "sweep cell",
      fit: fit.mean,
      fitLow: fit.ci_low,
      fitHigh: fit.ci_high,
      inversion: inv.mean,
      invLow: inv.ci_low,
      invHigh: inv.ci_high,
      fitMedian: fit.median,
      invMedian: inv.median,
      flipped: fit.flipped,
      activation: activationName(fit.activation),
      label: weightsLabel(fit),
    }];
  });
  const front = paretoFront(points);
  // Configurations sharing their weights are told apart by their activation.
  const shared = (p: (typeof points)[number]) =>
    points.some((q) => q !== p && q.kind === p.kind && q.label === p.label);
  return points.map((p, i) => ({
    ...p,
    label: shared(p) ? `${p.label}, ${p.activation}` : p.label,
    front: front[i] ?? false,
  }));
}

/**
 * The Vega-Lite spec of the trade-off figure.
 *
 * @example
 * ```ts
 * import { tradeoffSpec } from "./tradeoff.ts";
 * import params from "../../../params.json" with { type: "json" };
 * const spec = tradeoffSpec({ stats: [], configs: [], style: params.style });
 * spec.title; // { text: "Fit against invertibility, every configuration", subtitle: "…" }
 * ```
 */
export function tradeoffSpec({ stats, configs, style }: TradeoffFigure): TopLevelSpec {
  const points = tradeoffPoints(stats, configs);
  const activations = [...new Set(points.map((p) => p.activation))];
  const palette: Record<string, string> = Object.fromEntries(
    ACTIVATIONS.map((a) => [activationName(a), style.colors[a]]),
  );
  const series: Series[] = activations.map((a) => ({
    name: a,
    color: palette[a] ?? style.colors.curve,
    kind: "point",
  }));
  const color = seriesColor(series, style.lineWidth, "activation");
  const positive = (v: number): boolean => v > 0 && Number.isFinite(v);
  const { domain: xDomain, ...xAxis } = logAxis(
    points.flatMap((p) => [p.fit, p.fitLow, p.fitHigh, p.fitMedian]).filter(positive),
    ROOM,
  );
  const { domain: yDomain, ...yAxis } = logAxis(
    points.flatMap((p) => [p.inversion, p.invLow, p.invHigh, p.invMedian]).filter(positive),
    ROOM,
  );
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
  // Labels are placed in pixels, from the same log scales Vega will draw; every point is an
  // obstacle, labelled or not.
  const px = (v: number, domain: readonly [number, number] | undefined, size: number): number =>
    domain === undefined || v <= 0
      ? 0
      : (size * Math.log(v / domain[0])) / Math.log(domain[1] / domain[0]);
  const labelled = points.filter((p) => p.kind === "configuration");
  const drawLabels = labelled.length <= MAX_LABELS;
  const ordered = [...labelled, ...points.filter((p) => p.kind !== "configuration")];
  const placements = drawLabels
    ? placeLabels(
      ordered.map((p) => ({
        x: px(p.fit, xDomain, width),
        y: height - px(p.inversion, yDomain, height),
        label: p.kind === "configuration" ? p.label : "",
      })),
      { width, height },
      style.fontSize,
      4,
      "skip",
    )
    : [];
  const values = points.map((p) => ({
    ...p,
    placement: drawLabels && p.kind === "configuration"
      ? placements[ordered.indexOf(p)] ?? "none"
      : "none",
  }));
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
  const whisker = { type: "rule", strokeWidth: 1, opacity: 0.55, aria: false } as const;
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: "Fit against invertibility, every configuration",
      subtitle: [
        "means over replicates with confidence intervals; the dashed line joins the Pareto front",
        "× marks the median run of a row where some runs flipped",
      ],
    },
    width,
    height,
    config: theme(style),
    data: { values },
    layer: [
      {
        mark: whisker,
        encoding: { x: { ...x, field: "fitLow" }, x2: { field: "fitHigh" }, y, color },
      },
      {
        mark: whisker,
        encoding: { x, y: { ...y, field: "invLow" }, y2: { field: "invHigh" }, color },
      },
      {
        transform: [{ filter: "datum.flipped > 0" }],
        mark: { type: "rule", strokeWidth: 1, strokeDash: [1, 2], opacity: 0.8, aria: false },
        encoding: {
          x,
          y,
          x2: { field: "fitMedian" },
          y2: { field: "invMedian" },
          color,
        },
      },
      {
        transform: [{ filter: "datum.flipped > 0" }],
        mark: {
          type: "point",
          shape: "cross",
          angle: 45,
          size: 50,
          filled: true,
          opacity: 1,
          aria: false,
        },
        encoding: { x: { ...x, field: "fitMedian" }, y: { ...y, field: "invMedian" }, color },
      },
      {
        transform: [{ filter: "datum.front" }],
        mark: {
          type: "line",
          strokeWidth: 1.2,
          strokeDash: [5, 3],
          color: style.colors.identity,
          aria: false,
        },
        encoding: { x, y, order: { field: "fit", type: "quantitative" } },
      },
      {
        transform: [{ filter: { field: "kind", equal: "sweep cell" } }],
        mark: { type: "point", size: 36, filled: false, strokeWidth: 1.2, opacity: 1, aria: false },
        encoding: { x, y, color },
      },
      {
        transform: [{ filter: { field: "kind", equal: "configuration" } }],
        mark: { type: "circle", size: 70, opacity: 1, aria: false },
        encoding: { x, y, color },
      },
      ...labelLayers,
      frameLayer(),
    ],
  };
}
