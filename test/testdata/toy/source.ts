/** Toy source stage: writes its seed. @module */
import type { StageContext } from "../../../pipeline/core/stage.ts";
import { count } from "./_count.ts";

/** Writes `source.txt`. */
export async function run(ctx: StageContext<{ seed: number }>): Promise<void> {
  await count("source", ctx.params, ctx.outDir);
  await Deno.writeTextFile(`${ctx.outDir}/source.txt`, `seed=${ctx.params.seed}\n`);
}
