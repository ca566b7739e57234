/**
 * The index page: every figure with its caption, grouped as in the post, and the metrics table,
 * each with a panel saying how it was made (filled from the engine's `provenance.js`), and the
 * engine's timeline of the last run. A single
 * static file with its style inline and relative links, so it works from `file://`.
 *
 * @module
 */
import type { ClaimsFile } from "../claims/claims_format.ts";
import { claimsHtml } from "./claims_html.ts";
import type { MetricsRow } from "../stats/summary_format.ts";
import type { FigureEntry, FigureList, FigurePart } from "./figure_list.ts";
import { escapeHtml, METRICS_NOTE, metricsHtml } from "./metrics_table.ts";
import type { StyleParams } from "../params_schema.ts";
import { PROVENANCE_CSS, PROVENANCE_SCRIPTS, provenancePanel } from "./provenance_panel.ts";
import { timelineSvgFile } from "../../pipeline/core/layout.ts";

/** What the index page is built from. */
export interface IndexPage {
  readonly list: FigureList;
  readonly metrics: readonly MetricsRow[];
  /** The decided claims, shown first; none when absent. */
  readonly claims?: ClaimsFile;
  readonly style: StyleParams;
}

function css(style: StyleParams): string {
  return `
body { font-family: ${style.font}; color: #222; margin: 0 auto; max-width: 1280px;
  padding: 24px 32px 64px; line-height: 1.45; }
h1 { font-weight: 600; margin-bottom: 4px; }
h2 { font-weight: 600; border-bottom: 1px solid #ddd; padding-bottom: 4px; margin-top: 40px; }
h3 { font-weight: 600; margin: 24px 0 4px; }
h3 code { font-weight: normal; color: #666; font-size: 0.85em; }
p.lead { color: #555; margin-top: 0; }
.figures { display: flex; flex-wrap: wrap; gap: 16px 24px; align-items: flex-start; }
/* A table box shrinks the figure to its image; the caption then wraps at the image's width. */
figure { display: table; margin: 8px 0; }
figure img { display: block; max-width: 100%; height: auto; }
figcaption { display: table-caption; caption-side: bottom; font-size: 0.88em; color: #555;
  margin-top: 4px; }
table.metrics { border-collapse: collapse; font-size: 0.9em; margin-top: 8px; }
table.metrics th, table.metrics td { padding: 4px 10px; border-bottom: 1px solid #e4e4e4; }
table.metrics thead th { border-bottom: 2px solid #888; text-align: left; }
table.metrics .num { text-align: right; font-variant-numeric: tabular-nums; }
.note { font-size: 0.85em; color: #666; max-width: 60em; }
table.claims { border-collapse: collapse; font-size: 0.95em; margin-top: 8px; }
table.claims th, table.claims td { padding: 4px 10px; border-bottom: 1px solid #e4e4e4;
  text-align: left; }
table.claims thead th { border-bottom: 2px solid #888; }
table.claims .num { text-align: right; font-variant-numeric: tabular-nums; }
.verdict { padding: 1px 8px; border-radius: 8px; font-size: 0.9em; white-space: nowrap; }
.verdict.supported { background: #dff0d8; color: #2b542c; }
.verdict.contradicted { background: #f2dede; color: #843534; }
.verdict.inconclusive, .verdict.undecided { background: #f0f0f0; color: #555; }
#claims ul { max-width: 70em; padding-left: 20px; }
#claims li { margin: 6px 0; }
#timeline img { display: block; max-width: 100%; height: auto; margin-top: 8px; }
${PROVENANCE_CSS}
`.trim();
}

/** An id for a section heading, so that `index.html#fit-priority` links to it. */
function slug(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
}

function figure(entry: FigureEntry): string {
  return [
    "<figure>",
    `<img src="${escapeHtml(entry.path)}" alt="${escapeHtml(entry.alt)}">`,
    `<figcaption>${escapeHtml(entry.caption)}${provenancePanel(entry.path)}</figcaption>`,
    "</figure>",
  ].join("\n");
}

function part(p: FigurePart): string {
  const heading = p.config === undefined
    ? []
    : [`<h3>${escapeHtml(p.label ?? p.config)} <code>${escapeHtml(p.config)}</code></h3>`];
  const intro = p.intro === undefined ? [] : [`<p class="lead">${escapeHtml(p.intro)}</p>`];
  return [
    ...heading,
    ...intro,
    '<div class="figures">',
    ...p.figures.map(figure),
    "</div>",
  ].join("\n");
}

/**
 * The engine's drawing of the last run (written after the report, at the run's end; absent from
 * a page published without it, which then says so instead of showing a broken image).
 */
function timelineSection(): string {
  const file = timelineSvgFile("");
  const missing = `${file} is drawn at the end of each deno task reproduce; there is none here.`;
  return [
    '<section id="timeline">',
    "<h2>Where the run's time went</h2>",
    '<p class="lead">The last <code>reproduce</code>: one row per worker (or SLURM job), one bar ' +
    "per stage that ran, coloured by family; the critical path, the chain of stages whose times " +
    `add up to the most, is outlined. <a href="${file}">${file}</a></p>`,
    `<img id="timeline" src="${file}" alt="The stages of the last run over time" ` +
    `onerror="this.replaceWith(${escapeHtml(JSON.stringify(missing))})">`,
    "</section>",
  ].join("\n");
}

/**
 * The whole page as HTML text (deterministic: no dates, no external resources; its one script
 * fills the provenance panels from `provenance.js`).
 *
 * @example
 * ```ts
 * import { indexPage } from "./index_page.ts";
 * import { figureList } from "./figure_list.ts";
 * import params from "../../params.json" with { type: "json" };
 * const lam1 = { lambda: 1, mu: 1, activation: "relu" as const, layers: [30, 30], group: "equal" as const };
 * const html = indexPage({ list: figureList({ lam1 }), metrics: [], style: params.style });
 * html.includes('<img src="figures/lam1/fit.svg"'); // true
 * ```
 */
export function indexPage({ list, metrics, claims, style }: IndexPage): string {
  const sections = list.sections.map((s) =>
    [
      `<section id="${slug(s.title)}">`,
      `<h2>${escapeHtml(s.title)}</h2>`,
      ...s.parts.map(part),
      `</section>`,
    ].join("\n")
  );
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    "<title>Pseudo-invertible networks: figures</title>",
    `<style>\n${css(style)}\n</style>`,
    "</head>",
    "<body>",
    "<h1>Pseudo-invertible networks</h1>",
    '<p class="lead">Every figure of the post, regenerated by <code>deno task reproduce</code>. ' +
    "f and g are trained on the loss mean|f(x) − y|² + mean|g(y) − x|² + μ·mean|y − f(g(y))|² " +
    "+ λ·mean|x − g(f(x))|². The post retold with this reproduction's numbers: " +
    '<a href="post.html">post.html</a>.</p>',
    ...(claims === undefined ? [] : [
      '<section id="claims">',
      "<h2>The post's claims, checked</h2>",
      `<p class="lead">Decided over ${claims.seeds} training seed${
        claims.seeds === 1 ? "" : "s"
      } × ${claims.draws} data draw${
        claims.draws === 1 ? "" : "s"
      } per configuration, with stratified bootstrap confidence intervals. As Markdown: ` +
      '<a href="figures/claims.md">figures/claims.md</a>; as JSON: ' +
      '<a href="claims.json">claims.json</a>.</p>',
      claimsHtml(claims),
      provenancePanel("claims.json"),
      "</section>",
    ]),
    ...sections,
    '<section id="metrics">',
    "<h2>Metrics</h2>",
    metricsHtml(metrics),
    provenancePanel("metrics.csv"),
    `<p class="note">${escapeHtml(METRICS_NOTE)} As Markdown: ` +
    '<a href="figures/metrics.md">figures/metrics.md</a>. These are the post\'s runs (training ' +
    "seed 0, data draw 0); every run is in " +
    '<a href="replicates.csv">replicates.csv</a>, and the mean, median, standard deviation and ' +
    'confidence interval of every metric over the replicates in <a href="stats.csv">stats.csv</a>.' +
    "</p>",
    "</section>",
    timelineSection(),
    PROVENANCE_SCRIPTS,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
