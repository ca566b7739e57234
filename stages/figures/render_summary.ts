/**
 * Stage `render-summary`: the trade-off figure, the metrics table as Markdown, the list of every
 * figure (`figures.json`, read by the publish command) and the index page.
 *
 * @module
 */
import { join } from "node:path";
import type { StageContext } from "../../pipeline/core/stage.ts";
import { inputDir, readMetrics } from "./figure_inputs.ts";
import { figureList } from "./figure_list.ts";
import { indexPage } from "./index_page.ts";
import { metricsMarkdown } from "./metrics_table.ts";
import type { ConfigParams, StyleParams } from "../params_schema.ts";
import { tradeoffSpec } from "./spec_tradeoff.ts";
import { renderSvg } from "./svg.ts";

/** The parameters `render-summary` reads (see stages/pipeline.ts). */
export interface RenderSummaryParams {
  readonly configs: Readonly<Record<string, ConfigParams>>;
  readonly style: StyleParams;
}

/** Writes `tradeoff.svg`, `metrics.md`, `figures.json` and `index.html` from `metrics.csv`. */
export async function run(ctx: StageContext<RenderSummaryParams>): Promise<void> {
  const { configs, style } = ctx.params;
  const metrics = await readMetrics(inputDir(ctx.inputs, "metrics"));
  const list = figureList(configs);
  const write = (file: string, text: string): Promise<void> =>
    Deno.writeTextFile(join(ctx.outDir, file), text);
  await write("tradeoff.svg", await renderSvg(tradeoffSpec({ metrics, style })));
  await write("metrics.md", metricsMarkdown(metrics));
  await write("figures.json", `${JSON.stringify(list, null, 2)}\n`);
  await write("index.html", indexPage({ list, metrics, style }));
}
