/**
 * Stage `render-tradeoff`: `tradeoff.svg`, the mean fit error against the mean inversion error of
 * every configuration and sweep cell with their intervals, from `stats.csv`.
 *
 * @module
 */
import { join } from "node:path";
import type { StageContext } from "../../pipeline/core/stage.ts";
import { inputDir } from "./figure_inputs.ts";
import { readStats } from "./summary_inputs.ts";
import type { ConfigParams, StyleParams } from "../params_schema.ts";
import { tradeoffSpec } from "./specs/tradeoff.ts";
import { renderSvg } from "./svg.ts";

/** The parameters `render-tradeoff` reads (see stages/pipeline.ts). */
export interface RenderTradeoffParams {
  /** The post's configurations: the figure labels these, not the sweep cells. */
  readonly configs: Readonly<Record<string, ConfigParams>>;
  readonly style: StyleParams;
}

/** Draws `tradeoff.svg` from the `stats` input. */
export async function run(ctx: StageContext<RenderTradeoffParams>): Promise<void> {
  const { configs, style } = ctx.params;
  const stats = await readStats(inputDir(ctx.inputs, "stats"));
  const spec = tradeoffSpec({ stats, configs: Object.keys(configs), style });
  await Deno.writeTextFile(join(ctx.outDir, "tradeoff.svg"), await renderSvg(spec));
}
