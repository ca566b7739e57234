/**
 * The decided claims as HTML, for the top of the index page: a table of verdicts with their
 * estimates and intervals, then each claim's sentence and measure.
 *
 * @module
 */
import type { ClaimsFile } from "../claims/claims_format.ts";
import { flippedText, levelText, verdictText } from "../claims/claims_markdown.ts";
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
      `<td class="num">${escapeHtml(levelText(c))}</td>`,
      `<td class="num">${c.n}</td>`,
      `<td class="num">${
        c.flips === undefined ? "—" : `${c.flips.flipped} of ${c.flips.runs}`
      }</td>`,
      `<td><span class="verdict ${c.verdict}">${escapeHtml(verdictText(c))}</span></td>`,
      "</tr>",
    ].join("")
  );
  const notes = file.claims.map((c) =>
    `<li><strong>${escapeHtml(c.claim)}</strong> — ${escapeHtml(c.verdict)}. ${
      escapeHtml(c.summary)
    } <span class="note">Measure: ${escapeHtml(c.measure)}. Decided over ${c.n} runs (${c.seeds} ` +
    `seeds per draw × ${c.draws} draws, look at ${Number((100 * c.level).toPrecision(6))} % of ` +
    `${c.looks} planned).</span>${provenancePanel("claims.json")}</li>`
  );
  return [
    '<table class="claims">',
    `<thead><tr><th>claim</th><th class="num">estimate</th><th class="num">interval (${pct} % ` +
    'over all looks)</th><th class="num">runs</th><th class="num">flipped</th><th>verdict</th>' +
    "</tr></thead>",
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
