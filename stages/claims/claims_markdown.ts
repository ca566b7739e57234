/**
 * `claims.md`: the decided claims as a Markdown table and one paragraph each, ready to quote in
 * the README or the post.
 *
 * @module
 */
import type { Claim, RunRef } from "./claims_format.ts";
import { formatNumber } from "../stats/number_format.ts";

/** What the claims were decided with, for the sentence above the table. */
export interface ClaimsContext {
  readonly confidence: number;
  readonly resamples: number;
  readonly seed: number;
  /** Seeds × draws per configuration, e.g. `5 seeds × 3 data draws`. */
  readonly replicates: string;
  /** Runs whose pair came out with the wrong orientation (see {@linkcode flippedText}). */
  readonly flipped: readonly RunRef[];
  /** How many runs the claims and the flipped count were taken over. */
  readonly runs: number;
}

/**
 * The note on flipped runs: pairs that invert each other but slope against the data. The
 * cycle terms cannot tell such a pair from the right one and, when they dominate early (large λ,
 * μ), the fit terms may not undo it within the epochs given; such runs pull the means far up, so
 * the reader must know which they are.
 *
 * @example
 * ```ts
 * import { flippedText } from "./claims_markdown.ts";
 * flippedText([{ id: "lam10", seed: 3, draw: 0 }, { id: "lam10", seed: 3, draw: 2 }], 30);
 * // "In 2 of 30 runs f and g came out as mutual inverses sloping against the data …"
 * ```
 */
export function flippedText(flipped: readonly RunRef[], runs: number): string {
  if (flipped.length === 0) {
    return `None: in all ${runs} runs f slopes the same way as the data.`;
  }
  const byId = new Map<string, Map<number, number[]>>();
  for (const r of flipped) {
    const seeds = byId.get(r.id) ?? new Map<number, number[]>();
    byId.set(r.id, seeds);
    seeds.set(r.seed, [...(seeds.get(r.seed) ?? []), r.draw]);
  }
  const where = [...byId].map(([id, seeds]) =>
    `${id} (${
      [...seeds].map(([seed, draws]) =>
        `seed ${seed}, draw${draws.length > 1 ? "s" : ""} ${draws.join(", ")}`
      ).join("; ")
    })`
  );
  return `In ${flipped.length} of ${runs} runs f and g came out as mutual ` +
    "inverses sloping against the data (f decreasing where y increases with x): the cycle terms " +
    "cannot tell such a pair from the right one, and the fit terms did not undo it. Such a run's " +
    "fit error is far above the others', so it pulls the means up; the medians show a typical run. " +
    `Flipped: ${where.join("; ")}.`;
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
 * const md = claimsMarkdown([], {
 *   confidence: 0.95, resamples: 2000, seed: 0, replicates: "5 seeds × 3 data draws", flipped: [], runs: 0,
 * });
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
    `**Flipped runs.** ${flippedText(c.flipped, c.runs)}`,
    "",
  ].join("\n");
}
