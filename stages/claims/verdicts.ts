/**
 * The post's claims as computed checks. Each claim reduces to one number per replicate (a rank
 * correlation across λ = μ, a paired difference, a margin over a threshold), whose mean gets a
 * stratified bootstrap confidence interval at the look's level (stopping_rule.ts); the verdict is
 * read off the interval: `supported` when it lies wholly on the claimed side of zero,
 * `contradicted` when wholly on the other side, `inconclusive` when it contains zero, `undecided`
 * with fewer than 10 runs. Configurations are found by their weights and activation, not by name
 * (claim_rows.ts), so renaming one in `params.json` changes nothing here.
 *
 * @module
 */
import type { Claim } from "./claims_format.ts";
import { flipText } from "./claims_markdown.ts";
import { flipRate } from "../stats/stats.ts";
import { networkClaims } from "./network_claims.ts";
import { spearman } from "../stats/rank_correlation.ts";
import type { ReplicateRow } from "../stats/replicates_format.ts";
import { metricValue, type StatMetric } from "../stats/stats_format.ts";
import { formatNumber } from "../stats/number_format.ts";
import { type ClaimSubject, find, weights } from "./claim_rows.ts";
import { activationLabel as act } from "../activations.ts";
import type { ClaimId } from "../params_schema.ts";
import {
  byReplicate,
  ciText,
  type ClaimOptions,
  common,
  decide,
  type Direction,
  drawOf,
  estimateOf,
  lookAt,
  outcome,
  typicalRuns,
  undecided,
} from "./evidence.ts";

export { type ClaimOptions, type Direction, verdictOf } from "./evidence.ts";
export type { ClaimSubject } from "./claim_rows.ts";

type Base = Pick<Claim, "id" | "claim" | "measure"> & { readonly id: ClaimId };

/** (a), (b): Spearman ρ between λ = μ and a metric, per replicate, across the ReLU levels. */
function trend(
  runs: readonly ReplicateRow[],
  o: ClaimOptions,
  base: Base,
  metric: StatMetric,
  direction: Direction,
  noun: string,
): Claim {
  const look = lookAt(base.id, o);
  if (!("rows" in look)) return undecided(base, look.missing);
  const levels = look.rows;
  const sets = levels.map((c) => byReplicate(runs, c.id));
  const keys = common(sets);
  if (keys.length === 0) return undecided(base, "no replicate common to every level");
  const rho = keys.map((k) =>
    spearman(levels.map((c) => c.lambda), sets.map((s) => metricValue(s.get(k)!, metric) ?? NaN))
  );
  const d = decide(rho, keys.map(drawOf), direction, look);
  const evidence = levels.map((c, i) =>
    estimateOf(sets[i]!, metric, weights(c), base.id, o.statistics)
  );
  const path = evidence.map((e) => formatNumber(e.mean)).join(" → ");
  const medians = evidence.map((e) => formatNumber(e.median)).join(" → ");
  return {
    ...base,
    ...outcome(d, look),
    summary: `Mean Spearman ρ between λ = μ (${levels.map((c) => c.lambda).join(", ")}) and the ` +
      `${noun} over ${keys.length} runs: ${
        ciText(d, look.level)
      }; mean ${noun} ${path} (medians ${medians}).`,
    evidence,
  };
}

/** (d), (e): a paired difference of the fit error, `a` − `b`, negative when `a` fits better. */
function pairedFit(runs: readonly ReplicateRow[], o: ClaimOptions, base: Base): Claim {
  const look = lookAt(base.id, o);
  if (!("rows" in look)) return undecided(base, look.missing);
  const [sa, sb] = look.rows as readonly [ClaimSubject, ClaimSubject];
  const ra = byReplicate(runs, sa.id), rb = byReplicate(runs, sb.id);
  const keys = common([ra, rb]);
  if (keys.length === 0) return undecided(base, "no replicate common to both configurations");
  const diff = keys.map((k) => metricValue(ra.get(k)!, "fit")! - metricValue(rb.get(k)!, "fit")!);
  const d = decide(diff, keys.map(drawOf), "negative", look);
  const la = `${weights(sa)}, ${act(sa.activation)}`, lb = `${weights(sb)}, ${act(sb.activation)}`;
  const evidence = [
    estimateOf(ra, "fit", la, base.id, o.statistics),
    estimateOf(rb, "fit", lb, base.id, o.statistics),
  ];
  return {
    ...base,
    ...outcome(d, look),
    summary:
      `Fit error of ${la} minus that of ${lb}, paired by seed and draw over ${keys.length} ` +
      `runs: ${ciText(d, look.level)}; mean fit error ${formatNumber(evidence[0]!.mean)} vs ${
        formatNumber(evidence[1]!.mean)
      } (medians ${formatNumber(evidence[0]!.median)} vs ${formatNumber(evidence[1]!.median)}).`,
    evidence,
  };
}

/**
 * (c): min(R² of f, R² of g) − threshold at λ = μ = 100, ReLU, for the typical run: runs flip
 * there, so the flip rate is stated and the measure is decided over the runs that did not flip.
 */
function nearlyLinear(runs: readonly ReplicateRow[], o: ClaimOptions): Claim {
  const t = o.statistics.nearlyLinearR2;
  const base: Base = {
    id: "nearly-linear",
    claim: "At λ = μ = 100, f and g are almost linear",
    measure: `min(R² of f, R² of g) − ${t}, per run that did not flip: R² of the least-squares ` +
      "line through each network over the data's range",
  };
  const look = lookAt(base.id, o);
  if (!("rows" in look)) return undecided(base, look.missing);
  const s = look.rows[0]!;
  const all = byReplicate(runs, s.id);
  const rs = typicalRuns(all);
  const flips = flipRate([...all.values()], o.statistics.confidence);
  const keys = [...rs.keys()];
  const margin = keys.map((k) => {
    const m = rs.get(k)!.metrics;
    return Math.min(m.lin_r2_f ?? NaN, m.lin_r2_g ?? NaN) - t;
  });
  const d = decide(margin, keys.map(drawOf), "positive", look);
  const evidence = [
    estimateOf(
      rs,
      "lin_r2_f",
      `R² of f, ${weights(s)}, runs that did not flip`,
      base.id,
      o.statistics,
    ),
    estimateOf(
      rs,
      "lin_r2_g",
      `R² of g, ${weights(s)}, runs that did not flip`,
      base.id,
      o.statistics,
    ),
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
    ...outcome(d, look),
    flips,
    summary: `Flipped at ${weights(s)}: ${flipText(flips, o.statistics.confidence)}. In the ` +
      `runs that did not flip, mean R² of a straight line through f ${
        formatNumber(evidence[0]!.mean)
      }, through g ${
        formatNumber(evidence[1]!.mean)
      }${contrast}; the smaller minus ${t} over ${keys.length} runs: ${ciText(d, look.level)}.`,
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
 * const statistics = { resamples: 200, confidence: 0.95, seed: 0, nearlyLinearR2: 0.99,
 *   minRuns: 15, decide: { maxSeeds: 40 } };
 * decideClaims([], { statistics, subjects: [] }).map((c) => c.verdict);
 * // ["undecided", "undecided", "undecided", "undecided", "undecided", "undecided", "undecided"]
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
    pairedFit(runs, o, {
      id: "unconstrained-fits-best",
      claim: "The unconstrained pair (λ = μ = 0) fits best",
      measure: "fit error of λ = μ = 0 minus fit error of λ = μ = 0.01 (ReLU), paired by seed " +
        "and draw",
    }),
    pairedFit(runs, o, {
      id: "silu-fits-better",
      claim: "SiLU fits better than ReLU (unconstrained)",
      measure: "fit error of SiLU minus fit error of ReLU at λ = μ = 0, paired by seed and draw",
    }),
    ...networkClaims(runs, o),
  ];
}
