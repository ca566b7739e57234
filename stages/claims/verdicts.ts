/**
 * The post's claims as computed checks. Each claim reduces to one number per replicate (a rank
 * correlation across λ = μ, a paired difference, a margin over a threshold), whose mean gets a
 * stratified bootstrap confidence interval; the verdict is read off the interval: `supported`
 * when it lies wholly on the claimed side of zero, `contradicted` when wholly on the other side,
 * `inconclusive` when it contains zero. Configurations are found by their weights and activation,
 * not by name, so renaming one in `params.json` changes nothing here.
 *
 * @module
 */
import { createRng } from "../data/random.ts";
import type { StatisticsParams } from "../params_schema.ts";
import { bootstrapMeanCi, type Interval, mean, median } from "../stats/bootstrap.ts";
import { formatNumber } from "../stats/number_format.ts";
import { spearman } from "../stats/rank_correlation.ts";
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
type Paired = Map<string, ReplicateRow>;

function byReplicate(runs: readonly ReplicateRow[], id: string): Paired {
  return new Map(runs.filter((r) => r.id === id).map((r) => [`${r.seed}|${r.draw}`, r]));
}

/** Replicate keys every subject has, in the order of the first. */
function common(sets: readonly Paired[]): string[] {
  const [first, ...rest] = sets;
  if (first === undefined) return [];
  return [...first.keys()].filter((k) => rest.every((s) => s.has(k)));
}

const drawOf = (key: string): number => Number(key.split("|")[1]);

const weights = (s: Pick<ClaimSubject, "lambda" | "mu">): string =>
  s.lambda === s.mu ? `λ = μ = ${s.lambda}` : `λ = ${s.lambda}, μ = ${s.mu}`;

const act = (a: string): string => (a === "relu" ? "ReLU" : a === "silu" ? "SiLU" : a);

/** What the checks need besides the runs. */
export interface ClaimOptions {
  readonly statistics: StatisticsParams;
  /** The configurations the claims may use (those of `configs`, not sweep cells). */
  readonly subjects: readonly ClaimSubject[];
}

/** A measure's mean and interval, and the verdict. */
interface Decided {
  readonly estimate: number;
  readonly ci: Interval;
  readonly verdict: Verdict;
}

function decide(
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

function estimateOf(
  runs: Paired,
  metric: StatMetric,
  label: string,
  stream: string,
  s: StatisticsParams,
): Estimate {
  const list = [...runs.entries()].flatMap(([k, r]) => {
    const v = metricValue(r, metric);
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

const ciText = (d: Decided, confidence: number): string =>
  `${formatNumber(d.estimate)} (${Number((100 * confidence).toPrecision(6))} % CI ${
    formatNumber(d.ci.low)
  } to ${formatNumber(d.ci.high)})`;

/** The decided parts of a claim. */
function outcome(d: Decided, n: number): Pick<Claim, "estimate" | "ci" | "n" | "verdict"> {
  return { estimate: d.estimate, ci: [d.ci.low, d.ci.high], n, verdict: d.verdict };
}

function undecided(
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

function find(
  o: ClaimOptions,
  lambda: number,
  mu: number,
  activation: string,
): ClaimSubject | undefined {
  return o.subjects.find((c) => c.lambda === lambda && c.mu === mu && c.activation === activation);
}

/** (a), (b): Spearman ρ between λ = μ and a metric, per replicate, across the ReLU levels. */
function trend(
  runs: readonly ReplicateRow[],
  o: ClaimOptions,
  base: Pick<Claim, "id" | "claim" | "measure">,
  metric: StatMetric,
  direction: Direction,
  noun: string,
): Claim {
  const levels = o.subjects
    .filter((c) => c.lambda === c.mu && c.lambda > 0 && c.activation === "relu")
    .toSorted((a, b) => a.lambda - b.lambda)
    .filter((c, i, all) => i === 0 || all[i - 1]!.lambda !== c.lambda);
  if (levels.length < 3) {
    return undecided(base, "fewer than three ReLU configurations with λ = μ > 0 in params.json");
  }
  const sets = levels.map((c) => byReplicate(runs, c.id));
  const keys = common(sets);
  if (keys.length === 0) return undecided(base, "no replicate common to every level");
  const rho = keys.map((k) =>
    spearman(levels.map((c) => c.lambda), sets.map((s) => metricValue(s.get(k)!, metric) ?? NaN))
  );
  const d = decide(rho, keys.map(drawOf), direction, base.id, o.statistics);
  const evidence = levels.map((c, i) =>
    estimateOf(sets[i]!, metric, weights(c), base.id, o.statistics)
  );
  const path = evidence.map((e) => formatNumber(e.mean)).join(" → ");
  const medians = evidence.map((e) => formatNumber(e.median)).join(" → ");
  return {
    ...base,
    ...outcome(d, keys.length),
    summary: `Mean Spearman ρ between λ = μ (${levels.map((c) => c.lambda).join(", ")}) and the ` +
      `${noun} over ${keys.length} runs: ${
        ciText(d, o.statistics.confidence)
      }; mean ${noun} ${path} (medians ${medians}).`,
    evidence,
  };
}

/** (d), (e): a paired difference of the fit error, `a` − `b`, negative when `a` fits better. */
function pairedFit(
  runs: readonly ReplicateRow[],
  o: ClaimOptions,
  base: Pick<Claim, "id" | "claim" | "measure">,
  a: readonly [number, number, string],
  b: readonly [number, number, string],
): Claim {
  const sa = find(o, ...a), sb = find(o, ...b);
  if (sa === undefined || sb === undefined) {
    const [l, m, x] = sa === undefined ? a : b;
    return undecided(base, `no configuration with ${weights({ lambda: l, mu: m })}, ${act(x)}`);
  }
  const ra = byReplicate(runs, sa.id), rb = byReplicate(runs, sb.id);
  const keys = common([ra, rb]);
  if (keys.length === 0) return undecided(base, "no replicate common to both configurations");
  const diff = keys.map((k) => metricValue(ra.get(k)!, "fit")! - metricValue(rb.get(k)!, "fit")!);
  const d = decide(diff, keys.map(drawOf), "negative", base.id, o.statistics);
  const la = `${weights(sa)}, ${act(sa.activation)}`, lb = `${weights(sb)}, ${act(sb.activation)}`;
  const evidence = [
    estimateOf(ra, "fit", la, base.id, o.statistics),
    estimateOf(rb, "fit", lb, base.id, o.statistics),
  ];
  return {
    ...base,
    ...outcome(d, keys.length),
    summary:
      `Fit error of ${la} minus that of ${lb}, paired by seed and draw over ${keys.length} ` +
      `runs: ${ciText(d, o.statistics.confidence)}; mean fit error ${
        formatNumber(evidence[0]!.mean)
      } vs ${formatNumber(evidence[1]!.mean)} (medians ${formatNumber(evidence[0]!.median)} vs ${
        formatNumber(evidence[1]!.median)
      }).`,
    evidence,
  };
}

/** (c): min(R² of f, R² of g) − threshold at λ = μ = 100, ReLU. */
function nearlyLinear(runs: readonly ReplicateRow[], o: ClaimOptions): Claim {
  const t = o.statistics.nearlyLinearR2;
  const base = {
    id: "nearly-linear",
    claim: "At λ = μ = 100, f and g are almost linear",
    measure: `min(R² of f, R² of g) − ${t}: R² of the least-squares line through each network ` +
      "over the data's range",
  };
  const s = find(o, 100, 100, "relu");
  if (s === undefined) return undecided(base, "no configuration with λ = μ = 100, ReLU");
  const rs = byReplicate(runs, s.id);
  const keys = [...rs.keys()];
  const margin = keys.map((k) => {
    const m = rs.get(k)!.metrics;
    return Math.min(m.lin_r2_f ?? NaN, m.lin_r2_g ?? NaN) - t;
  });
  const d = decide(margin, keys.map(drawOf), "positive", base.id, o.statistics);
  const evidence = [
    estimateOf(rs, "lin_r2_f", `R² of f, ${weights(s)}`, base.id, o.statistics),
    estimateOf(rs, "lin_r2_g", `R² of g, ${weights(s)}`, base.id, o.statistics),
  ];
  const free = find(o, 0, 0, "relu");
  if (free !== undefined) {
    const rf = byReplicate(runs, free.id);
    evidence.push(
      estimateOf(rf, "lin_r2_f", `R² of f, ${weights(free)}`, base.id, o.statistics),
      estimateOf(rf, "lin_r2_g", `R² of g, ${weights(free)}`, base.id, o.statistics),
    );
  }
  const contrast = free === undefined
    ? ""
    : ` (unconstrained: ${formatNumber(evidence[2]!.mean)} and ${formatNumber(evidence[3]!.mean)})`;
  return {
    ...base,
    ...outcome(d, keys.length),
    summary: `Mean R² of a straight line through f ${formatNumber(evidence[0]!.mean)}, through g ${
      formatNumber(evidence[1]!.mean)
    }${contrast}; the smaller minus ${t} over ${keys.length} runs: ${
      ciText(d, o.statistics.confidence)
    }.`,
    evidence,
  };
}

/**
 * Decides every claim of the post from the runs of `replicates.csv`.
 *
 * @example
 * ```ts
 * import { decideClaims } from "./verdicts.ts";
 * const statistics = { resamples: 200, confidence: 0.95, seed: 0, nearlyLinearR2: 0.99 };
 * decideClaims([], { statistics, subjects: [] }).map((c) => c.verdict);
 * // ["inconclusive", "inconclusive", "inconclusive", "inconclusive", "inconclusive"]
 * ```
 */
export function decideClaims(runs: readonly ReplicateRow[], o: ClaimOptions): Claim[] {
  return [
    trend(
      runs,
      o,
      {
        id: "fit-rises",
        claim: "The fit error rises with λ = μ",
        measure: "Spearman ρ between λ = μ and the fit error mean|f(x) − y|² + mean|g(y) − x|², " +
          "per replicate across the ReLU configurations with λ = μ > 0",
      },
      "fit",
      "positive",
      "fit error",
    ),
    trend(
      runs,
      o,
      {
        id: "inversion-falls",
        claim: "The inversion error falls with λ = μ",
        measure: "Spearman ρ between λ = μ and the inversion error mean|x − g(f(x))|² + " +
          "mean|y − f(g(y))|² on the data, per replicate across the same configurations",
      },
      "inv",
      "negative",
      "inversion error",
    ),
    nearlyLinear(runs, o),
    pairedFit(
      runs,
      o,
      {
        id: "unconstrained-fits-best",
        claim: "The unconstrained pair (λ = μ = 0) fits best",
        measure: "fit error of λ = μ = 0 minus fit error of λ = μ = 0.01 (ReLU), paired by seed " +
          "and draw",
      },
      [0, 0, "relu"],
      [0.01, 0.01, "relu"],
    ),
    pairedFit(
      runs,
      o,
      {
        id: "silu-fits-better",
        claim: "SiLU fits better than ReLU (unconstrained)",
        measure: "fit error of SiLU minus fit error of ReLU at λ = μ = 0, paired by seed and draw",
      },
      [0, 0, "silu"],
      [0, 0, "relu"],
    ),
  ];
}
