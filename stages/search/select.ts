/**
 * The `select/<search>/r<r>` stage: successive halving's decision at one rung. It ranks the
 * rung's trials by their mean fit and inversion errors with non-dominated sorting and crowding
 * distance (pareto.ts, as NSGA-II does) and keeps the best ⌊n/η⌋ (at least one); `promoted.json`
 * lists them. Deterministic, so a rerun reuses its result and the trials it promoted.
 *
 * @module
 */
import { join } from "node:path";
import type { StageContext } from "../../pipeline/core/stage.ts";
import { rungSizes } from "./halving.ts";
import { selectBest } from "./pareto.ts";
import { type Promoted, PROMOTED_FILE } from "./promoted_format.ts";
import { readTrialRuns, trialMeans } from "./trial_metrics.ts";

/** What a selection is given. */
export interface SelectParams {
  /** Each rung keeps the best 1/eta. */
  readonly eta: number;
  /** The rung selected from. */
  readonly rung: number;
}

/**
 * The selection of `trials` (mean errors per trial): which go on.
 *
 * @example
 * ```ts
 * import { promote } from "./select.ts";
 * const t = (trial: number, fit: number, inversion: number) => ({ trial, fit, inversion, runs: 1 });
 * promote([t(0, 1, 1), t(4, 2, 2), t(7, 0.5, 3)], 3, 0).promoted; // [0]
 * ```
 */
export function promote(
  trials: readonly { trial: number; fit: number; inversion: number }[],
  eta: number,
  rung: number,
): Promoted {
  const [, keep] = rungSizes(trials.length, 2, eta) as [number, number];
  const best = selectBest(trials.map((t) => [t.fit, t.inversion]), keep);
  return {
    rung,
    ranked: trials.map((t) => t.trial),
    promoted: best.map((i) => trials[i]!.trial).sort((a, b) => a - b),
  };
}

/** Writes `promoted.json` from the rung's trials (inputs named `t<i>/s<seed>-d<draw>`). */
export async function run(ctx: StageContext<SelectParams>): Promise<void> {
  const trials = trialMeans(await readTrialRuns(ctx.inputs));
  const promoted = promote(trials, ctx.params.eta, ctx.params.rung);
  await Deno.writeTextFile(join(ctx.outDir, PROMOTED_FILE), JSON.stringify(promoted) + "\n");
}
