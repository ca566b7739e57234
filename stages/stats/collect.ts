/**
 * The `collect` stage: every run's `metrics.json` gathered into `replicates.csv`, in the design's
 * order (rows as in `params.json`, draws outer, seeds inner).
 *
 * @module
 */
import { join } from "node:path";
import type { StageContext } from "../../pipeline/core/stage.ts";
import { EVALUATION_METRICS, type EvaluationMetrics } from "../model/evaluation_format.ts";
import { type DesignParams, designRows, designRuns, runInput } from "../design.ts";
import type { ReplicateRow } from "./replicates_format.ts";
import { formatReplicates } from "./replicates_table.ts";

/** The parameters `collect` reads (see stages/pipeline.ts). */
export interface CollectParams extends DesignParams {
  /** training.seed: replicate i was trained with seed `trainingSeed + i`. */
  readonly trainingSeed: number;
}

/** Writes `replicates.csv` from the `metrics.json` of every run (inputs named `<row>/s<i>-d<d>`). */
export async function run(ctx: StageContext<CollectParams>): Promise<void> {
  const rows = designRows(ctx.params);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const out: ReplicateRow[] = [];
  for (const r of designRuns(rows)) {
    const name = runInput(r);
    const dir = ctx.inputs[name];
    if (dir === undefined) throw new Error(`collect: missing input "${name}"`);
    const m = JSON.parse(await Deno.readTextFile(join(dir, "metrics.json"))) as EvaluationMetrics;
    const row = byId.get(r.row)!;
    out.push({
      id: row.id,
      lambda: row.lambda,
      mu: row.mu,
      activation: row.activation,
      seed: ctx.params.trainingSeed + r.seed,
      draw: r.draw,
      metrics: Object.fromEntries(EVALUATION_METRICS.map((k) => [k, m[k] ?? null])) as ReplicateRow[
        "metrics"
      ],
    });
  }
  await Deno.writeTextFile(join(ctx.outDir, "replicates.csv"), formatReplicates(out));
}
