/**
 * What `reproduce --decide` adds after a round (the engine's decide hook, see
 * pipeline/core/stage.ts): for every claim still undecided, among those named (all when none
 * are), its rows' seeds per draw doubled, up to `statistics.decide.maxSeeds` (stopping_rule.ts),
 * as `--set statistics.claimSeeds.<claim>=<seeds>`; nothing once every such claim is decided or
 * at the cap.
 *
 * @module
 */
import type { ClaimsFile } from "./claims_format.ts";
import { nextSeeds } from "./stopping_rule.ts";

/**
 * The overrides of the next round from this round's `claims.json`, or null when done.
 *
 * @example
 * ```ts
 * import { nextOverrides } from "./decide_next.ts";
 * const claim = (id: string, verdict: string, seeds: number) => ({ id, verdict, seeds });
 * nextOverrides({ maxSeeds: 40, claims: [claim("fit-rises", "supported", 5),
 *   claim("misses-trend", "undecided", 5)] }, []);
 * // ["statistics.claimSeeds.misses-trend=10"]
 * ```
 */
export function nextOverrides(
  file: {
    readonly maxSeeds: number;
    readonly claims: readonly {
      readonly id: string;
      readonly verdict: string;
      readonly seeds: number;
    }[];
  },
  targets: readonly string[],
): string[] | null {
  const more = file.claims.flatMap((c) => {
    if (targets.length > 0 && !targets.includes(c.id)) return [];
    if (c.verdict === "supported" || c.verdict === "contradicted" || c.seeds === 0) return [];
    const seeds = nextSeeds(c.seeds, file.maxSeeds);
    return seeds === undefined ? [] : [`statistics.claimSeeds.${c.id}=${seeds}`];
  });
  return more.length === 0 ? null : more;
}

/** The hook's `next`: reads this round's `claims.json` from the `claims` stage. */
export async function nextRound(input: {
  readonly read: (stage: string, file: string) => Promise<string>;
  readonly targets: readonly string[];
}): Promise<string[] | null> {
  const file = JSON.parse(await input.read("claims", "claims.json")) as ClaimsFile;
  return nextOverrides(file, input.targets);
}
