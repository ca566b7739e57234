/**
 * The search figure: every trial of a search at its last rung (coloured by the epochs it
 * trained) and every cell of the sweep it is measured against, fit error against inversion error
 * on log axes, each side's front drawn as a staircase; the title gives each side's epochs and
 * hypervolume.
 *
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import type { StyleParams } from "../../params_schema.ts";
import type { FrontSummary } from "../../search/front_format.ts";
import { logAxis } from "./log_ticks.ts";
import { type Series, seriesColor } from "./legend.ts";
import { frameLayer, theme } from "./theme.ts";

/** Factor of room kept between the extreme points and the ends of a log axis. */
const ROOM = 1.2;

/** Grey shades of the search's rungs, lightest first; the last rung takes the f colour. */
const RUNG_GREYS = ["#c7c7c7", "#9a9a9a", "#6d6d6d", "#4a4a4a"];

const count = (n: number) => n.toLocaleString("en-US");
const hv = (v: number) => v.toPrecision(3);

/**
 * The Vega-Lite spec of a search's figure.
 *
 * @example
 * ```ts
 * import { searchFrontSpec } from "./search_front.ts";
 * import params from "../../../params.json" with { type: "json" };
 * const side = { epochs: 10, runs: 1, hypervolume: 1, front: [], points: [] };
 * const summary = { search: "front", sweep: "grid", reference: { fit: 10, inversion: 10 }, searched: side, swept: side, replicates: [] };
 * (searchFrontSpec(summary, params.style).title as { text: string }).text;
 * // "Search front: its front against grid's"
 * ```
 */
export function searchFrontSpec(s: FrontSummary, style: StyleParams): TopLevelSpec {
  const rungs = [...new Set(s.searched.points.map((p) => p.epochs))].sort((a, b) => a - b);
  const rungName = (e: number) => `search, ${count(e)} epochs`;
  const sweepName = `${s.sweep}, ${count(s.swept.points[0]?.epochs ?? 0)} epochs`;
  const series: Series[] = [
    ...rungs.map((e, i): Series => ({
      name: rungName(e),
      color: i === rungs.length - 1 ? style.colors.f : RUNG_GREYS[i % RUNG_GREYS.length]!,
      kind: "point",
    })),
    { name: sweepName, color: style.colors.g, kind: "point" },
  ];
  const values = [
    ...s.searched.points.map((p) => ({
      ...p,
      series: rungName(p.epochs),
      side: "search",
      front: s.searched.front.some((q) => q.id === p.id),
    })),
    ...s.swept.points.map((p) => ({
      ...p,
      series: sweepName,
      side: "sweep",
      front: s.swept.front.some((q) => q.id === p.id),
    })),
  ];
  const positive = (v: number) => v > 0 && Number.isFinite(v);
  const x = {
    field: "fit",
    type: "quantitative",
    title: "fit error: mean|f(x) − y|² + mean|g(y) − x|²",
    ...logAxis(values.map((v) => v.fit).filter(positive), ROOM),
  } as const;
  const y = {
    field: "inversion",
    type: "quantitative",
    title: "inversion error: mean|x − g(f(x))|² + mean|y − f(g(y))|²",
    ...logAxis(values.map((v) => v.inversion).filter(positive), ROOM),
  } as const;
  const color = seriesColor(series, style.lineWidth, "series");
  const front = (side: string, stroke: string) => ({
    transform: [{ filter: `datum.front && datum.side === '${side}'` }],
    mark: {
      type: "line" as const,
      interpolate: "step-after" as const,
      strokeWidth: 1.2,
      strokeDash: [5, 3],
      color: stroke,
      aria: false,
    },
    encoding: { x, y, order: { field: "fit", type: "quantitative" as const } },
  });
  const ref = `reference fit ${s.reference.fit}, inversion ${s.reference.inversion}`;
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: `Search ${s.search}: its front against ${s.sweep}'s`,
      subtitle: [
        `search ${count(s.searched.epochs)} epochs, hypervolume ${hv(s.searched.hypervolume)}; ` +
        `${s.sweep} ${count(s.swept.epochs)} epochs, hypervolume ${hv(s.swept.hypervolume)}`,
        `means over replicates; hypervolume in log₁₀ space against the ${ref}; dashed: fronts`,
      ],
    },
    width: Math.round(style.width * 1.5),
    height: Math.round(style.height * 1.5),
    config: theme(style),
    data: { values },
    layer: [
      front("search", style.colors.f),
      front("sweep", style.colors.g),
      // The sweep's cells first, so that a trial on the same spot stays visible.
      ...["sweep", "search"].map((side) => ({
        transform: [{ filter: { field: "side", equal: side } }],
        mark: { type: "circle" as const, size: 50, opacity: 0.9, aria: false },
        encoding: { x, y, color },
      })),
      frameLayer(),
    ],
  };
}
