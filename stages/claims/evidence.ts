/**
 * What every claim is decided with: the subjects (configurations and sweep cells, found by their
 * settings, never by name), their runs paired by seed and draw, a measure's mean with its
 * stratified bootstrap interval, and the verdict read off that interval.
 *
 * @module
 */
import { createRng } from "../data/random.ts";
import type { StatisticsParams } from "../params_schema.ts";
import { bootstrapMeanCi, type Interval, mean, median } from "../stats/bootstrap.ts";
import { formatNumber } from "../stats/number_format.ts";
import type { ReplicateRow } from "../stats/replicates_format.ts";
import { metricValue, type StatMetric } from "../stats/stats_format.ts";
import type { Claim, Estimate, Verdict } from "./claims_format.ts";

/** The sign of the per-replicate measure when the claim holds. */
export type Direction = "positive" | "negative";

/** A configuration (or cell) as the claims see it: its runs and its settings. */
export interface ClaimSubject {
  readonly id: string;
  readonly lambda: number;
  readonly mu: number;
  readonly activation: string;
  /** Hidden widths; the default network's when absent. */
  readonly layers?: readonly number[];
}

/**
 * The verdict for a measure whose interval is `ci` and which is `direction` when the claim holds;
 * an interval that reaches or spans zero is inconclusive.
 *
 * @example
 * ```ts
 * import { verdictOf } from "./verdicts.ts";
 * verdictOf({ low: 0.2, high: 0.9 }, "positive"); // "supported"
 * verdictOf({ low: 0.2, high: 0.9 }, "negative"); // "contradicted"
 * verdictOf({ low: -0.1, high: 0.9 }, "positive"); // "inconclusive"
 * ```
 */
export function verdictOf(ci: Interval, direction: Direction): Verdict {
  const sign = ci.low > 0 ? "positive" : ci.high < 0 ? "negative" : undefined;
  if (sign === undefined) return "inconclusive";
  return sign === direction ? "supported" : "contradicted";
}

/** The replicates of each subject, keyed `seed|draw`. */
export type Paired = Map<string, ReplicateRow>;

export function byReplicate(runs: readonly ReplicateRow[], id: string): Paired {
  return new Map(runs.filter((r) => r.id === id).map((r) => [`${r.seed}|${r.draw}`, r]));
}

/** Replicate keys every subject has, in the order of the first. */
export function common(sets: readonly Paired[]): string[] {
  const [first, ...rest] = sets;
  if (first === undefined) return [];
  return [...first.keys()].filter((k) => rest.every((s) => s.has(k)));
}

export const drawOf = (key: string): number => Number(key.split("|")[1]);

export const weights = (s: Pick<ClaimSubject, "lambda" | "mu">): string =>
  s.lambda === s.mu ? `λ = μ = ${s.lambda}` : `λ = ${s.lambda}, μ = ${s.mu}`;

export const act = (a: string): string => (a === "relu" ? "ReLU" : a === "silu" ? "SiLU" : a);

/** What the checks need besides the runs. */
export interface ClaimOptions {
  readonly statistics: StatisticsParams;
  /** The configurations the post's claims use: those of `configs` with the default network. */
  readonly subjects: readonly ClaimSubject[];
  /**
   * Every row (configurations and sweep cells) with its network, for the claims about the
   * network; `subjects` when absent.
   */
  readonly rows?: readonly ClaimSubject[];
  /** The default network's hidden widths (`training.layers`); [30, 30] when absent. */
  readonly layers?: readonly number[];
}

/** A measure's mean and interval, and the verdict. */
export interface Decided {
  readonly estimate: number;
  readonly ci: Interval;
  readonly verdict: Verdict;
}

export function decide(
  values: readonly number[],
  draws: readonly number[],
  direction: Direction,
  stream: string,
  s: StatisticsParams,
): Decided {
  const ci = bootstrapMeanCi(values, draws, {
    resamples: s.resamples,
    confidence: s.confidence,
    rng: createRng(s.seed, `claims/${stream}`),
  });
  return { estimate: mean(values), ci, verdict: verdictOf(ci, direction) };
}

export function estimateOf(
  runs: Paired,
  metric: StatMetric,
  label: string,
  stream: string,
  s: StatisticsParams,
): Estimate {
  return estimateFrom(runs, (r) => metricValue(r, metric), label, stream, s);
}

/** The mean, median and interval of `value` over the runs (skipping nulls), labelled. */
export function estimateFrom(
  runs: Paired,
  value: (r: ReplicateRow) => number | null,
  label: string,
  stream: string,
  s: StatisticsParams,
): Estimate {
  const list = [...runs.entries()].flatMap(([k, r]) => {
    const v = value(r);
    return v === null ? [] : [{ v, draw: drawOf(k) }];
  });
  const values = list.map((x) => x.v);
  const ci = bootstrapMeanCi(values, list.map((x) => x.draw), {
    resamples: s.resamples,
    confidence: s.confidence,
    rng: createRng(s.seed, `claims/${stream}/${label}`),
  });
  return {
    label,
    mean: mean(values),
    median: median(values),
    low: ci.low,
    high: ci.high,
    n: values.length,
  };
}

export const ciText = (d: Decided, confidence: number): string =>
  `${formatNumber(d.estimate)} (${Number((100 * confidence).toPrecision(6))} % CI ${
    formatNumber(d.ci.low)
  } to ${formatNumber(d.ci.high)})`;

/** The decided parts of a claim. */
export function outcome(d: Decided, n: number): Pick<Claim, "estimate" | "ci" | "n" | "verdict"> {
  return { estimate: d.estimate, ci: [d.ci.low, d.ci.high], n, verdict: d.verdict };
}

export function undecided(
  base: Pick<Claim, "id" | "claim" | "measure">,
  why: string,
): Claim {
  return {
    ...base,
    estimate: null,
    ci: null,
    n: 0,
    verdict: "inconclusive",
    summary: `Not decided: ${why}.`,
    evidence: [],
  };
}

export function find(
  o: ClaimOptions,
  lambda: number,
  mu: number,
  activation: string,
): ClaimSubject | undefined {
  return o.subjects.find((c) => c.lambda === lambda && c.mu === mu && c.activation === activation);
}
