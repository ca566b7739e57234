/**
 * `claims.md`: the decided claims as a Markdown table and one paragraph each, ready to quote in
 * the README or the post.
 *
 * @module
 */
import type { Claim } from "./claims.ts";
import { formatNumber } from "./number_format.ts";

/** What the claims were decided with, for the sentence above the table. */
export interface ClaimsContext {
  readonly confidence: number;
  readonly resamples: number;
  readonly seed: number;
  /** Seeds × draws per configuration, e.g. `5 seeds × 3 data draws`. */
  readonly replicates: string;
}

const cell = (t: string): string => t.replaceAll("|", "\\|");

/**
 * The interval of a claim, e.g. `[0.92, 1]`, or `—` when undecided.
 *
 * @example
 * ```ts
 * import { intervalText } from "./claims_markdown.ts";
 * intervalText([0.921, 1]); // "[0.921, 1]"
 * ```
 */
export function intervalText(ci: readonly [number, number] | null): string {
  return ci === null ? "—" : `[${formatNumber(ci[0])}, ${formatNumber(ci[1])}]`;
}

/**
 * The Markdown text of `claims.md`.
 *
 * @example
 * ```ts
 * import { claimsMarkdown } from "./claims_markdown.ts";
 * const md = claimsMarkdown([], { confidence: 0.95, resamples: 2000, seed: 0, replicates: "5 seeds × 3 data draws" });
 * md.startsWith("| claim | id |"); // true
 * ```
 */
export function claimsMarkdown(claims: readonly Claim[], c: ClaimsContext): string {
  const pct = Number((100 * c.confidence).toPrecision(6));
  const rows = claims.map((k) =>
    `| ${cell(k.claim)} | ${cell(k.id)} | ${
      k.estimate === null ? "—" : formatNumber(k.estimate)
    } | ${intervalText(k.ci)} | ${k.n} | **${k.verdict}** |`
  );
  return [
    `| claim | id | estimate | ${pct} % CI | runs | verdict |`,
    "| --- | --- | ---: | --- | ---: | --- |",
    ...rows,
    "",
    `Each configuration is trained over ${c.replicates}. A claim's measure is computed per run ` +
    `(seed and data draw), and its mean gets a ${pct} % stratified percentile-bootstrap ` +
    `interval (resampling seeds within each data draw; ${c.resamples} resamples, seed ${c.seed}). ` +
    "Supported: the interval lies on the claimed side of zero; contradicted: on the other side; " +
    "inconclusive: it contains zero.",
    "",
    ...claims.flatMap((k) => [
      `- **${cell(k.claim)}** — ${k.verdict}. ${k.summary} _Measure (${k.id}):_ ${k.measure}.`,
    ]),
    "",
  ].join("\n");
}
