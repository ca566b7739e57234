/**
 * The decided claims as HTML, for the top of the index page: a table of verdicts with their
 * estimates and intervals, then each claim's sentence and measure.
 *
 * @module
 */
import type { ClaimsFile } from "../claims/claims_format.ts";
import { flippedText, intervalText } from "../claims/claims_markdown.ts";
import { formatNumber } from "../stats/number_format.ts";
import { escapeHtml } from "./metrics_table.ts";
import { provenancePanel } from "./provenance_panel.ts";

/**
 * The claims section's inner HTML.
 *
 * @example
 * ```ts
 * import { claimsHtml } from "./claims_html.ts";
 * const html = claimsHtml({
 *   confidence: 0.95, resamples: 2000, seed: 0, seeds: 5, draws: 3, minRuns: 15, fewestRuns: 10,
 *   maxSeeds: 40, claims: [], flipped: [], runs: 0,
 * });
 * html.startsWith('<table class="claims">'); // true
 * ```
 */
export function claimsHtml(file: ClaimsFile): string {
  const pct = Number((100 * file.confidence).toPrecision(6));
  const rows = file.claims.map((c) =>
    [
      "<tr>",
      `<td>${escapeHtml(c.claim)}</td>`,
      `<td class="num">${c.estimate === null ? "—" : escapeHtml(formatNumber(c.estimate))}</td>`,
      `<td class="num">${escapeHtml(intervalText(c.ci))}</td>`,
      `<td class="num">${c.n}</td>`,
      `<td><span class="verdict ${c.verdict}">${c.verdict}</span></td>`,
      "</tr>",
    ].join("")
  );
  const notes = file.claims.map((c) =>
    `<li><strong>${escapeHtml(c.claim)}</strong> — ${escapeHtml(c.verdict)}. ${
      escapeHtml(c.summary)
    } <span class="note">Measure: ${escapeHtml(c.measure)}.</span>${
      provenancePanel("claims.json")
    }</li>`
  );
  return [
    '<table class="claims">',
    `<thead><tr><th>claim</th><th class="num">estimate</th><th class="num">${pct} % CI</th>` +
    '<th class="num">runs</th><th>verdict</th></tr></thead>',
    "<tbody>",
    ...rows,
    "</tbody>",
    "</table>",
    "<ul>",
    ...notes,
    "</ul>",
    `<p><strong>Flipped runs.</strong> ${escapeHtml(flippedText(file.flipped, file.runs))}</p>`,
  ].join("\n");
}
