/**
 * What every claim is decided with: its rows (claim_rows.ts) and their runs paired by seed and
 * draw, a measure's mean with its stratified bootstrap-t interval at this look's level
 * (stopping_rule.ts), the verdict read off that interval, and, where runs flip, the flip rate with
 * Clopper–Pearson's exact interval.
 *
 * @module
 */
import { createRng } from "../data/random.ts";
import type { ClaimId, StatisticsParams } from "../params_schema.ts";
import { bootstrapMeanCi, bootstrapTCi, type Interval, mean, median } from "../stats/bootstrap.ts";
import { formatNumber } from "../stats/number_format.ts";
import type { ReplicateRow } from "../stats/replicates_format.ts";
import { metricValue, type StatMetric } from "../stats/stats_format.ts";
import type { Claim, Estimate, Verdict } from "./claims_format.ts";
import {
  type ClaimDesign,
  claimDesign,
  claimRows,
  type ClaimSubject,
  type SubjectOptions,
} from "./claim_rows.ts";
import { FEWEST_RUNS, lookConfidence, plannedLooks } from "./stopping_rule.ts";

/** The sign of the per-replicate measure when the claim holds. */
export type Direction = "positive" | "negative";

/**
 * The verdict for a measure whose interval is `ci` and which is `direction` when the claim holds;
 * an interval that reaches or spans zero is inconclusive.
 *
 * @example
 * ```ts
 * import { verdictOf } from "./evidence.ts";
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

/** What the checks need besides the runs. */
export interface ClaimOptions extends SubjectOptions {
  readonly statistics: StatisticsParams;
}

/** One look at a claim: its rows, their replicates, and the level of this look's interval. */
export interface Look {
  readonly id: ClaimId;
  readonly rows: readonly ClaimSubject[];
  readonly design: ClaimDesign;
  /** Looks planned from the claim's first seeds to `statistics.decide.maxSeeds`. */
  readonly looks: number;
  /** Confidence of this look's interval (Bonferroni over the planned looks). */
  readonly level: number;
  readonly statistics: StatisticsParams;
}

/** The look at claim `id`, or why it has no rows to look at. */
export function lookAt(id: ClaimId, o: ClaimOptions): Look | { readonly missing: string } {
  const found = claimRows(o)[id];
  if (!("rows" in found)) return found;
  const design = claimDesign(id, found.rows, o.statistics);
  const looks = plannedLooks(design.startSeeds, o.statistics.decide.maxSeeds).length;
  return {
    id,
    rows: found.rows,
    design,
    looks,
    level: lookConfidence(o.statistics.confidence, looks),
    statistics: o.statistics,
  };
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

/** A measure's mean and, with enough runs, its interval and verdict. */
export interface Decided {
  readonly estimate: number;
  /** Null with fewer than {@linkcode FEWEST_RUNS} runs. */
  readonly ci: Interval | null;
  readonly verdict: Verdict;
  readonly n: number;
}

/** Decides a measure at the look's level; undecided below {@linkcode FEWEST_RUNS} runs. */
export function decide(
  values: readonly number[],
  draws: readonly number[],
  direction: Direction,
  look: Look,
): Decided {
  const n = values.length;
  if (n < FEWEST_RUNS) return { estimate: mean(values), ci: null, verdict: "undecided", n };
  const ci = bootstrapTCi(values, draws, {
    resamples: look.statistics.resamples,
    confidence: look.level,
    rng: createRng(look.statistics.seed, `claims/${look.id}`),
  });
  return { estimate: mean(values), ci, verdict: verdictOf(ci, direction), n };
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

/** A percentage as the claims print it: `98.75`. */
export const percent = (p: number): number => Number((100 * p).toPrecision(6));

/** The estimate with its interval, or why there is none. */
export const ciText = (d: Decided, level: number): string =>
  d.ci === null
    ? `${formatNumber(d.estimate)} (too few runs for an interval: ${d.n} of the ${FEWEST_RUNS} ` +
      "needed)"
    : `${formatNumber(d.estimate)} (${percent(level)} % CI ${formatNumber(d.ci.low)} to ${
      formatNumber(d.ci.high)
    })`;

/** The decided parts of a claim, with its look and whether `--decide` reached its cap. */
export function outcome(
  d: Decided,
  look: Look,
): Pick<
  Claim,
  "estimate" | "ci" | "n" | "verdict" | "level" | "looks" | "seeds" | "draws" | "cap"
> {
  const decided = d.verdict === "supported" || d.verdict === "contradicted";
  return {
    estimate: d.estimate,
    ci: d.ci === null ? null : [d.ci.low, d.ci.high],
    n: d.n,
    verdict: d.verdict,
    level: look.level,
    looks: look.looks,
    seeds: look.design.seeds,
    draws: look.design.draws,
    cap: !decided && look.design.seeds >= look.statistics.decide.maxSeeds,
  };
}

/** A claim that cannot be looked at: a row it needs is not in the design. */
export function undecided(base: Pick<Claim, "id" | "claim" | "measure">, why: string): Claim {
  return {
    ...base,
    estimate: null,
    ci: null,
    n: 0,
    verdict: "undecided",
    level: 0,
    looks: 0,
    seeds: 0,
    draws: 0,
    cap: false,
    summary: `Not decided: ${why}.`,
    evidence: [],
  };
}

/** The runs that did not flip (a setting's typical run where outcomes are bimodal). */
export function typicalRuns(runs: Paired): Paired {
  return new Map([...runs].filter(([, r]) => r.metrics.flipped !== 1));
}
