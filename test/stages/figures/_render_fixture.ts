/**
 * Synthetic inputs for the render and report stages, in the formats the earlier stages write, and
 * helpers to run those stages into an `artifacts/`-shaped folder. Small (40 points) so that tests
 * stay fast and snapshots stay readable.
 *
 * @module
 */
import { join } from "node:path";
import type { StageContext } from "../../../pipeline/core/stage.ts";
import type {
  ConfigParams,
  StatisticsParams,
  StyleParams,
  SweepParams,
} from "../../../stages/params_schema.ts";
import { decideClaims } from "../../../stages/claims/verdicts.ts";
import { claimsMarkdown } from "../../../stages/claims/claims_markdown.ts";
import type { ClaimsFile } from "../../../stages/claims/claims_format.ts";
import { describeReplicates } from "../../../stages/stats/stats.ts";
import type { ReplicateRow } from "../../../stages/stats/replicates_format.ts";
import { formatStats } from "../../../stages/stats/stats_table.ts";
import { POINT_COLUMNS } from "../../../stages/data/points_format.ts";
import { F_CURVE_COLUMNS, G_CURVE_COLUMNS } from "../../../stages/model/evaluation_format.ts";
import { HISTORY_COLUMNS } from "../../../stages/model/history_format.ts";
import { BAND_COLUMNS } from "../../../stages/stats/loss_bands_format.ts";
import { METRICS_COLUMNS } from "../../../stages/stats/summary_format.ts";
import params from "../../../params.json" with { type: "json" };

/** The style of params.json, typed. */
export const STYLE: StyleParams = params.style as StyleParams;

/** A few configurations covering every group kind the figures name differently. */
export const CONFIGS: Readonly<Record<string, ConfigParams>> = {
  lam1: { lambda: 1, mu: 1, activation: "relu", layers: [30, 30], group: "equal" },
  "lam0p1": { lambda: 0.1, mu: 0.1, activation: "relu", layers: [30, 30], group: "fit" },
  "free-silu": { lambda: 0, mu: 0, activation: "silu", layers: [30, 30], group: "unconstrained" },
};

/** A 3 × 3 sweep, one of whose cells has its figures drawn. */
export const SWEEPS: Readonly<Record<string, SweepParams>> = {
  grid: {
    lambda: [0.1, 1, 10],
    mu: [0.1, 1, 10],
    activation: ["relu"],
    replicates: { seeds: 3, draws: 1 },
    figures: ["l1-m10-relu"],
  },
};

/** The fixture's statistics settings (few resamples: the numbers only need to be stable). */
export const STATISTICS: StatisticsParams = {
  resamples: 200,
  confidence: 0.95,
  seed: 0,
  nearlyLinearR2: 0.99,
  minRuns: 6,
  decide: { maxSeeds: 12 },
};

/** Number of data points in the fixture. */
export const N = 40;

/** Epochs in the fixture's history. */
export const EPOCHS = 30;

/** A deterministic stream of numbers in [0, 1) (Park–Miller). */
function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
}

const h = (x: number): number => Math.tanh(1.5 * x) * 1.3 + 0.2 * x;
const f = (x: number): number => 1.1 * Math.tanh(1.2 * x) + 0.1 * x;
const g = (y: number): number => 0.9 * y + 0.2 * Math.sin(2 * y);

const csv = (header: string, rows: readonly (readonly (string | number)[])[]): string =>
  `${header}\n${rows.map((r) => r.map(String).join(",")).join("\n")}\n`;

/** Writes the inputs of every render stage and the report into `dir`; returns each input folder. */
export async function writeInputs(dir: string): Promise<{
  data: string;
  model: string;
  evaluation: string;
  metrics: string;
  stats: string;
  claims: string;
  bands: string;
}> {
  const folders = {
    data: join(dir, "generate"),
    model: join(dir, "train"),
    evaluation: join(dir, "evaluate"),
    metrics: join(dir, "summarise"),
    stats: join(dir, "stats"),
    claims: join(dir, "claims"),
    bands: join(dir, "loss-bands"),
  };
  await Promise.all(Object.values(folders).map((d) => Deno.mkdir(d, { recursive: true })));
  const rnd = lcg(7);
  const points = Array.from({ length: N }, () => {
    const x = (rnd() * 2 - 1) * 1.7;
    return [x, h(x + (rnd() - 0.5) * 0.4)] as const;
  });
  const curve = Array.from({ length: 25 }, (_, i) => {
    const x = -1.7 + (3.4 * i) / 24;
    return [x, h(x)] as const;
  });
  await Deno.writeTextFile(join(folders.data, "points.csv"), csv(POINT_COLUMNS.join(","), points));
  await Deno.writeTextFile(join(folders.data, "curve.csv"), csv(POINT_COLUMNS.join(","), curve));

  const history = Array.from({ length: EPOCHS }, (_, i) => {
    const e = i + 1;
    const terms = [
      0.1 + Math.exp(-e / 8),
      0.15 + Math.exp(-e / 6),
      0.02 + Math.exp(-e / 4) / 2,
      0.03 + Math.exp(-e / 5) / 2,
    ];
    return [e, ...terms, terms.reduce((a, b) => a + b, 0)];
  });
  await Deno.writeTextFile(
    join(folders.model, "history.csv"),
    csv(HISTORY_COLUMNS.join(","), history),
  );

  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const grid = (lo: number, hi: number) =>
    Array.from({ length: 41 }, (_, i) => lo - 0.5 + ((hi - lo + 1) * i) / 40).map((v) => ({
      v,
      region: v < lo || v > hi ? "margin" : "data",
    }));
  const fCurve = grid(Math.min(...xs), Math.max(...xs)).map(({ v, region }) =>
    [v, f(v), g(f(v)), region] as const
  );
  const gCurve = grid(Math.min(...ys), Math.max(...ys)).map(({ v, region }) =>
    [v, g(v), f(g(v)), region] as const
  );
  await Deno.writeTextFile(
    join(folders.evaluation, "f_curve.csv"),
    csv(F_CURVE_COLUMNS.join(","), fCurve),
  );
  await Deno.writeTextFile(
    join(folders.evaluation, "g_curve.csv"),
    csv(G_CURVE_COLUMNS.join(","), gCurve),
  );

  const metrics = Object.entries(CONFIGS).map(([name, c], i) => [
    name,
    c.lambda,
    c.mu,
    c.activation,
    0.05 * (i + 1),
    0.06 * (i + 1),
    0.2 / (i + 1) ** 2,
    0.25 / (i + 1) ** 2,
    1.5 / (i + 1),
    2 / (i + 1),
  ]);
  await Deno.writeTextFile(
    join(folders.metrics, "metrics.csv"),
    csv(METRICS_COLUMNS.join(","), metrics),
  );

  // Replicates of the configurations (3 seeds × 2 draws) and of the sweep's cells (3 seeds).
  const runs: ReplicateRow[] = [];
  const rows = [
    ...Object.entries(CONFIGS).map(([id, c]) => ({ id, ...c, draws: 2 })),
    ...SWEEPS["grid"]!.lambda.flatMap((lambda) =>
      SWEEPS["grid"]!.mu!.map((mu) => ({
        id: `grid/l${lambda}-m${mu}-relu`,
        lambda,
        mu,
        activation: "relu" as const,
        draws: 1,
      }))
    ),
  ];
  for (const r of rows) {
    for (let draw = 0; draw < r.draws; draw++) {
      for (let seed = 0; seed < 3; seed++) {
        const w = Math.log10(1 + r.lambda + r.mu);
        const noise = () => 1 + (rnd() - 0.5) * 0.2;
        runs.push({
          id: r.id,
          lambda: r.lambda,
          mu: r.mu,
          activation: r.activation,
          seed,
          draw,
          metrics: {
            fit_mse_f: (0.04 + 0.02 * w) * noise(),
            fit_mse_g: (0.05 + 0.03 * w) * noise(),
            inv_mse_x: (0.01 / (1 + 10 * r.lambda)) * noise(),
            inv_mse_y: (0.005 / (1 + 10 * r.mu)) * noise(),
            inv_mse_x_margin: (0.5 / (1 + r.lambda)) * noise(),
            inv_mse_y_margin: (0.2 / (1 + r.mu)) * noise(),
            lin_r2_f: Math.min(1, (0.9 + 0.02 * w) * noise()),
            lin_r2_g: Math.min(1, (0.92 + 0.02 * w) * noise()),
            lin_slope_f: 0.9,
            lin_slope_g: 1.1,
            flipped: 0,
            trend_slope_f: 0.8 - 0.1 * w,
            trend_slope_data: 0.9,
          },
        });
      }
    }
  }
  await Deno.writeTextFile(
    join(folders.stats, "stats.csv"),
    formatStats(describeReplicates(runs, STATISTICS)),
  );
  const subjects = Object.entries(CONFIGS).map(([id, c]) => ({ id, ...c }));
  const claims: ClaimsFile = {
    ...STATISTICS,
    seeds: 3,
    draws: 2,
    fewestRuns: 10,
    maxSeeds: STATISTICS.decide.maxSeeds,
    claims: decideClaims(runs, { statistics: STATISTICS, subjects }),
    flipped: [],
    runs: runs.length,
  };
  await Deno.writeTextFile(join(folders.claims, "claims.json"), JSON.stringify(claims, null, 2));

  const bands = Object.keys(CONFIGS).flatMap((config, i) =>
    history.flatMap(([epoch, fitF, fitG, cycY, cycX, total]) =>
      [
        ["total", total!],
        ["fit", fitF! + fitG!],
        ["cycle", (cycY! + cycX!) / (i + 1)],
      ].map((
        [term, v],
      ) => [config, epoch!, term!, v!, Number(v) * 0.9, Number(v) * 0.8, Number(v) * 1.3])
    )
  );
  await Deno.writeTextFile(
    join(folders.bands, "loss_bands.csv"),
    csv(BAND_COLUMNS.join(","), bands),
  );
  return folders;
}

/** The report stage's parameters on the fixture's configurations and sweeps. */
export const REPORT_PARAMS = {
  configs: CONFIGS,
  sweeps: SWEEPS,
  layers: [30, 30],
  activation: "relu",
  searches: {},
  style: STYLE,
} as const;

/** A stage context as the engine would build it (progress ignored). */
export function context<P>(
  params: P,
  inputs: Readonly<Record<string, string>>,
  outDir: string,
): StageContext<P> {
  return { params, inputs, outDir, progress: () => {} };
}

/**
 * Runs every render stage and the report on the fixture inputs and lays their outputs out as the
 * engine publishes them (`figures/...`, `index.html`) under `artifacts`.
 */
export async function buildArtifacts(scratch: string, artifacts: string): Promise<void> {
  const { run: renderData } = await import("../../../stages/figures/render_data.ts");
  const { run: renderConfig } = await import("../../../stages/figures/render.ts");
  const { run: renderTradeoff } = await import("../../../stages/figures/render_tradeoff.ts");
  const { run: report } = await import("../../../stages/report/report.ts");
  const { run: renderBands } = await import("../../../stages/figures/render_bands.ts");
  const { run: renderGrid } = await import("../../../stages/figures/render_grid.ts");
  const inputs = await writeInputs(scratch);
  const figures = join(artifacts, "figures");
  await Deno.mkdir(figures, { recursive: true });
  await renderData(context({ style: STYLE }, { data: inputs.data }, figures));
  const drawn: [string, ConfigParams | { lambda: number; mu: number; activation: "relu" }][] = [
    ...Object.entries(CONFIGS),
    ["grid/l1-m10-relu", { lambda: 1, mu: 10, activation: "relu" }],
  ];
  for (const [name, config] of drawn) {
    const out = join(figures, name);
    await Deno.mkdir(out, { recursive: true });
    await renderConfig(context({ config, style: STYLE }, inputs, out));
  }
  await renderBands(
    context(
      { configs: CONFIGS, replicates: { seeds: 3, draws: 2 }, style: STYLE },
      inputs,
      figures,
    ),
  );
  await renderGrid(context({ sweeps: SWEEPS, activation: "relu", style: STYLE }, inputs, figures));
  await Deno.rename(join(figures, "heatmap-grid-relu.svg"), join(figures, "grid/heatmap-relu.svg"));
  await renderTradeoff(context({ configs: CONFIGS, style: STYLE }, inputs, figures));
  await report(
    context(
      REPORT_PARAMS,
      inputs,
      figures,
    ),
  );
  // The engine publishes index.html at the root of artifacts/, the rest under figures/.
  await Deno.rename(join(figures, "index.html"), join(artifacts, "index.html"));
  // What the claims stage publishes.
  const claims = JSON.parse(await Deno.readTextFile(join(inputs.claims, "claims.json")));
  await Deno.writeTextFile(join(artifacts, "claims.json"), JSON.stringify(claims, null, 2));
  await Deno.writeTextFile(
    join(figures, "claims.md"),
    claimsMarkdown(claims.claims, {
      ...STATISTICS,
      replicates: "3 seeds × 2 data draws",
      flipped: [],
      runs: claims.runs,
      fewestRuns: 10,
      maxSeeds: STATISTICS.decide.maxSeeds,
    }),
  );
}
