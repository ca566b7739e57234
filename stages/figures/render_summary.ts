/**
 * Stage `render-summary`: the trade-off figure, the metrics table as Markdown, the list of every
 * figure (`figures.json`, read by the publish command) and the index page, the claims first.
 *
 * @module
 */
import { join } from "node:path";
import type { StageContext } from "../../pipeline/core/stage.ts";
import { inputDir, readMetrics } from "./figure_inputs.ts";
import { readClaims, readStats } from "./summary_inputs.ts";
import { figureList } from "./figure_list.ts";
import { indexPage } from "./index_page.ts";
import { metricsMarkdown } from "./metrics_table.ts";
import type { ConfigParams, StyleParams, SweepParams } from "../params_schema.ts";
import { tradeoffSpec } from "./spec_tradeoff.ts";
import { renderSvg } from "./svg.ts";

/** The parameters `render-summary` reads (see stages/pipeline.ts). */
export interface RenderSummaryParams {
  readonly configs: Readonly<Record<string, ConfigParams>>;
  readonly sweeps: Readonly<Record<string, SweepParams>>;
  readonly style: StyleParams;
}

/**
 * Writes `tradeoff.svg` (from `stats.csv`), `metrics.md` (from `metrics.csv`), `figures.json` and
 * `index.html` (with `claims.json` at its top).
 */
export async function run(ctx: StageContext<RenderSummaryParams>): Promise<void> {
  const { configs, sweeps, style } = ctx.params;
  const [metrics, stats, claims] = await Promise.all([
    readMetrics(inputDir(ctx.inputs, "metrics")),
    readStats(inputDir(ctx.inputs, "stats")),
    readClaims(inputDir(ctx.inputs, "claims")),
  ]);
  const list = figureList(configs, sweeps);
  const write = (file: string, text: string): Promise<void> =>
    Deno.writeTextFile(join(ctx.outDir, file), text);
  const tradeoff = tradeoffSpec({ stats, configs: Object.keys(configs), style });
  await write("tradeoff.svg", await renderSvg(tradeoff));
  await write("metrics.md", metricsMarkdown(metrics));
  await write("figures.json", `${JSON.stringify(list, null, 2)}\n`);
  await write("index.html", indexPage({ list, metrics, claims, style }));
}
