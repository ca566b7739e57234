/**
 * The `report` stage: the metrics table as Markdown (`metrics.md`), the list of every figure
 * (`figures.json`, which `deno task publish` reads) and the index page (`index.html`), which shows
 * the claims first, then every figure by its published path, then the metrics.
 *
 * @module
 */
import { join } from "node:path";
import type { StageContext } from "../../pipeline/core/stage.ts";
import type { ClaimsFile } from "../claims/claims_format.ts";
import { inputDir, malformed, readTable } from "../figures/figure_inputs.ts";
import type { ConfigParams, StyleParams, SweepParams } from "../params_schema.ts";
import type { Architecture } from "../model/architecture.ts";
import { METRICS_COLUMNS, type MetricsRow } from "../stats/summary_format.ts";
import { figureList } from "./figure_list.ts";
import type { SearchParams } from "../search_schema.ts";
import { indexPage } from "./index_page.ts";
import { metricsMarkdown } from "./metrics_table.ts";

/**
 * The parameters `report` reads (see stages/pipeline.ts); its network (training.layers,
 * training.activation) is that of the cells that set none.
 */
export interface ReportParams extends Architecture {
  readonly configs: Readonly<Record<string, ConfigParams>>;
  readonly sweeps: Readonly<Record<string, SweepParams>>;
  /** The searches, each a section of figures. */
  readonly searches: Readonly<Record<string, SearchParams>>;
  readonly style: StyleParams;
}

/** Reads `metrics.csv` from a folder (the `summarise` stage's, or `artifacts/`). */
export async function readMetrics(dir: string): Promise<MetricsRow[]> {
  return await readTable(dir, "metrics.csv", METRICS_COLUMNS, {
    config: "string",
    activation: "string",
    inv_mse_x_margin: "number?",
    inv_mse_y_margin: "number?",
  }) as MetricsRow[];
}

/** Reads `claims.json` from a folder (the claims stage's, or `artifacts/`); a stage error if it cannot. */
export async function readClaims(dir: string): Promise<ClaimsFile> {
  try {
    const file = JSON.parse(await Deno.readTextFile(join(dir, "claims.json"))) as ClaimsFile;
    if (!Array.isArray(file.claims)) throw new Error('no "claims" list');
    return file;
  } catch (e) {
    throw malformed("claims.json", e instanceof Error ? e.message : String(e));
  }
}

/** Writes `metrics.md` from `metrics.csv`, `figures.json`, and `index.html` with `claims.json`. */
export async function run(ctx: StageContext<ReportParams>): Promise<void> {
  const { configs, sweeps, layers, activation, searches, style } = ctx.params;
  const [metrics, claims] = await Promise.all([
    readMetrics(inputDir(ctx.inputs, "metrics")),
    readClaims(inputDir(ctx.inputs, "claims")),
  ]);
  const list = figureList(configs, { sweeps, layers, activation, searches });
  const write = (file: string, text: string): Promise<void> =>
    Deno.writeTextFile(join(ctx.outDir, file), text);
  await write("metrics.md", metricsMarkdown(metrics));
  await write("figures.json", `${JSON.stringify(list, null, 2)}\n`);
  await write("index.html", indexPage({ list, metrics, claims, style }));
}
