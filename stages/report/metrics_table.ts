/**
 * The metrics table, one row per configuration, as Markdown (to paste into the post) and as HTML
 * (for the index page): the same columns and the same number formatting in both.
 *
 * @module
 */
import { activationName } from "../figures/captions.ts";
import type { MetricsRow } from "../stats/summary_format.ts";
import { formatNumber } from "../stats/number_format.ts";

/** A column: its heading, whether it holds a number, and how to read it from a row. */
interface Column {
  readonly heading: string;
  readonly numeric: boolean;
  readonly cell: (row: MetricsRow) => string;
}

const COLUMNS: readonly Column[] = [
  { heading: "config", numeric: false, cell: (r) => r.config },
  { heading: "λ", numeric: true, cell: (r) => String(r.lambda) },
  { heading: "μ", numeric: true, cell: (r) => String(r.mu) },
  { heading: "activation", numeric: false, cell: (r) => activationName(r.activation) },
  { heading: "fit MSE f", numeric: true, cell: (r) => formatNumber(r.fit_mse_f) },
  { heading: "fit MSE g", numeric: true, cell: (r) => formatNumber(r.fit_mse_g) },
  { heading: "inversion MSE x", numeric: true, cell: (r) => formatNumber(r.inv_mse_x) },
  { heading: "inversion MSE y", numeric: true, cell: (r) => formatNumber(r.inv_mse_y) },
  {
    heading: "inversion MSE x, off data",
    numeric: true,
    cell: (r) => formatNumber(r.inv_mse_x_margin),
  },
  {
    heading: "inversion MSE y, off data",
    numeric: true,
    cell: (r) => formatNumber(r.inv_mse_y_margin),
  },
];

/** What the table's columns mean, as a note under it. */
export const METRICS_NOTE = "fit MSE f = mean|f(x) − y|², fit MSE g = mean|g(y) − x|², " +
  "inversion MSE x = mean|x − g(f(x))|², inversion MSE y = mean|y − f(g(y))|², on the data " +
  "points; the off-data columns on grid points in the margin outside the data's range.";

/**
 * The table as GitHub-flavoured Markdown, numbers right-aligned, followed by its note.
 *
 * @example
 * ```ts
 * import { metricsMarkdown } from "./metrics_table.ts";
 * metricsMarkdown([]).split("\n")[0]?.startsWith("| config | λ | μ |"); // true
 * ```
 */
export function metricsMarkdown(rows: readonly MetricsRow[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(" | ")} |`;
  return [
    line(COLUMNS.map((c) => c.heading)),
    line(COLUMNS.map((c) => (c.numeric ? "---:" : "---"))),
    ...rows.map((r) => line(COLUMNS.map((c) => c.cell(r).replaceAll("|", "\\|")))),
    "",
    `${METRICS_NOTE}`,
    "",
  ].join("\n");
}

/**
 * Escapes text for HTML element content and attribute values.
 *
 * @example
 * ```ts
 * import { escapeHtml } from "./metrics_table.ts";
 * escapeHtml('a < b & "c"'); // "a &lt; b &amp; &quot;c&quot;"
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}

/**
 * The table as an HTML `<table>` element (numbers in cells of class `num`).
 *
 * @example
 * ```ts
 * import { metricsHtml } from "./metrics_table.ts";
 * metricsHtml([]).startsWith("<table"); // true
 * ```
 */
export function metricsHtml(rows: readonly MetricsRow[]): string {
  const cls = (c: Column): string => (c.numeric ? ' class="num"' : "");
  const head = COLUMNS.map((c) => `<th${cls(c)}>${escapeHtml(c.heading)}</th>`).join("");
  const body = rows.map((r) =>
    `<tr>${COLUMNS.map((c) => `<td${cls(c)}>${escapeHtml(c.cell(r))}</td>`).join("")}</tr>`
  );
  return [
    '<table class="metrics">',
    `<thead><tr>${head}</tr></thead>`,
    "<tbody>",
    ...body,
    "</tbody>",
    "</table>",
  ].join("\n");
}
