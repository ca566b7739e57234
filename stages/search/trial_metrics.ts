/**
 * What a search ranks a trial by: its fit error mean|f(x) − y|² + mean|g(y) − x|² and its
 * inversion error mean|x − g(f(x))|² + mean|y − f(g(y))|² (stats.csv's `fit` and `inv`), each
 * the mean over the trial's replicates at one rung, read from their `metrics.json`.
 *
 * @module
 */
import { join } from "node:path";
import type { EvaluationMetrics } from "../model/evaluation_format.ts";
import { metricValue } from "../stats/stats_format.ts";
import { mean } from "../stats/bootstrap.ts";
import { parseTrialInput } from "./trials.ts";

/** One trial's replicate at one rung: its errors. */
export interface TrialRun {
  readonly trial: number;
  readonly seed: number;
  readonly draw: number;
  /** The rung's epochs, when the input named them. */
  readonly epochs?: number;
  readonly fit: number;
  readonly inversion: number;
}

/** A run's fit and inversion errors, from its evaluation's `metrics.json` (NaN where missing). */
export async function readErrors(dir: string): Promise<{ fit: number; inversion: number }> {
  const metrics = JSON.parse(
    await Deno.readTextFile(join(dir, "metrics.json")),
  ) as EvaluationMetrics;
  return {
    fit: metricValue({ metrics }, "fit") ?? NaN,
    inversion: metricValue({ metrics }, "inv") ?? NaN,
  };
}

/**
 * Reads every input named as a trial's replicate (trials.ts' `trialInput`); other inputs are
 * skipped. A missing error (never, on the data) reads as NaN, which ranks last.
 */
export async function readTrialRuns(
  inputs: Readonly<Record<string, string>>,
): Promise<TrialRun[]> {
  const runs: TrialRun[] = [];
  for (const [name, dir] of Object.entries(inputs)) {
    const at = parseTrialInput(name);
    if (at === undefined) continue;
    runs.push({ ...at, ...await readErrors(dir) });
  }
  return runs;
}

/**
 * Each trial's mean errors over its replicates, trials ascending.
 *
 * @example
 * ```ts
 * import { trialMeans } from "./trial_metrics.ts";
 * trialMeans([{ trial: 1, seed: 0, draw: 0, fit: 1, inversion: 4 }, { trial: 1, seed: 1, draw: 0, fit: 3, inversion: 2 }]);
 * // [{ trial: 1, fit: 2, inversion: 3, runs: 2 }]
 * ```
 */
export function trialMeans(
  runs: readonly TrialRun[],
): { trial: number; fit: number; inversion: number; runs: number }[] {
  const by = new Map<number, TrialRun[]>();
  for (const r of runs) by.set(r.trial, [...(by.get(r.trial) ?? []), r]);
  return [...by.entries()].sort(([a], [b]) => a - b).map(([trial, rs]) => ({
    trial,
    fit: mean(rs.map((r) => r.fit)),
    inversion: mean(rs.map((r) => r.inversion)),
    runs: rs.length,
  }));
}
