/**
 * Stage `render-capacity`: for every sweep that lists hidden layers, `capacity-<sweep>.svg` (fit
 * and inversion error against the networks' parameter count) from `stats.csv`.
 *
 * @module
 */
import { join } from "node:path";
import type { StageContext } from "../../pipeline/core/stage.ts";
import type { StyleParams, SweepParams } from "../params_schema.ts";
import type { Architecture } from "../model/architecture.ts";
import { capacitySweeps, designRows } from "../design.ts";
import { inputDir } from "./figure_inputs.ts";
import { readStats } from "./summary_inputs.ts";
import { capacitySpec } from "./specs/capacity.ts";
import { renderSvg } from "./svg.ts";

/**
 * The parameters `render-capacity` reads (see stages/pipeline.ts); its network (training.layers,
 * training.activation) is that of the cells that set none.
 */
export interface RenderCapacityParams extends Architecture {
  readonly sweeps: Readonly<Record<string, SweepParams>>;
  readonly style: StyleParams;
}

/** Draws one capacity figure per sweep that lists hidden layers. */
export async function run(ctx: StageContext<RenderCapacityParams>): Promise<void> {
  const stats = await readStats(inputDir(ctx.inputs, "stats"));
  const { sweeps, layers, activation, style } = ctx.params;
  const names = capacitySweeps(sweeps);
  for (const [i, sweep] of names.entries()) {
    ctx.progress(i, names.length);
    const cells = designRows({
      configs: {},
      replicates: { seeds: 1, draws: 1 },
      sweeps: { [sweep]: sweeps[sweep]! },
      layers,
      activation,
    });
    const svg = await renderSvg(capacitySpec({ sweep, cells, stats, style }));
    await Deno.writeTextFile(join(ctx.outDir, `capacity-${sweep}.svg`), svg);
  }
  ctx.progress(names.length, names.length);
}
