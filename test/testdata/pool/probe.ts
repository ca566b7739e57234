/**
 * A stage for the worker pool's tests: writes which worker ran it (an id drawn once per module
 * load, so one per worker), whether a global set by an earlier stage is visible, and on demand
 * sets that global, patches a built-in, throws (now, or later from a timer it leaves behind),
 * takes its time, or never ends.
 *
 * @module
 */
import type { StageContext } from "../../../pipeline/core/stage.ts";

/** Drawn when the module loads: the same in every stage a worker runs. */
const WORKER = crypto.randomUUID();

/** What the probe does besides reporting. */
export type ProbeMode =
  | "report"
  | "slow-report"
  | "set-global"
  | "patch-builtin"
  | "throw"
  | "throw-later"
  | "hang";

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
    case "throw-later":
      // Ends well, but leaves a timer that throws while the worker runs whatever comes next.
      setTimeout(() => {
        throw new Error("probe's leftover timer");
      }, 100);
      return;
    case "slow-report":
      await new Promise((resolve) => setTimeout(resolve, 600));
      return;
    case "hang":
      await new Promise(() => {});
      return;
    case "report":
      return;
  }
}
