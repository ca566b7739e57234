/**
 * Stage `render-grid`: for every λ × μ sweep and each of its activations,
 * `heatmap-<sweep>-<act>.svg` (fit and inversion error over the grid) from `stats.csv`.
 *
 * @module
 */
import { join } from "node:path";
import type { StageContext } from "../../pipeline/core/stage.ts";
import type { Activation, StyleParams, SweepParams } from "../params_schema.ts";
import { heatmaps } from "../design.ts";
import { inputDir } from "./figure_inputs.ts";
import { readStats } from "./summary_inputs.ts";
import { heatmapSpec } from "./specs/heatmap.ts";
import { renderSvg } from "./svg.ts";

/** The parameters `render-grid` reads (see stages/pipeline.ts). */
export interface RenderGridParams {
  readonly sweeps: Readonly<Record<string, SweepParams>>;
  /** training.activation, the activation of sweeps that list none. */
  readonly activation: Activation;
  readonly style: StyleParams;
}

/** Draws one heatmap figure per sweep and activation. */
export async function run(ctx: StageContext<RenderGridParams>): Promise<void> {
  const stats = await readStats(inputDir(ctx.inputs, "stats"));
  const { sweeps, style } = ctx.params;
  const jobs = heatmaps(sweeps, ctx.params.activation);
  for (const [i, { sweep, activation }] of jobs.entries()) {
    ctx.progress(i, jobs.length);
    const svg = await renderSvg(heatmapSpec({ stats, sweep, activation, style }));
    await Deno.writeTextFile(join(ctx.outDir, `heatmap-${sweep}-${activation}.svg`), svg);
  }
  ctx.progress(jobs.length, jobs.length);
}
