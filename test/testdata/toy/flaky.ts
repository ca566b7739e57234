/** Toy stage that fails on demand. @module */
import { type StageContext, StageError } from "../../../pipeline/core/stage.ts";
import { count } from "./_count.ts";

/** `mode`: "none" writes `flaky.txt`; "throw", "stage-error", "no-output" fail in those ways. */
export async function run(ctx: StageContext<{ mode: string }>): Promise<void> {
  await count("flaky", ctx.params, ctx.outDir);
  switch (ctx.params.mode) {
    case "throw":
      throw new Error("boom");
    case "stage-error":
      throw new StageError("toy-broken", "the toy broke", "mend the toy");
    case "no-output":
      return;
  }
  await Deno.writeTextFile(`${ctx.outDir}/flaky.txt`, "fine\n");
}
