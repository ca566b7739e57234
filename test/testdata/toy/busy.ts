/** Toy CPU-bound stage: spins for `ms` milliseconds, reporting progress. @module */
import type { StageContext } from "../../../pipeline/core/stage.ts";
import { count } from "./_count.ts";

/** Busy-loops (no awaits: it holds its thread, as training does), then writes `busy.txt`. */
export async function run(ctx: StageContext<{ ms: number }>): Promise<void> {
  await count("busy", ctx.params, ctx.outDir);
  const start = performance.now();
  let x = 0;
  for (let i = 1; performance.now() - start < ctx.params.ms; i++) {
    x = (x + Math.sqrt(i)) % 1000;
    if (i % 100_000 === 0) {
      ctx.progress(Math.min(performance.now() - start, ctx.params.ms), ctx.params.ms);
    }
  }
  await Deno.writeTextFile(`${ctx.outDir}/busy.txt`, `spun ${ctx.params.ms} ms\n`);
}
