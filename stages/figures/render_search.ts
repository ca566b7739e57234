/**
 * Stage `render-search/<name>`: `front.svg`, a search's front against its sweep's, from the
 * search's `front.json`.
 *
 * @module
 */
import { join } from "node:path";
import type { StageContext } from "../../pipeline/core/stage.ts";
import type { StyleParams } from "../params_schema.ts";
import type { FrontSummary } from "../search/front_format.ts";
import { inputDir } from "./figure_inputs.ts";
import { searchFrontSpec } from "./specs/search_front.ts";
import { renderSvg } from "./svg.ts";

/** The parameters `render-search` reads (see search/search_stages.ts). */
export interface RenderSearchParams {
  readonly style: StyleParams;
}

/** Draws `front.svg` from the `search` input. */
export async function run(ctx: StageContext<RenderSearchParams>): Promise<void> {
  const text = await Deno.readTextFile(join(inputDir(ctx.inputs, "search"), "front.json"));
  const spec = searchFrontSpec(JSON.parse(text) as FrontSummary, ctx.params.style);
  await Deno.writeTextFile(join(ctx.outDir, "front.svg"), await renderSvg(spec));
}
