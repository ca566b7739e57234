/** Toy stage downstream of `flaky`. @module */
import type { StageContext } from "../../../pipeline/core/stage.ts";
import { count } from "./_count.ts";

/** Copies flaky's output. */
export async function run(ctx: StageContext): Promise<void> {
  await count("after", ctx.params, ctx.outDir);
  await Deno.copyFile(`${ctx.inputs.f}/flaky.txt`, `${ctx.outDir}/after.txt`);
}
