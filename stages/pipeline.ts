/**
 * The blog post's pipeline: which stages exist, what each reads and writes. Only declarations
 * live here (module URLs, parameter paths, file names), so that loading the graph stays cheap:
 * the stage modules themselves, with tfjs and vega, are imported only in the workers that run them.
 *
 * Every configuration and sweep cell is trained once per replicate (training seed × data draw,
 * see design.ts); a replicate's weights, activation, seed and draw are literal parameters of its
 * stages, so identical runs have identical keys and a sweep cell that repeats a configuration
 * reuses its stages rather than declaring its own.
 *
 * @module
 */
import type { Pipeline, StageDecl } from "../pipeline/core/stage.ts";
import { capacitySweeps, designRuns, heatmaps, type Row, type Run, runInput } from "./design.ts";
import { CLAIM_IDS, type Params } from "./params_schema.ts";
import { claimedRows, claimedSearchSeeds } from "./claimed_design.ts";
import { validate } from "./validation.ts";
import { runStages } from "./run_stages.ts";
import { CLAIMED_SEARCH } from "./claims/search_claim.ts";
import {
  type ComparedSweep,
  type Read,
  searchStages,
  searchTableStage,
} from "./search/search_stages.ts";

const here = (file: string): string => new URL(file, import.meta.url).href;

/** The loss, fit and inversion figures of seed 0, draw 0 of a row, published under `figures/<row>/`. */
function renderStage(row: Row, first: Run, config: StageDecl["params"][string]): StageDecl {
  return {
    id: `render/${row.id}`,
    module: here("./figures/render.ts"),
    description: "loss, fit and inversion figures of one configuration (seed 0, data draw 0)",
    inputs: {
      data: "generate/d0",
      model: `train/${first.stage}`,
      evaluation: `evaluate/${first.stage}`,
    },
    params: { config, style: "style" },
    outputs: ["loss.svg", "fit.svg", "inversion.svg"],
    publish: {
      "loss.svg": `figures/${row.id}/loss.svg`,
      "fit.svg": `figures/${row.id}/fit.svg`,
      "inversion.svg": `figures/${row.id}/inversion.svg`,
    },
  };
}

/** The heatmap files of every sweep: output name → published path. */
export function heatmapFiles(params: Pick<Params, "sweeps" | "training">): Record<string, string> {
  return Object.fromEntries(
    heatmaps(params.sweeps, params.training.activation).map(({ sweep, activation: a }) => [
      `heatmap-${sweep}-${a}.svg`,
      `figures/${sweep}/heatmap-${a}.svg`,
    ]),
  );
}

/** The stages that read the searches: declared once every search is whole. */
const READ_SEARCHES = new Set(["claims", "report", "post"]);

/**
 * Declares every stage of the experiment for the given parameters; the searches' later rungs,
 * and the stages that read the searches, as far as `known` has their selections (see
 * search/search_stages.ts).
 */
export function declareStages(params: Params, known?: { read: Read }): StageDecl[] {
  const { rows, groups } = claimedRows(params);
  const runs = designRuns(rows);
  const compared = (sweep: string): ComparedSweep => {
    const cells = rows.filter((r) => r.sweep === sweep);
    return {
      cells: cells.map(({ id, lambda, mu }) => ({ id, lambda, mu })),
      runs: Object.fromEntries(
        runs.filter((r) => cells.some((c) => c.id === r.row)).map((r) => [
          runInput(r),
          `evaluate/${r.stage}`,
        ]),
      ),
    };
  };
  const raised = claimedSearchSeeds(params, params.statistics);
  const searches = Object.entries(params.searches).map(([name, s]) => ({
    name,
    ...searchStages(
      name,
      name === CLAIMED_SEARCH && raised !== undefined
        ? { ...s, replicates: { ...s.replicates, seeds: raised } }
        : s,
      known?.read ?? (() => undefined),
      compared(s.compare),
    ),
  }));
  const bySearch = Object.fromEntries(
    searches.map((s) => [`search-${s.name}`, searchTableStage(s.name)]),
  );
  const searchFigures = Object.fromEntries(
    searches.map((s) => [`figure-${s.name}`, `render-search/${s.name}`]),
  );
  const byRow = new Map(rows.map((r) => [r.id, r]));
  const draws = Math.max(...rows.map((r) => r.draws));
  const firstRun = (row: string): Run => runs.find((r) => r.row === row)!;
  const configs = Object.keys(params.configs);

  const generate = Array.from({ length: draws }, (_, d): StageDecl => ({
    id: `generate/d${d}`,
    module: here("./data/generate.ts"),
    description: d === 0
      ? "draw the post's point cloud from the post-nonlinear model"
      : `draw point cloud ${d} (fresh splines and points) from the post-nonlinear model`,
    inputs: {},
    params: { data: "data", draw: { value: d } },
    outputs: ["points.csv", "curve.csv", "spline.json"],
  }));
  const perRun = runs.filter((r) => r.stage === runInput(r)).flatMap((r) =>
    runStages(byRow.get(r.row)!, r)
  );
  const renders = [
    ...configs.map((c) => renderStage(byRow.get(c)!, firstRun(c), `configs.${c}`)),
    ...Object.entries(params.sweeps).flatMap(([sweep, s]) =>
      (s.figures ?? []).map((cell) => {
        const row = byRow.get(`${sweep}/${cell}`)!;
        const { lambda, mu, activation, layers } = row;
        return renderStage(row, firstRun(row.id), { value: { lambda, mu, activation, layers } });
      })
    ),
  ];
  const heatmapOutputs = heatmapFiles(params);
  const capacity = capacitySweeps(params.sweeps);
  const designParams = {
    configs: "configs",
    replicates: "replicates",
    sweeps: "sweeps",
    layers: "training.layers",
    activation: "training.activation",
  } as const;
  const all: StageDecl[] = [
    ...generate,
    ...perRun,
    ...searches.flatMap((s) => s.stages),
    ...renders,
    {
      id: "summarise",
      module: here("./stats/summarise.ts"),
      description: "one row of metrics per configuration (seed 0, data draw 0)",
      inputs: Object.fromEntries(configs.map((c) => [c, `evaluate/${firstRun(c).stage}`])),
      params: { configs: "configs" },
      outputs: ["metrics.csv"],
      publish: { "metrics.csv": "metrics.csv" },
    },
    {
      id: "collect",
      module: here("./stats/collect.ts"),
      description: "every run's metrics, one row per configuration or cell, seed and draw",
      inputs: Object.fromEntries(runs.map((r) => [runInput(r), `evaluate/${r.stage}`])),
      params: { ...designParams, groups: { value: groups }, trainingSeed: "training.seed" },
      outputs: ["replicates.csv"],
      publish: { "replicates.csv": "replicates.csv" },
    },
    {
      id: "stats",
      module: here("./stats/stats.ts"),
      description: "mean, std and bootstrap confidence interval of every metric over replicates",
      inputs: { replicates: "collect" },
      params: { statistics: "statistics" },
      outputs: ["stats.csv"],
      publish: { "stats.csv": "stats.csv" },
    },
    {
      id: "claims",
      module: here("./claims/claims.ts"),
      description: "the post's claims decided with confidence intervals",
      inputs: { replicates: "collect", ...bySearch },
      params: { ...designParams, statistics: "statistics", searches: "searches" },
      outputs: ["claims.json", "claims.md"],
      publish: { "claims.json": "claims.json", "claims.md": "figures/claims.md" },
    },
    {
      id: "loss-bands",
      module: here("./stats/loss_bands.ts"),
      description: "training curves of each configuration over its replicates",
      // The configurations' own replicates: those a claim added are not drawn.
      inputs: Object.fromEntries(
        runs.filter((r) =>
          Object.hasOwn(params.configs, r.row) && r.seed < params.replicates.seeds &&
          r.draw < params.replicates.draws
        ).map((r) => [runInput(r), `train/${r.stage}`]),
      ),
      params: { configs: "configs", replicates: "replicates" },
      outputs: ["loss_bands.csv"],
    },
    {
      id: "render-data",
      module: here("./figures/render_data.ts"),
      description: "the point cloud with its noiseless curve",
      inputs: { data: "generate/d0" },
      params: { style: "style" },
      outputs: ["data.svg"],
      publish: { "data.svg": "figures/data.svg" },
    },
    {
      id: "render-bands",
      module: here("./figures/render_bands.ts"),
      description: "training curves of the configurations: mean and range over replicates",
      inputs: { bands: "loss-bands" },
      params: { configs: "configs", replicates: "replicates", style: "style" },
      outputs: ["loss_bands.svg"],
      publish: { "loss_bands.svg": "figures/loss_bands.svg" },
    },
    ...(Object.keys(heatmapOutputs).length === 0 ? [] : [{
      id: "render-grid",
      module: here("./figures/render_grid.ts"),
      description: "heatmaps of fit and inversion error over each sweep's λ × μ grid",
      inputs: { stats: "stats" },
      params: { sweeps: "sweeps", activation: "training.activation", style: "style" },
      outputs: Object.keys(heatmapOutputs),
      publish: heatmapOutputs,
    }]),
    ...(capacity.length === 0 ? [] : [{
      id: "render-capacity",
      module: here("./figures/render_capacity.ts"),
      description: "fit and inversion error against network size, for each sweep of layers",
      inputs: { stats: "stats" },
      params: {
        sweeps: "sweeps",
        layers: "training.layers",
        activation: "training.activation",
        style: "style",
      },
      outputs: capacity.map((s) => `capacity-${s}.svg`),
      publish: Object.fromEntries(
        capacity.map((s) => [`capacity-${s}.svg`, `figures/${s}/capacity.svg`]),
      ),
    }]),
    {
      id: "render-tradeoff",
      module: here("./figures/render_tradeoff.ts"),
      description: "fit error against inversion error, every configuration and sweep cell",
      inputs: { stats: "stats" },
      params: { configs: "configs", style: "style" },
      outputs: ["tradeoff.svg"],
      publish: { "tradeoff.svg": "figures/tradeoff.svg" },
    },
    {
      id: "report",
      module: here("./report/report.ts"),
      description: "metrics table, figure list and the index page, the claims first",
      // `tradeoff` is not read: the page links figures/tradeoff.svg, so it follows the stage
      // that draws it.
      inputs: {
        metrics: "summarise",
        claims: "claims",
        tradeoff: "render-tradeoff",
        ...(capacity.length === 0 ? {} : { capacity: "render-capacity" }),
        ...bySearch,
        ...searchFigures,
      },
      params: {
        configs: "configs",
        sweeps: "sweeps",
        layers: "training.layers",
        activation: "training.activation",
        searches: "searches",
        style: "style",
      },
      outputs: ["metrics.md", "figures.json", "index.html"],
      publish: {
        "metrics.md": "figures/metrics.md",
        "figures.json": "figures/figures.json",
        "index.html": "index.html",
      },
    },
    {
      id: "post",
      module: here("./report/post.ts"),
      description: "the example post with this reproduction's numbers and figures",
      // `report` is not read: the post links the figures, so it follows the stages that draw
      // them, as the index page does.
      inputs: {
        claims: "claims",
        stats: "stats",
        metrics: "summarise",
        report: "report",
        ...bySearch,
      },
      params: {
        configs: "configs",
        sweeps: "sweeps",
        data: "data",
        training: "training",
        replicates: "replicates",
        searches: "searches",
        statistics: "statistics",
      },
      outputs: ["post.md", "post.html"],
      publish: { "post.md": "post.md", "post.html": "post.html" },
    },
  ];
  return searches.every((s) => s.whole) ? all : all.filter((d) => !READ_SEARCHES.has(d.id));
}

/** The experiment as the engine sees it. */
export const experiment: Pipeline<Params> = {
  paramsFile: "params.json",
  validate,
  stages: declareStages,
  trustedKeys: "stages/trusted_keys.json",
  compare: async () => (await import("./report/compare_page.ts")).comparePage,
  decide: {
    noun: "claim",
    targets: CLAIM_IDS,
    reads: ["claims"],
    next: async () => (await import("./claims/decide_next.ts")).nextRound,
  },
};
