/**
 * Stage `render-data`: the point-cloud figure `data.svg`.
 *
 * @module
 */
import { join } from "node:path";
import type { StageContext } from "../../pipeline/core/stage.ts";
import { inputDir, readXY } from "./figure_inputs.ts";
import type { StyleParams } from "../params_schema.ts";
import { dataSpec } from "./specs/data.ts";
import { renderSvg } from "./svg.ts";

/** The parameters `render-data` reads (see stages/pipeline.ts). */
export interface RenderDataParams {
  readonly style: StyleParams;
}

/** Draws `points.csv` and `curve.csv` of the `data` input into `data.svg`. */
export async function run(ctx: StageContext<RenderDataParams>): Promise<void> {
  const dir = inputDir(ctx.inputs, "data");
  const [points, curve] = await Promise.all([readXY(dir, "points.csv"), readXY(dir, "curve.csv")]);
  const svg = await renderSvg(dataSpec({ points, curve, style: ctx.params.style }));
  await Deno.writeTextFile(join(ctx.outDir, "data.svg"), svg);
}
