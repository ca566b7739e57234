/**
 * Stage `render-bands`: `loss_bands.svg`, the training curves of the post's configurations over
 * their replicates, from `loss_bands.csv`.
 *
 * @module
 */
import { join } from "node:path";
import type { StageContext } from "../../pipeline/core/stage.ts";
import type { ConfigParams, ReplicatesParams, StyleParams } from "../params_schema.ts";
import { replicatesText } from "../design.ts";
import { inputDir } from "./figure_inputs.ts";
import { readBands } from "./summary_inputs.ts";
import { lossBandsSpec } from "./specs/loss_bands.ts";
import { renderSvg } from "./svg.ts";

/** The parameters `render-bands` reads (see stages/pipeline.ts). */
export interface RenderBandsParams {
  readonly configs: Readonly<Record<string, ConfigParams>>;
  readonly replicates: ReplicatesParams;
  readonly style: StyleParams;
}

/** Draws `loss_bands.svg`. */
export async function run(ctx: StageContext<RenderBandsParams>): Promise<void> {
  const bands = await readBands(inputDir(ctx.inputs, "bands"));
  const { configs, replicates, style } = ctx.params;
  const spec = lossBandsSpec({ bands, configs, replicates: replicatesText(replicates), style });
  await Deno.writeTextFile(join(ctx.outDir, "loss_bands.svg"), await renderSvg(spec));
}
