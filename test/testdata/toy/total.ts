/** Toy summary stage: concatenates every step. @module */
import type { StageContext } from "../../../pipeline/core/stage.ts";
import { count } from "./_count.ts";

/** Writes `total.txt`, inputs in name order. */
export async function run(ctx: StageContext): Promise<void> {
  await count("total", ctx.params, ctx.outDir);
  let text = "";
  for (const name of Object.keys(ctx.inputs).sort()) {
    text += `[${name}]\n` + await Deno.readTextFile(`${ctx.inputs[name]}/step.txt`);
  }
  await Deno.writeTextFile(`${ctx.outDir}/total.txt`, text);
}
