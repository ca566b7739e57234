/**
 * The experiment's side of `deno task compare`: given the current and the variant results (both
 * materialised like `artifacts/`), the claims whose verdict changes, every row's change of fit
 * and inversion error with a 95 % interval, and the figures that changed side by side, in the
 * terminal and as `artifacts/compare/index.html`.
 *
 * A change is measured per run, pairing each run of the variant with the current run of the same
 * row, training seed and data draw (same data, same initial weights), and its mean gets the same
 * stratified bootstrap interval as `stats.csv` (seeds resampled within draws): pairing removes
 * the seed-to-seed spread the two sides share.
 *
 * @module
 */
import { join } from "node:path";
import type { ClaimsFile } from "../claims/claims_format.ts";
import { intervalText } from "../claims/claims_markdown.ts";
import { createRng } from "../data/random.ts";
import { bootstrapMeanCi, mean } from "../stats/bootstrap.ts";
import { formatNumber } from "../stats/number_format.ts";
import type { ReplicateRow } from "../stats/replicates_format.ts";
import { parseReplicates } from "../stats/replicates_table.ts";
import { metricValue, type StatMetric } from "../stats/stats_format.ts";
import { allFigures, type FigureList } from "./figure_list.ts";
import { escapeHtml } from "./metrics_table.ts";
import { readClaims } from "./report.ts";

/** One row's change of one metric. */
export interface MetricDelta {
  readonly id: string;
  readonly metric: StatMetric;
  readonly current: number;
  readonly variant: number;
  /** Mean over paired runs of variant − current. */
  readonly delta: number;
  /** Its 95 % interval; null with fewer than two pairs. */
  readonly ci: readonly [number, number] | null;
  readonly pairs: number;
}

const METRICS: readonly StatMetric[] = ["fit", "inv"];
const RESAMPLES = 2000;

/**
 * Paired changes per row and metric between two sets of runs.
 *
 * @example
 * ```ts
 * import { metricDeltas } from "./compare_page.ts";
 * const run = (seed: number, fit: number) => ({ id: "a", lambda: 1, mu: 1, activation: "relu", seed, draw: 0,
 *   metrics: { fit_mse_f: fit, fit_mse_g: 0, inv_mse_x: 1, inv_mse_y: 0 } }) as never;
 * const [fit] = metricDeltas([run(0, 1), run(1, 2)], [run(0, 2), run(1, 3)]);
 * fit?.delta; // 1
 * ```
 */
export function metricDeltas(
  current: readonly ReplicateRow[],
  variant: readonly ReplicateRow[],
): MetricDelta[] {
  const key = (r: ReplicateRow) => `${r.id}\u0000${r.seed}\u0000${r.draw}`;
  const before = new Map(current.map((r) => [key(r), r]));
  const ids = [...new Set(variant.map((r) => r.id))];
  return ids.flatMap((id) =>
    METRICS.flatMap((metric): MetricDelta[] => {
      const pairs = variant.filter((r) => r.id === id).flatMap((r) => {
        const a = before.get(key(r));
        const [x, y] = [a && metricValue(a, metric), metricValue(r, metric)];
        return x === undefined || x === null || y === null ? [] : [{ x, y, draw: r.draw }];
      });
      if (pairs.length === 0) return [];
      const diffs = pairs.map((p) => p.y - p.x);
      const ci = pairs.length < 2 ? null : bootstrapMeanCi(diffs, pairs.map((p) => p.draw), {
        resamples: RESAMPLES,
        confidence: 0.95,
        rng: createRng(0, `compare/${id}/${metric}`),
      });
      return [{
        id,
        metric,
        current: mean(pairs.map((p) => p.x)),
        variant: mean(pairs.map((p) => p.y)),
        delta: mean(diffs),
        ci: ci === null ? null : [ci.low, ci.high],
        pairs: pairs.length,
      }];
    })
  );
}

/** Claims in both files whose verdict differs: [id, claim, before, after]. */
function verdictChanges(a: ClaimsFile, b: ClaimsFile): [string, string, string, string][] {
  const before = new Map(a.claims.map((c) => [c.id, c]));
  return b.claims.flatMap((c) => {
    const old = before.get(c.id);
    return old && old.verdict !== c.verdict ? [[c.id, c.claim, old.verdict, c.verdict]] : [];
  });
}

const excludesZero = (d: MetricDelta) => d.ci !== null && (d.ci[0] > 0 || d.ci[1] < 0);

function deltaText(d: MetricDelta): string {
  return `${formatNumber(d.current)} → ${formatNumber(d.variant)} (change ${
    formatNumber(d.delta)
  }, 95 % CI ${intervalText(d.ci)}, ${d.pairs} paired runs)`;
}

async function readRuns(dir: string): Promise<ReplicateRow[]> {
  return parseReplicates(await Deno.readTextFile(join(dir, "replicates.csv")));
}

function page(
  deltas: readonly MetricDelta[],
  a: ClaimsFile,
  b: ClaimsFile,
  figures: readonly { path: string; caption: string }[],
): string {
  const before = new Map(a.claims.map((c) => [c.id, c]));
  const claimRows = b.claims.map((c) => {
    const old = before.get(c.id);
    const moved = old !== undefined && old.verdict !== c.verdict;
    return `<tr${moved ? ' class="moved"' : ""}><td>${escapeHtml(c.claim)}</td><td>${
      old ? `${old.verdict}, ${formatNumber(old.estimate)} ${intervalText(old.ci)}` : "—"
    }</td><td>${c.verdict}, ${formatNumber(c.estimate)} ${intervalText(c.ci)}</td></tr>`;
  });
  const deltaRows = deltas.map((d) =>
    `<tr${excludesZero(d) ? ' class="moved"' : ""}><td>${escapeHtml(d.id)}</td><td>${d.metric}` +
    `</td><td class="num">${formatNumber(d.current)}</td><td class="num">${
      formatNumber(d.variant)
    }</td><td class="num">${formatNumber(d.delta)}</td><td class="num">${
      intervalText(d.ci)
    }</td><td class="num">${d.pairs}</td></tr>`
  );
  const figureRows = figures.map((f) =>
    `<h3><code>${escapeHtml(f.path)}</code></h3><p class="note">${escapeHtml(f.caption)}</p>` +
    `<div class="pair"><figure><img src="current/${escapeHtml(f.path)}" alt="current">` +
    `<figcaption>current</figcaption></figure><figure><img src="variant/${
      escapeHtml(f.path)
    }" alt="variant"><figcaption>variant</figcaption></figure></div>`
  );
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>psinv: current against variant</title>
<style>
body { font-family: Helvetica, Arial, sans-serif; color: #222; margin: 0 auto; max-width: 1400px;
  padding: 24px 32px 64px; line-height: 1.4; }
table { border-collapse: collapse; font-size: 0.9em; }
th, td { padding: 3px 10px; border-bottom: 1px solid #e4e4e4; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.moved { background: #fff4d6; }
.pair { display: flex; gap: 24px; flex-wrap: wrap; }
figure { margin: 0; } figure img { max-width: 660px; height: auto; display: block; }
.note { color: #666; font-size: 0.85em; max-width: 70em; }
</style></head>
<body>
<h1>Current parameters against the variant</h1>
<p class="note">Results of both sides are in <a href="current/index.html">current/</a> and
<a href="variant/index.html">variant/</a>; which stages differ and why is printed by
<code>deno task compare</code>.</p>
<h2>Claims</h2>
<table><thead><tr><th>claim</th><th>current</th><th>variant</th></tr></thead><tbody>
${claimRows.join("\n")}
</tbody></table>
<h2>Metrics</h2>
<p class="note">Change = variant − current per run, paired by row, training seed and data draw;
its mean with a 95 % stratified bootstrap interval. Highlighted: intervals excluding 0.</p>
<table><thead><tr><th>row</th><th>metric</th><th>current</th><th>variant</th><th>change</th>
<th>95 % CI</th><th>pairs</th></tr></thead><tbody>
${deltaRows.join("\n")}
</tbody></table>
<h2>Figures that changed (${figures.length})</h2>
${figureRows.join("\n")}
</body>
</html>
`;
}

/** The comparison: terminal lines and `index.html` in `outDir`. */
export async function comparePage(input: {
  readonly current: string;
  readonly variant: string;
  readonly outDir: string;
  readonly changed: readonly string[];
}): Promise<{ lines: string[]; page: string }> {
  const [claimsA, claimsB, runsA, runsB] = await Promise.all([
    readClaims(input.current),
    readClaims(input.variant),
    readRuns(input.current),
    readRuns(input.variant),
  ]);
  const list = JSON.parse(
    await Deno.readTextFile(join(input.variant, "figures", "figures.json")),
  ) as FigureList;
  const changed = new Set(input.changed);
  const figures = allFigures(list).filter((f) => changed.has(f.path));
  const deltas = metricDeltas(runsA, runsB);
  const verdicts = verdictChanges(claimsA, claimsB);
  await Deno.writeTextFile(
    join(input.outDir, "index.html"),
    page(deltas, claimsA, claimsB, figures),
  );
  const clear = deltas.filter(excludesZero)
    .sort((x, y) => Math.abs(y.delta / y.current) - Math.abs(x.delta / x.current));
  const lines = [
    verdicts.length === 0
      ? "No claim changes its verdict."
      : `Claims whose verdict changes: ${
        verdicts.map(([id, , a, b]) => `${id} ${a} → ${b}`).join("; ")
      }`,
    `Metric changes whose 95 % interval excludes 0: ${clear.length} of ${deltas.length}` +
    (clear.length > 0 ? "; the largest:" : ""),
    ...clear.slice(0, 6).map((d) => `  ${d.id} ${d.metric}: ${deltaText(d)}`),
    `${figures.length} figures changed (side by side in the page).`,
  ];
  return { lines, page: "index.html" };
}
