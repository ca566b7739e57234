/**
 * The post's claims about the network itself, decided like the others (evidence.ts):
 *
 * - **too-simple** ("Our model seems too simple"): the unconstrained fit error of the largest
 *   ReLU network of the design minus that of the post's [30, 30], paired by seed and draw;
 *   supported when the larger network fits better.
 * - **misses-trend** ("the fits do not even capture the linear trend", at λ = μ = 100): f's
 *   least-squares slope through the data points over the data's own slope, minus 1; supported
 *   when f is flatter than the data.
 *
 * @module
 */
import { parameterCount } from "../model/architecture.ts";
import type { ReplicateRow } from "../stats/replicates_format.ts";
import { metricValue } from "../stats/stats_format.ts";
import { formatNumber } from "../stats/number_format.ts";
import type { Claim } from "./claims_format.ts";
import {
  byReplicate,
  ciText,
  type ClaimOptions,
  type ClaimSubject,
  common,
  decide,
  drawOf,
  estimateFrom,
  estimateOf,
  find,
  outcome,
  undecided,
} from "./evidence.ts";

/** The post's network. */
const POST_LAYERS = [30, 30] as const;

const label = (layers: readonly number[]): string => `[${layers.join(", ")}]`;

const sameLayers = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((w, i) => w === b[i]);

/** too-simple: fit error of the largest unconstrained ReLU network minus the post's [30, 30]. */
function tooSimple(runs: readonly ReplicateRow[], o: ClaimOptions): Claim {
  const base = {
    id: "too-simple",
    claim: "The post's network is too simple: a larger one fits better (unconstrained)",
    measure: "fit error of the unconstrained ReLU network with the most parameters minus that of " +
      "the post's [30, 30], paired by seed and draw",
  };
  const layersOf = (s: ClaimSubject) => s.layers ?? o.layers ?? POST_LAYERS;
  const free = (o.rows ?? o.subjects).filter((s) =>
    s.lambda === 0 && s.mu === 0 && s.activation === "relu"
  );
  const post = free.find((s) => sameLayers(layersOf(s), POST_LAYERS));
  // One row per network, the first that has it (a configuration before a sweep's cell).
  const networks = free.filter((s, i) =>
    free.findIndex((t) => sameLayers(layersOf(t), layersOf(s))) === i
  ).toSorted((a, b) => parameterCount(layersOf(a)) - parameterCount(layersOf(b)));
  const largest = networks.at(-1);
  if (post === undefined) {
    return undecided(base, "no unconstrained ReLU row with hidden layers [30, 30]");
  }
  if (largest === undefined || parameterCount(layersOf(largest)) <= parameterCount(POST_LAYERS)) {
    return undecided(base, "no unconstrained ReLU row with a larger network (a sweep of layers)");
  }
  const rl = byReplicate(runs, largest.id), rp = byReplicate(runs, post.id);
  const keys = common([rl, rp]);
  if (keys.length === 0) return undecided(base, "no replicate common to both networks");
  const diff = keys.map((k) => metricValue(rl.get(k)!, "fit")! - metricValue(rp.get(k)!, "fit")!);
  const d = decide(diff, keys.map(drawOf), "negative", base.id, o.statistics);
  const evidence = networks.map((s) =>
    estimateOf(
      byReplicate(runs, s.id),
      "fit",
      `${label(layersOf(s))}, ${parameterCount(layersOf(s))} parameters`,
      base.id,
      o.statistics,
    )
  );
  const path = networks.map((s, i) => `${label(layersOf(s))} ${formatNumber(evidence[i]!.mean)}`)
    .join(", ");
  return {
    ...base,
    ...outcome(d, keys.length),
    summary: `Fit error of ${label(layersOf(largest))} minus that of [30, 30] (λ = μ = 0, ReLU), ` +
      `paired by seed and draw over ${keys.length} runs: ${
        ciText(d, o.statistics.confidence)
      }; mean fit error by network (one network's parameters): ${path}.`,
    evidence,
  };
}

/** f's slope through the data points over the data's own, or null when either is missing. */
function slopeRatio(r: ReplicateRow): number | null {
  const f = r.metrics.trend_slope_f, data = r.metrics.trend_slope_data;
  return f === null || data === null || data === 0 ? null : f / data;
}

/** misses-trend: f's slope over the data's, minus 1, at λ = μ = 100 (ReLU). */
function missesTrend(runs: readonly ReplicateRow[], o: ClaimOptions): Claim {
  const base = {
    id: "misses-trend",
    claim: "At λ = μ = 100 the fits do not even capture the linear trend",
    measure: "f's least-squares slope through the data points over the data's own (y on x), " +
      "minus 1, at λ = μ = 100 (ReLU): below zero when f is flatter than the data",
  };
  const s = find(o, 100, 100, "relu");
  if (s === undefined) return undecided(base, "no configuration with λ = μ = 100, ReLU");
  const rs = byReplicate(runs, s.id);
  const list = [...rs.entries()].flatMap(([k, r]) => {
    const v = slopeRatio(r);
    return v === null ? [] : [{ v: v - 1, draw: drawOf(k) }];
  });
  if (list.length === 0) return undecided(base, "no run with the slopes measured");
  const d = decide(
    list.map((x) => x.v),
    list.map((x) => x.draw),
    "negative",
    base.id,
    o.statistics,
  );
  const evidence = [
    estimateFrom(
      rs,
      slopeRatio,
      "slope of f / slope of the data, λ = μ = 100",
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
  const contrast = evidence[1] === undefined
    ? ""
    : ` (unconstrained: ${formatNumber(evidence[1].mean)})`;
  return {
    ...base,
    ...outcome(d, list.length),
    summary: `Mean ratio of f's slope to the data's at λ = μ = 100: ${
      formatNumber(evidence[0]!.mean)
    }${contrast}, median ${
      formatNumber(evidence[0]!.median)
    }; the ratio minus 1 over ${list.length} runs: ${ciText(d, o.statistics.confidence)}.`,
    evidence,
  };
}

/**
 * The claims about the network: too-simple, then misses-trend.
 *
 * @example
 * ```ts
 * import { networkClaims } from "./network_claims.ts";
 * const statistics = { resamples: 200, confidence: 0.95, seed: 0, nearlyLinearR2: 0.99 };
 * networkClaims([], { statistics, subjects: [] }).map((c) => c.id); // ["too-simple", "misses-trend"]
 * ```
 */
export function networkClaims(runs: readonly ReplicateRow[], o: ClaimOptions): Claim[] {
  return [tooSimple(runs, o), missesTrend(runs, o)];
}
