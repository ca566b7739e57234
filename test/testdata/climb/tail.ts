/** Toy stage reading a walk: writes its last line. @module */
import type { StageContext } from "../../../pipeline/core/stage.ts";
import { count } from "../toy/_count.ts";

/** Writes `tail.txt`, the walk's last line. */
export async function run(ctx: StageContext): Promise<void> {
  await count("tail", {}, ctx.outDir);
  const lines = (await Deno.readTextFile(`${ctx.inputs.walk}/walk.txt`)).trim().split("\n");
  await Deno.writeTextFile(`${ctx.outDir}/tail.txt`, `${lines.at(-1)}\n`);
}
