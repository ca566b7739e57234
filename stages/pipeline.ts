/**
 * The blog post's pipeline: which stages exist, what each reads and writes. Only declarations
 * live here (module URLs, parameter paths, file names), so that loading the graph stays cheap:
 * the stage modules themselves, with tfjs and vega, are imported only in the workers that run them.
 *
 * @module
 */
import type { Pipeline, StageDecl } from "../pipeline/core/stage.ts";
import { validateWith } from "../pipeline/params/validate.ts";
import { type Params, paramsSchema } from "./params_schema.ts";

const here = (file: string): string => new URL(file, import.meta.url).href;

/** Declares every stage of the experiment for the given parameters. */
export function declareStages(params: Params): StageDecl[] {
  const configs = Object.keys(params.configs);
  const perConfig = configs.flatMap((c): StageDecl[] => [
    {
      id: `train/${c}`,
      module: here("./model/train.ts"),
      description: "train f and g on the point cloud",
      inputs: { data: "generate" },
      params: {
        training: "training",
        lambda: `configs.${c}.lambda`,
        mu: `configs.${c}.mu`,
        activation: `configs.${c}.activation`,
      },
      outputs: ["weights.json", "history.csv"],
      // 500 epochs take seconds; the limit stops a hung run (locally too), not a slow one.
      resources: { time: "1:00:00", mem: "2G", cpus: 1 },
    },
    {
      id: `evaluate/${c}`,
      module: here("./model/evaluate.ts"),
      description: "evaluate f, g and their compositions on the data and off it",
      inputs: { data: "generate", model: `train/${c}` },
      params: { evaluation: "evaluation" },
      outputs: ["f_curve.csv", "g_curve.csv", "inv_data.csv", "metrics.json"],
    },
    {
      id: `render/${c}`,
      module: here("./figures/render_config.ts"),
      description: "loss, fit and inversion figures of one configuration",
      inputs: { data: "generate", model: `train/${c}`, evaluation: `evaluate/${c}` },
      params: { config: `configs.${c}`, style: "style" },
      outputs: ["loss.svg", "fit.svg", "inversion.svg"],
      publish: {
        "loss.svg": `figures/${c}/loss.svg`,
        "fit.svg": `figures/${c}/fit.svg`,
        "inversion.svg": `figures/${c}/inversion.svg`,
      },
    },
  ]);
  return [
    {
      id: "generate",
      module: here("./data/generate.ts"),
      description: "draw the point cloud from the post-nonlinear model",
      inputs: {},
      params: { data: "data" },
      outputs: ["points.csv", "curve.csv", "spline.json"],
    },
    ...perConfig,
    {
      id: "summarise",
      module: here("./stats/summarise.ts"),
      description: "one row of metrics per configuration",
      inputs: Object.fromEntries(configs.map((c) => [c, `evaluate/${c}`])),
      params: { configs: "configs" },
      outputs: ["metrics.csv"],
      publish: { "metrics.csv": "metrics.csv" },
    },
    {
      id: "render-data",
      module: here("./figures/render_data.ts"),
      description: "the point cloud with its noiseless curve",
      inputs: { data: "generate" },
      params: { style: "style" },
      outputs: ["data.svg"],
      publish: { "data.svg": "figures/data.svg" },
    },
    {
      id: "render-summary",
      module: here("./figures/render_summary.ts"),
      description: "trade-off figure, metrics table, figure list and the index page",
      inputs: { metrics: "summarise" },
      params: { configs: "configs", style: "style" },
      outputs: ["tradeoff.svg", "metrics.md", "figures.json", "index.html"],
      publish: {
        "tradeoff.svg": "figures/tradeoff.svg",
        "metrics.md": "figures/metrics.md",
        "figures.json": "figures/figures.json",
        "index.html": "index.html",
      },
    },
  ];
}

/** The experiment as the engine sees it. */
export const experiment: Pipeline<Params> = {
  paramsFile: "params.json",
  validate: validateWith(paramsSchema),
  stages: declareStages,
};
