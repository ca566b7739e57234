/**
 * The design as the claims raise it: the rows a claim compares run by run, with the seeds per draw
 * `statistics.claimSeeds` asks for, and the search the search-front claim is about, with its
 * sweep. Shared by the declaration (pipeline.ts) and the check of how far `--decide` may go
 * (validation.ts).
 *
 * @module
 */
import { type DesignParams, designRows, type ReplicateGroup, type Row } from "./design.ts";
import { CLAIM_IDS, type Params } from "./params_schema.ts";
import { claimGroups, subjectsOf } from "./claims/claim_rows.ts";
import { CLAIMED_SEARCH } from "./claims/search_claim.ts";

/** The design's parameters: the configurations, sweeps and replicates, the default network. */
export function designOf(params: Params): DesignParams {
  const { layers, activation } = params.training;
  return { ...params, layers, activation };
}

/**
 * The design's rows, those a claim compares run by run sharing its replicates
 * (claims/claim_rows.ts), with the seeds per draw `statistics.claimSeeds` asks for (or `seeds`
 * for every claim, the most `--decide` may reach), and those replicate groups.
 */
export function claimedRows(
  params: Params,
  seeds?: number,
): { rows: Row[]; groups: ReplicateGroup[] } {
  const base = designRows(designOf(params));
  const subjects = subjectsOf(base, params.configs, params.training.layers);
  const statistics = seeds === undefined
    ? params.statistics
    : { ...params.statistics, claimSeeds: Object.fromEntries(CLAIM_IDS.map((c) => [c, seeds])) };
  const raised = claimedSearchSeeds(params, statistics);
  const cells = raised === undefined
    ? []
    : base.filter((r) => r.sweep === params.searches[CLAIMED_SEARCH]!.compare);
  const groups = [
    ...claimGroups(subjects, statistics),
    // The search-front claim pairs its search's replicates with its sweep's.
    ...(cells.length === 0 ? [] : [{ rows: cells.map((r) => r.id), seeds: raised!, draws: 1 }]),
  ];
  return { rows: designRows({ ...designOf(params), groups }), groups };
}

/**
 * The seeds per draw `statistics.claimSeeds` gives the search the search-front claim is about,
 * and its sweep, when above the search's own (`--decide` raises them); undefined otherwise.
 */
export function claimedSearchSeeds(
  params: Params,
  statistics: Pick<Params["statistics"], "claimSeeds">,
): number | undefined {
  const asked = statistics.claimSeeds?.["search-front"];
  const own = params.searches[CLAIMED_SEARCH]?.replicates.seeds;
  return own === undefined || asked === undefined || asked <= own ? undefined : asked;
}
