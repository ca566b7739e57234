/** Toy per-configuration stage: reads the source and appends its k. @module */
import type { StageContext } from "../../../pipeline/core/stage.ts";
import { count } from "./_count.ts";

/** Writes `step.txt` = source + k. */
export async function run(ctx: StageContext<{ k: number }>): Promise<void> {
  await count("step", ctx.params, ctx.outDir);
  const source = await Deno.readTextFile(`${ctx.inputs.src}/source.txt`);
  await Deno.writeTextFile(`${ctx.outDir}/step.txt`, `${source}k=${ctx.params.k}\n`);
}
