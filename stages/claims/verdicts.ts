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
import type { Claim } from "./claims_format.ts";
import { networkClaims } from "./network_claims.ts";
import { spearman } from "../stats/rank_correlation.ts";
import type { ReplicateRow } from "../stats/replicates_format.ts";
import { metricValue, type StatMetric } from "../stats/stats_format.ts";
import { formatNumber } from "../stats/number_format.ts";
import {
  act,
  byReplicate,
  ciText,
  type ClaimOptions,
  common,
  decide,
  type Direction,
  drawOf,
  estimateOf,
  find,
  outcome,
  undecided,
  weights,
} from "./evidence.ts";

export { type ClaimOptions, type ClaimSubject, type Direction, verdictOf } from "./evidence.ts";

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
 * Decides every claim of the post from the runs of `replicates.csv`: the five about λ, μ and the
 * activation, then those about the network (network_claims.ts).
 *
 * @example
 * ```ts
 * import { decideClaims } from "./verdicts.ts";
 * const statistics = { resamples: 200, confidence: 0.95, seed: 0, nearlyLinearR2: 0.99 };
 * decideClaims([], { statistics, subjects: [] }).map((c) => c.verdict);
 * // ["inconclusive", "inconclusive", "inconclusive", "inconclusive", "inconclusive",
 * //  "inconclusive", "inconclusive"]
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
    ...networkClaims(runs, o),
  ];
}
