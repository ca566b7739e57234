/** The big stage: writes `mib` MiB of a deterministic pattern, one MiB at a time. @module */
import type { StageContext } from "../../../pipeline/core/stage.ts";

/** Writes `big.bin`, each MiB its index in every byte of its first 8. */
export async function run(ctx: StageContext<{ mib: number }>): Promise<void> {
  const f = await Deno.open(`${ctx.outDir}/big.bin`, { write: true, create: true });
  try {
    const chunk = new Uint8Array(1024 * 1024);
    for (let i = 0; i < ctx.params.mib; i++) {
      chunk.fill(i % 251);
      new DataView(chunk.buffer).setFloat64(0, i);
      let written = 0;
      while (written < chunk.length) written += await f.write(chunk.subarray(written));
    }
  } finally {
    f.close();
  }
}
