/**
 * The training-loss figure of one configuration: the total loss L̃ and each of its four
 * unweighted terms per epoch, on a log scale.
 *
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import { configLabel, type ConfigLike } from "../captions.ts";
import type { HistoryRow } from "../../model/history_format.ts";
import type { StyleParams } from "../../params_schema.ts";
import { logAxis } from "./log_ticks.ts";
import { type Series, seriesColor } from "./legend.ts";
import { frameLayer, theme } from "./theme.ts";

/** What the loss figure is drawn from. */
export interface LossFigure {
  /** One row per epoch (`history.csv`). */
  readonly history: readonly HistoryRow[];
  readonly config: ConfigLike;
  readonly style: StyleParams;
}

/** The history columns drawn, with their legend names. */
const TERMS = [
  ["total", "total L̃"],
  ["fit_f", "mean|f(x) − y|²"],
  ["fit_g", "mean|g(y) − x|²"],
  ["cyc_y", "mean|y − f(g(y))|²"],
  ["cyc_x", "mean|x − g(f(x))|²"],
] as const satisfies readonly (readonly [keyof HistoryRow, string])[];

/**
 * The Vega-Lite spec of the loss figure. Non-positive values (a term exactly 0) have no place on
 * a log axis and are left out.
 *
 * @example
 * ```ts
 * import { lossSpec } from "./loss.ts";
 * import params from "../../../params.json" with { type: "json" };
 * const history = [{ epoch: 1, fit_f: 1, fit_g: 1, cyc_y: 0.5, cyc_x: 0.5, total: 3 }];
 * const spec = lossSpec({ history, config: { lambda: 1, mu: 1, activation: "relu" }, style: params.style });
 * spec.title; // "Training loss — λ = μ = 1, ReLU"
 * ```
 */
export function lossSpec({ history, config, style }: LossFigure): TopLevelSpec {
  const c = style.colors;
  const colors = [c.curve, c.f, c.g, c.cycY, c.cycX];
  const series: Series[] = TERMS.map(([, name], i) => ({
    name,
    color: colors[i] ?? c.curve,
    kind: "line",
  }));
  const values = TERMS.flatMap(([column, name]) =>
    history.filter((row) => row[column] > 0).map((row) => ({
      epoch: row.epoch,
      value: row[column],
      term: name,
    }))
  );
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: `Training loss — ${configLabel(config)}`,
    width: style.width,
    height: style.height,
    config: theme(style),
    layer: [
      {
        data: { values },
        mark: { type: "line", aria: false },
        encoding: {
          x: { field: "epoch", type: "quantitative", title: "epoch", scale: { nice: false } },
          y: {
            field: "value",
            type: "quantitative",
            title: "loss (log scale)",
            ...logAxis(values.map((v) => v.value)),
          },
          color: seriesColor(series, style.lineWidth, "term"),
          order: { field: "epoch", type: "quantitative" },
        },
      },
      frameLayer(),
    ],
  };
}
