/**
 * The `search-front` claim: an adaptive search (search/) finds a front of fit against inversion
 * at least as good as its sweep's, for at most a third of the sweep's epochs. The measure is the
 * difference of the two fronts' hypervolumes (log₁₀ errors, against the search's reference
 * point), replicate by replicate (each front built from that replicate's runs alone), its mean
 * given a stratified bootstrap-t interval at its look's level (stopping_rule.ts, from the search's
 * own seeds to `statistics.decide.maxSeeds`); with fewer than 10 paired replicates it is
 * undecided, as every claim. `--decide` raises `statistics.claimSeeds.search-front`, which gives
 * the search and its sweep that many seeds (pipeline.ts). A search that spent more than a third of
 * the sweep's epochs contradicts the claim whatever its front.
 *
 * @module
 */
import type { StatisticsParams } from "../params_schema.ts";
import { createRng } from "../data/random.ts";
import { bootstrapMeanCi, bootstrapTCi, mean, median } from "../stats/bootstrap.ts";
import { formatNumber } from "../stats/number_format.ts";
import type { FrontSummary } from "../search/front_format.ts";
import type { Claim, Estimate } from "./claims_format.ts";
import { ciText, percent, undecided, verdictOf } from "./evidence.ts";
import { FEWEST_RUNS, lookConfidence, plannedLooks } from "./stopping_rule.ts";

/** The search the claim is about. */
export const CLAIMED_SEARCH = "front";

/** The largest share of the sweep's epochs the search may spend. */
export const EPOCH_SHARE = 1 / 3;

const BASE = {
  id: "search-front",
  claim: "The search's front is at least as good as the grid's, at a third of the epochs",
  measure: `hypervolume of search ${CLAIMED_SEARCH}'s front minus that of its sweep's, per ` +
    "replicate (log₁₀ fit and inversion errors, against the search's reference point); the " +
    `search must spend at most ${formatNumber(EPOCH_SHARE)} of the sweep's epochs`,
} as const;

/**
 * Decides the claim from the search's `front.json` (undefined: no such search).
 *
 * @example
 * ```ts
 * import { searchFrontClaim } from "./search_claim.ts";
 * const statistics = { resamples: 200, confidence: 0.95, seed: 0, nearlyLinearR2: 0.99,
 *   minRuns: 15, decide: { maxSeeds: 40 } };
 * searchFrontClaim(undefined, statistics, 3).verdict; // "undecided"
 * ```
 */
export function searchFrontClaim(
  s: FrontSummary | undefined,
  statistics: StatisticsParams,
  startSeeds: number,
): Claim {
  if (s === undefined) return undecided(BASE, `params.json has no search "${CLAIMED_SEARCH}"`);
  const values = s.replicates.map((r) => r.searched - r.swept);
  const draws = s.replicates.map((r) => r.draw);
  const n = values.length;
  const looks = plannedLooks(startSeeds, statistics.decide.maxSeeds).length;
  const level = lookConfidence(statistics.confidence, looks);
  const seeds = Math.max(startSeeds, statistics.claimSeeds?.[BASE.id] ?? 0);
  const average = mean(values);
  const options = (stream: string) => ({
    resamples: statistics.resamples,
    confidence: level,
    rng: createRng(statistics.seed, `claims/${BASE.id}${stream}`),
  });
  const ci = n < FEWEST_RUNS ? null : bootstrapTCi(values, draws, options(""));
  const share = s.searched.epochs / s.swept.epochs;
  const overBudget = share > EPOCH_SHARE;
  const verdict = overBudget
    ? "contradicted"
    : ci === null
    ? "undecided"
    : verdictOf(ci, "positive");
  const estimate = (side: "searched" | "swept", label: string): Estimate => {
    const xs = s.replicates.map((r) => r[side]);
    const { low, high } = bootstrapMeanCi(xs, draws, options(`/${side}`));
    return {
      label,
      mean: xs.length === 0 ? 0 : mean(xs),
      median: median(xs),
      low,
      high,
      n: xs.length,
    };
  };
  const epochs = (e: number) => e.toLocaleString("en-US");
  return {
    ...BASE,
    estimate: n === 0 ? null : average,
    ci: ci === null ? null : [ci.low, ci.high],
    n,
    verdict,
    level,
    looks,
    seeds,
    draws: new Set(draws).size,
    cap: verdict !== "supported" && verdict !== "contradicted" &&
      seeds >= statistics.decide.maxSeeds,
    summary: `Search ${s.search} spent ${epochs(s.searched.epochs)} epochs, ${
      percent(share)
    } % of ${s.sweep}'s ${epochs(s.swept.epochs)}${
      overBudget ? ", more than a third" : ""
    }; hypervolume of its front ${formatNumber(s.searched.hypervolume)} against ${
      formatNumber(s.swept.hypervolume)
    } for ${s.sweep}'s; the difference per replicate over ${n} replicates: ${
      ciText({ estimate: average, ci, verdict, n }, level)
    }.`,
    evidence: [
      estimate("searched", `hypervolume, search ${s.search} (${epochs(s.searched.epochs)} epochs)`),
      estimate("swept", `hypervolume, sweep ${s.sweep} (${epochs(s.swept.epochs)} epochs)`),
    ],
  };
}
