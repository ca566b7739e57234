/**
 * The post's claims about the network itself, decided like the others (evidence.ts):
 *
 * - **too-simple** ("Our model seems too simple"): the unconstrained fit error of the largest
 *   ReLU network of the design minus that of the post's [30, 30], paired by seed and draw;
 *   supported when the larger network fits better.
 * - **misses-trend** ("the fits do not even capture the linear trend", at λ = μ = 100): the share
 *   of runs that flipped (sloping against the data, so missing the trend), and for the runs that
 *   did not, f's least-squares slope through the data points over the data's own, minus 1;
 *   supported when the typical f is flatter than the data.
 *
 * @module
 */
import { parameterCount } from "../model/architecture.ts";
import type { ReplicateRow } from "../stats/replicates_format.ts";
import { metricValue } from "../stats/stats_format.ts";
import { formatNumber } from "../stats/number_format.ts";
import type { Claim } from "./claims_format.ts";
import { flipText } from "./claims_markdown.ts";
import { flipRate } from "../stats/stats.ts";
import { find, freeNetworks, layersOf } from "./claim_rows.ts";
import {
  byReplicate,
  ciText,
  type ClaimOptions,
  common,
  decide,
  drawOf,
  estimateFrom,
  estimateOf,
  lookAt,
  outcome,
  typicalRuns,
  undecided,
} from "./evidence.ts";

const label = (layers: readonly number[]): string => `[${layers.join(", ")}]`;

/** too-simple: fit error of the largest unconstrained ReLU network minus the post's [30, 30]. */
function tooSimple(runs: readonly ReplicateRow[], o: ClaimOptions): Claim {
  const base = {
    id: "too-simple",
    claim: "The post's network is too simple: a larger one fits better (unconstrained)",
    measure: "fit error of the unconstrained ReLU network with the most parameters minus that of " +
      "the post's [30, 30], paired by seed and draw",
  } as const;
  const look = lookAt(base.id, o);
  if (!("rows" in look)) return undecided(base, look.missing);
  const [largest, post] = [look.rows[0]!, look.rows[1]!];
  const rl = byReplicate(runs, largest.id), rp = byReplicate(runs, post.id);
  const keys = common([rl, rp]);
  if (keys.length === 0) return undecided(base, "no replicate common to both networks");
  const diff = keys.map((k) => metricValue(rl.get(k)!, "fit")! - metricValue(rp.get(k)!, "fit")!);
  const d = decide(diff, keys.map(drawOf), "negative", look);
  const networks = freeNetworks(o);
  const evidence = networks.map((s) =>
    estimateOf(
      byReplicate(runs, s.id),
      "fit",
      `${label(layersOf(o, s))}, ${parameterCount(layersOf(o, s))} parameters`,
      base.id,
      o.statistics,
    )
  );
  const path = networks.map((s, i) => `${label(layersOf(o, s))} ${formatNumber(evidence[i]!.mean)}`)
    .join(", ");
  return {
    ...base,
    ...outcome(d, look),
    summary: `Fit error of ${label(layersOf(o, largest))} minus that of [30, 30] (λ = μ = 0, ` +
      `ReLU), paired by seed and draw over ${keys.length} runs: ${
        ciText(d, look.level)
      }; mean fit error by network (one network's parameters): ${path}.`,
    evidence,
  };
}

/** f's slope through the data points over the data's own, or null when either is missing. */
function slopeRatio(r: ReplicateRow): number | null {
  const f = r.metrics.trend_slope_f, data = r.metrics.trend_slope_data;
  return f === null || data === null || data === 0 ? null : f / data;
}

/**
 * misses-trend: f's slope over the data's, minus 1, at λ = μ = 100 (ReLU), for the typical run.
 * A flipped run slopes against the data, so it misses the trend by construction: the flip rate
 * says how often that happens, and the measure is decided over the runs that did not flip.
 */
function missesTrend(runs: readonly ReplicateRow[], o: ClaimOptions): Claim {
  const base = {
    id: "misses-trend",
    claim: "At λ = μ = 100 the fits do not even capture the linear trend",
    measure: "f's least-squares slope through the data points over the data's own (y on x), " +
      "minus 1, per run that did not flip, at λ = μ = 100 (ReLU): below zero when f is flatter " +
      "than the data",
  } as const;
  const look = lookAt(base.id, o);
  if (!("rows" in look)) return undecided(base, look.missing);
  const s = look.rows[0]!;
  const all = byReplicate(runs, s.id);
  const flips = flipRate([...all.values()], o.statistics.confidence);
  const rs = typicalRuns(all);
  const list = [...rs.entries()].flatMap(([k, r]) => {
    const v = slopeRatio(r);
    return v === null ? [] : [{ v: v - 1, draw: drawOf(k) }];
  });
  const d = decide(list.map((x) => x.v), list.map((x) => x.draw), "negative", look);
  const evidence = [
    estimateFrom(
      rs,
      slopeRatio,
      "slope of f / slope of the data, λ = μ = 100, runs that did not flip",
      base.id,
      o.statistics,
    ),
    estimateFrom(
      all,
      slopeRatio,
      "slope of f / slope of the data, λ = μ = 100, every run",
      base.id,
      o.statistics,
    ),
  ];
  const free = find(o, 0, 0, "relu");
  if (free !== undefined) {
    evidence.push(
      estimateFrom(
        byReplicate(runs, free.id),
        slopeRatio,
        "slope of f / slope of the data, λ = μ = 0",
        base.id,
        o.statistics,
      ),
    );
  }
  const contrast = evidence[2] === undefined
    ? ""
    : ` (unconstrained: ${formatNumber(evidence[2].mean)})`;
  const rate = flips.low > 0
    ? `, so the claim holds as a rate: in ${flipText(flips, o.statistics.confidence)} f slopes ` +
      "against the data"
    : `: ${flipText(flips, o.statistics.confidence)}`;
  return {
    ...base,
    ...outcome(d, look),
    flips,
    summary: `A flipped run misses the trend by construction${rate}. In the runs that did not ` +
      `flip, mean ratio of f's slope to the data's ${
        formatNumber(evidence[0]!.mean)
      }${contrast}, ` +
      `median ${formatNumber(evidence[0]!.median)}; the ratio minus 1 over ${list.length} runs: ${
        ciText(d, look.level)
      }.`,
    evidence,
  };
}

/**
 * The claims about the network: too-simple, then misses-trend.
 *
 * @example
 * ```ts
 * import { networkClaims } from "./network_claims.ts";
 * const statistics = { resamples: 200, confidence: 0.95, seed: 0, nearlyLinearR2: 0.99,
 *   minRuns: 15, decide: { maxSeeds: 40 } };
 * networkClaims([], { statistics, subjects: [] }).map((c) => c.id); // ["too-simple", "misses-trend"]
 * ```
 */
export function networkClaims(runs: readonly ReplicateRow[], o: ClaimOptions): Claim[] {
  return [tooSimple(runs, o), missesTrend(runs, o)];
}
