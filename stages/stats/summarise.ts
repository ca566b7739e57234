/**
 * The `summarise` stage: one row of metrics per configuration, in the order of the parameters
 * file, so the trade-off between fit and invertibility reads off one table.
 *
 * @module
 */
import { join } from "node:path";
import type { StageContext } from "../../pipeline/core/stage.ts";
import { type Cell, formatCsv } from "../data/csv.ts";
import type { Metrics } from "../model/evaluation_format.ts";
import type { ConfigParams } from "../params_schema.ts";
import { METRICS_COLUMNS } from "./summary_format.ts";

/** The parameters `summarise` reads (see stages/pipeline.ts). */
export interface SummariseParams {
  readonly configs: Readonly<Record<string, ConfigParams>>;
}

const METRIC_KEYS = METRICS_COLUMNS.slice(4) as readonly (keyof Metrics)[];

/**
 * One `metrics.csv` row; a metric that is `null` (no margin points) is an empty cell.
 *
 * @example
 * ```ts
 * import { metricsRow } from "./summarise.ts";
 * const m = { fit_mse_f: 1, fit_mse_g: 2, inv_mse_x: 3, inv_mse_y: 4, inv_mse_x_margin: null, inv_mse_y_margin: 6 };
 * metricsRow("lam1", { lambda: 1, mu: 1, activation: "relu", layers: [30, 30], group: "equal" }, m);
 * // ["lam1", 1, 1, "relu", 1, 2, 3, 4, "", 6]
 * ```
 */
export function metricsRow(name: string, c: ConfigParams, m: Metrics): Cell[] {
  return [name, c.lambda, c.mu, c.activation, ...METRIC_KEYS.map((k) => m[k] ?? "")];
}

/** Writes `metrics.csv` from each configuration's `metrics.json`. */
export async function run(ctx: StageContext<SummariseParams>): Promise<void> {
  const rows: Cell[][] = [];
  for (const [name, config] of Object.entries(ctx.params.configs)) {
    const dir = ctx.inputs[name];
    if (dir === undefined) throw new Error(`summarise: missing input for configuration "${name}"`);
    const m = JSON.parse(await Deno.readTextFile(join(dir, "metrics.json"))) as Metrics;
    rows.push(metricsRow(name, config, m));
  }
  await Deno.writeTextFile(join(ctx.outDir, "metrics.csv"), formatCsv(METRICS_COLUMNS, rows));
}
