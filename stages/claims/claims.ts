/**
 * The `claims` stage: the post's claims decided from `replicates.csv`, written as
 * `claims.json` (for the index page and other programs) and `claims.md` (to read and quote).
 *
 * @module
 */
import { join } from "node:path";
import type { StageContext } from "../../pipeline/core/stage.ts";
import type {
  ConfigParams,
  ReplicatesParams,
  StatisticsParams,
  SweepParams,
} from "../params_schema.ts";
import type { ClaimsFile } from "./claims_format.ts";
import { claimsMarkdown } from "./claims_markdown.ts";
import { decideClaims } from "./verdicts.ts";
import { parseReplicates } from "../stats/replicates_table.ts";
import { designRows, replicatesText } from "../design.ts";
import type { Architecture } from "../model/architecture.ts";
import { subjectsOf } from "./claim_rows.ts";
import { FEWEST_RUNS } from "./stopping_rule.ts";
import { CLAIMED_SEARCH, searchFrontClaim } from "./search_claim.ts";
import type { FrontSummary } from "../search/front_format.ts";
import type { SearchParams } from "../search_schema.ts";

/**
 * The parameters `claims` reads (see stages/pipeline.ts); its network (training.layers,
 * training.activation) is that of the rows that set none.
 */
export interface ClaimsParams extends Architecture {
  readonly configs: Readonly<Record<string, ConfigParams>>;
  readonly replicates: ReplicatesParams;
  readonly statistics: StatisticsParams;
  readonly sweeps: Readonly<Record<string, SweepParams>>;
  /** The searches: the search-front claim's looks start from its search's seeds. */
  readonly searches: Readonly<Record<string, SearchParams>>;
}

/**
 * Writes `claims.json` and `claims.md` from the `replicates` input's `replicates.csv`, and the
 * `search-front` claim from the input `search-front`'s `front.json`.
 */
export async function run(ctx: StageContext<ClaimsParams>): Promise<void> {
  const dir = ctx.inputs["replicates"];
  if (dir === undefined) throw new Error('claims: missing input "replicates"');
  const runs = parseReplicates(await Deno.readTextFile(join(dir, "replicates.csv")));
  const { configs, replicates, statistics, layers } = ctx.params;
  // The design's rows before the claims raise their replicates: each claim's first seeds.
  const searched = ctx.inputs[`search-${CLAIMED_SEARCH}`];
  const front = searched === undefined
    ? undefined
    : JSON.parse(await Deno.readTextFile(join(searched, "front.json"))) as FrontSummary;
  const claims = [
    ...decideClaims(runs, {
      ...subjectsOf(designRows(ctx.params), configs, layers),
      statistics,
    }),
    searchFrontClaim(front, statistics, ctx.params.searches[CLAIMED_SEARCH]?.replicates.seeds ?? 0),
  ];
  const file: ClaimsFile = {
    confidence: statistics.confidence,
    resamples: statistics.resamples,
    seed: statistics.seed,
    seeds: replicates.seeds,
    draws: replicates.draws,
    minRuns: statistics.minRuns,
    fewestRuns: FEWEST_RUNS,
    maxSeeds: statistics.decide.maxSeeds,
    claims,
    flipped: runs.filter((r) => r.metrics.flipped === 1).map(({ id, seed, draw }) => ({
      id,
      seed,
      draw,
    })),
    runs: runs.length,
  };
  await Deno.writeTextFile(join(ctx.outDir, "claims.json"), `${JSON.stringify(file, null, 2)}\n`);
  await Deno.writeTextFile(
    join(ctx.outDir, "claims.md"),
    claimsMarkdown(claims, {
      ...statistics,
      replicates: replicatesText(replicates),
      flipped: file.flipped,
      runs: file.runs,
      minRuns: file.minRuns,
      fewestRuns: file.fewestRuns,
      maxSeeds: file.maxSeeds,
    }),
  );
}
