/**
 * `claims.md`: the decided claims as a Markdown table and one paragraph each, ready to quote in
 * the README or the post.
 *
 * @module
 */
import type { Claim, FlipRate, RunRef } from "./claims_format.ts";
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
  /** `statistics.minRuns`, the fewest runs an interval needs, `statistics.decide.maxSeeds`. */
  readonly minRuns: number;
  readonly fewestRuns: number;
  readonly maxSeeds: number;
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
 * A claim's interval with its level, e.g. `[0.92, 1] at 98.75 %`, or `—` when undecided.
 *
 * @example
 * ```ts
 * import { levelText } from "./claims_markdown.ts";
 * levelText({ ci: [0.921, 1], level: 0.9875 }); // "[0.921, 1] at 98.75 %"
 * ```
 */
export function levelText(k: Pick<Claim, "ci" | "level">): string {
  return k.ci === null
    ? "—"
    : `${intervalText(k.ci)} at ${Number((100 * k.level).toPrecision(6))} %`;
}

/** The verdict with its reason when there is none: `undecided (too few runs)`, `… (cap)`. */
export function verdictText(k: Pick<Claim, "verdict" | "ci" | "n" | "cap">): string {
  if (k.cap) return `${k.verdict} (cap)`;
  return k.verdict === "undecided" && k.n > 0 ? "undecided (too few runs)" : k.verdict;
}

/**
 * The Markdown text of `claims.md`.
 *
 * @example
 * ```ts
 * import { claimsMarkdown } from "./claims_markdown.ts";
 * const md = claimsMarkdown([], {
 *   confidence: 0.95, resamples: 2000, seed: 0, replicates: "5 seeds × 3 data draws", flipped: [],
 *   runs: 0, minRuns: 15, fewestRuns: 10, maxSeeds: 40,
 * });
 * md.startsWith("| claim | id |"); // true
 * ```
 */
export function claimsMarkdown(claims: readonly Claim[], c: ClaimsContext): string {
  const pct = Number((100 * c.confidence).toPrecision(6));
  const rows = claims.map((k) =>
    `| ${cell(k.claim)} | ${cell(k.id)} | ${
      k.estimate === null ? "—" : formatNumber(k.estimate)
    } | ${levelText(k)} | ${k.n} | ${
      k.flips === undefined ? "—" : `${k.flips.flipped} of ${k.flips.runs}`
    } | **${verdictText(k)}** |`
  );
  return [
    "| claim | id | estimate | interval | runs | flipped | verdict |",
    "| --- | --- | ---: | --- | ---: | ---: | --- |",
    ...rows,
    "",
    `Each configuration is trained over ${c.replicates}; the rows a claim compares share its ` +
    `replicates, raised to at least ${c.minRuns} paired runs. A claim's measure is computed per ` +
    "run (training seed and data draw, each pair with its own initialisation), and its mean gets " +
    "a stratified bootstrap-t interval (resampling runs within each data draw; " +
    `${c.resamples} resamples, seed ${c.seed}). Every verdict is one look of those ` +
    `\`reproduce --decide\` may take (seeds per draw doubled up to ${c.maxSeeds}), so each ` +
    `interval is at 1 − ${Number((1 - c.confidence).toPrecision(6))}/looks, keeping ${pct} % ` +
    "over all looks (Bonferroni). Supported: the interval lies on the claimed side of zero; " +
    "contradicted: on the other side; inconclusive: it contains zero; undecided: fewer than " +
    `${c.fewestRuns} runs; (cap): still not decided at ${c.maxSeeds} seeds per draw. Where runs ` +
    "flip (λ = μ = 100), the flip rate gets Clopper–Pearson's exact interval and the measure is " +
    "that of the runs that did not flip.",
    "",
    ...claims.flatMap((k) => [
      `- **${cell(k.claim)}** — ${verdictText(k)}. ${k.summary} _Measure (${k.id}):_ ${k.measure}.`,
    ]),
    "",
    `**Flipped runs.** ${flippedText(c.flipped, c.runs)}`,
    "",
  ].join("\n");
}

/**
 * The flip rate in words.
 *
 * @example
 * ```ts
 * import { flipText } from "./claims_markdown.ts";
 * flipText({ flipped: 6, runs: 15, rate: 0.4, low: 0.163, high: 0.677 }, 0.95);
 * // "6 of 15 runs (40 %, 95 % CI 16.3 % to 67.7 %, Clopper–Pearson)"
 * ```
 */
export function flipText(f: FlipRate, confidence: number): string {
  const pct = (p: number) => `${formatNumber(100 * p)} %`;
  return `${f.flipped} of ${f.runs} runs (${pct(f.rate)}, ${
    Number((100 * confidence).toPrecision(6))
  } % CI ${pct(f.low)} to ${pct(f.high)}, Clopper–Pearson)`;
}
