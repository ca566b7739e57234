/**
 * The two stages of one training run, `train/<run>` and `evaluate/<run>`: declarations only
 * (module URLs, parameter paths, file names), shared by the design's rows (pipeline.ts) and the
 * searches' trials (search/search_stages.ts).
 *
 * @module
 */
import type { StageDecl } from "../pipeline/core/stage.ts";
import type { Row, Run } from "./design.ts";

const here = (file: string): string => new URL(file, import.meta.url).href;

/**
 * A run's training and evaluation. Its weights, activation, seed and draw are literals, so
 * identical runs have identical keys; `epochs`, when given, is a literal too (a search's rung),
 * else `training.epochs` with its kept states `training.checkpoints`.
 *
 * @example
 * ```ts
 * import { runStages } from "./run_stages.ts";
 * const row = { lambda: 1, mu: 1, layers: [30, 30], activation: "relu" } as const;
 * runStages(row, { stage: "lam1/s0-d0", seed: 0, draw: 0 }).map((d) => d.id);
 * // ["train/lam1/s0-d0", "evaluate/lam1/s0-d0"]
 * ```
 */
export function runStages(
  row: Pick<Row, "lambda" | "mu" | "layers" | "activation">,
  run: Pick<Run, "stage" | "seed" | "draw">,
  epochs?: number,
): StageDecl[] {
  const id = run.stage;
  return [
    {
      id: `train/${id}`,
      module: here("./model/train.ts"),
      description: "train f and g on the point cloud",
      inputs: { data: `generate/d${run.draw}` },
      params: {
        // The settings one by one: the default network (training.layers, training.activation)
        // is not among them, since the row's own network is a literal below.
        epochs: epochs === undefined ? "training.epochs" : { value: epochs },
        learningRate: "training.learningRate",
        batchSize: "training.batchSize",
        seed: "training.seed",
        backend: "training.backend",
        ...(epochs === undefined ? { checkpoints: "training.checkpoints" } : {}),
        lambda: { value: row.lambda },
        mu: { value: row.mu },
        layers: { value: row.layers },
        activation: { value: row.activation },
        replicate: { value: run.seed },
        draw: { value: run.draw },
      },
      outputs: ["weights.json", "history.csv"],
      // More epochs extend fewer: a longer training continues a stored shorter one.
      progress: epochs === undefined
        ? { param: "epochs", checkpoints: "checkpoints" }
        : { param: "epochs" },
      // A generous limit: it stops a hung run (locally too), not a slow one.
      resources: { time: "1:00:00", mem: "2G", cpus: 1 },
    },
    {
      id: `evaluate/${id}`,
      module: here("./model/evaluate.ts"),
      description: "evaluate f, g and their compositions on the data and off it",
      inputs: { data: `generate/d${run.draw}`, model: `train/${id}` },
      params: { evaluation: "evaluation" },
      outputs: ["f_curve.csv", "g_curve.csv", "inv_data.csv", "metrics.json"],
    },
  ];
}
