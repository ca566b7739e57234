/**
 * Stage `render/<config>`: one configuration's figures, `loss.svg`, `fit.svg` and
 * `inversion.svg`.
 *
 * @module
 */
import { join } from "node:path";
import type { StageContext } from "../../pipeline/core/stage.ts";
import { inputDir, readFCurve, readGCurve, readHistory, readXY } from "./figure_inputs.ts";
import type { StyleParams } from "../params_schema.ts";
import type { ConfigLike } from "./captions.ts";
import { fitSpec } from "./specs/fit.ts";
import { inversionSpec } from "./specs/inversion.ts";
import { lossSpec } from "./specs/loss.ts";
import { renderSvg } from "./svg.ts";

/** The parameters `render/<config>` (or `render/<sweep>/<cell>`) reads (see stages/pipeline.ts). */
export interface RenderParams {
  /** The configuration's weights and activation (a configuration's other fields are ignored). */
  readonly config: ConfigLike;
  readonly style: StyleParams;
}

/**
 * Draws the training history (input `model`), the fits and the compositions (input
 * `evaluation`) over the data (input `data`).
 */
export async function run(ctx: StageContext<RenderParams>): Promise<void> {
  const { config, style } = ctx.params;
  const input = (name: string): string => inputDir(ctx.inputs, name);
  const [points, history, fCurve, gCurve] = await Promise.all([
    readXY(input("data"), "points.csv"),
    readHistory(input("model")),
    readFCurve(input("evaluation")),
    readGCurve(input("evaluation")),
  ]);
  const figures = [
    ["loss.svg", lossSpec({ history, config, style })],
    ["fit.svg", fitSpec({ points, fCurve, gCurve, config, style })],
    ["inversion.svg", inversionSpec({ fCurve, gCurve, config, style })],
  ] as const;
  for (const [i, [file, spec]] of figures.entries()) {
    ctx.progress(i, figures.length);
    await Deno.writeTextFile(join(ctx.outDir, file), await renderSvg(spec));
  }
  ctx.progress(figures.length, figures.length);
}
