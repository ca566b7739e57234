/**
 * A stage for the worker pool's tests: writes which worker ran it (an id drawn once per module
 * load, so one per worker), whether a global set by an earlier stage is visible, and on demand
 * sets that global, patches a built-in, or throws.
 *
 * @module
 */
import type { StageContext } from "../../../pipeline/core/stage.ts";

/** Drawn when the module loads: the same in every stage a worker runs. */
const WORKER = crypto.randomUUID();

/** What the probe does besides reporting. */
export type ProbeMode = "report" | "set-global" | "patch-builtin" | "throw" | "hang";

/** Writes `probe.json` = {worker, sawGlobal}; then does what `mode` says. */
export async function run(ctx: StageContext<{ mode: ProbeMode }>): Promise<void> {
  const g = globalThis as { psinvProbeLeak?: unknown };
  await Deno.writeTextFile(
    `${ctx.outDir}/probe.json`,
    JSON.stringify({ worker: WORKER, sawGlobal: g.psinvProbeLeak !== undefined }),
  );
  switch (ctx.params.mode) {
    case "set-global":
      g.psinvProbeLeak = true;
      return;
    case "patch-builtin":
      Math.random = () => 0.5;
      return;
    case "throw":
      throw new Error("probe failed on purpose");
    case "hang":
      await new Promise(() => {});
      return;
    case "report":
      return;
  }
}
