/**
 * The `stats` stage: `stats.csv` from `replicates.csv` — per configuration and sweep cell, per
 * metric, the mean, standard deviation and bootstrap confidence interval over the replicates.
 *
 * @module
 */
import { join } from "node:path";
import type { StageContext } from "../../pipeline/core/stage.ts";
import { createRng } from "../data/random.ts";
import type { StatisticsParams } from "../params_schema.ts";
import { bootstrapMeanCi, mean, median, std } from "./bootstrap.ts";
import { clopperPearson } from "./distributions.ts";
import type { ReplicateRow } from "./replicates_format.ts";
import { parseReplicates } from "./replicates_table.ts";
import { metricValue, STAT_METRICS, type StatsRow } from "./stats_format.ts";
import { formatStats } from "./stats_table.ts";

/**
 * The share of `runs` that flipped (f sloping against the data) with Clopper–Pearson's exact
 * interval at `confidence`; runs without the measure are not counted.
 *
 * @example
 * ```ts
 * import { flipRate } from "./stats.ts";
 * flipRate([], 0.95).runs; // 0
 * ```
 */
export function flipRate(
  runs: readonly Pick<ReplicateRow, "metrics">[],
  confidence: number,
): { flipped: number; runs: number; rate: number; low: number; high: number } {
  const judged = runs.filter((r) => r.metrics.flipped !== null);
  const flipped = judged.filter((r) => r.metrics.flipped === 1).length;
  const ci = clopperPearson(flipped, judged.length, confidence);
  return {
    flipped,
    runs: judged.length,
    rate: flipped / judged.length,
    low: ci.low,
    high: ci.high,
  };
}

/** The parameters `stats` reads (see stages/pipeline.ts). */
export interface StatsParams {
  readonly statistics: StatisticsParams;
}

/**
 * The lines of `stats.csv`: rows in order of first appearance, metrics in
 * {@linkcode STAT_METRICS} order; a metric no replicate has (no off-data margin) is left out.
 * Each interval resamples from its own stream (named by row and metric), so adding a row or a
 * metric leaves every other interval as it was.
 */
export function describeReplicates(
  runs: readonly ReplicateRow[],
  statistics: StatisticsParams,
): StatsRow[] {
  const byId = new Map<string, ReplicateRow[]>();
  for (const r of runs) {
    const list = byId.get(r.id);
    if (list === undefined) byId.set(r.id, [r]);
    else list.push(r);
  }
  const out: StatsRow[] = [];
  for (const [id, list] of byId) {
    const first = list[0]!;
    const flips = flipRate(list, statistics.confidence);
    for (const metric of STAT_METRICS) {
      const present = list.flatMap((r) => {
        const v = metricValue(r, metric);
        return v === null ? [] : [{ v, draw: r.draw }];
      });
      if (present.length === 0) continue;
      const values = present.map((p) => p.v);
      const ci = bootstrapMeanCi(values, present.map((p) => p.draw), {
        resamples: statistics.resamples,
        confidence: statistics.confidence,
        rng: createRng(statistics.seed, `stats/${id}/${metric}`),
      });
      out.push({
        id,
        lambda: first.lambda,
        mu: first.mu,
        activation: first.activation,
        metric,
        n: values.length,
        mean: mean(values),
        median: median(values),
        std: std(values),
        ci_low: ci.low,
        ci_high: ci.high,
        flipped: flips.rate,
        flipped_ci_low: flips.low,
        flipped_ci_high: flips.high,
      });
    }
  }
  return out;
}

/** Writes `stats.csv` from the `replicates` input's `replicates.csv`. */
export async function run(ctx: StageContext<StatsParams>): Promise<void> {
  const dir = ctx.inputs["replicates"];
  if (dir === undefined) throw new Error('stats: missing input "replicates"');
  const runs = parseReplicates(await Deno.readTextFile(join(dir, "replicates.csv")));
  await Deno.writeTextFile(
    join(ctx.outDir, "stats.csv"),
    formatStats(describeReplicates(runs, ctx.params.statistics)),
  );
}
