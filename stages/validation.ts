/**
 * The experiment's parameters checked beyond their schema, before anything runs: the epochs whose
 * states are kept, the memory every training needs, and how far `--decide` may take the claims.
 *
 * @module
 */
import type { ParamIssue, Pipeline } from "../pipeline/core/stage.ts";
import { validateWith } from "../pipeline/params/validate.ts";
import { MAX_TRAININGS, type Params, paramsSchema } from "./params_schema.ts";
import { memoryIssues } from "./model/footprint.ts";
import { claimedRows } from "./claimed_design.ts";
import { CLAIMED_SEARCH } from "./claims/search_claim.ts";

const validateSchema = validateWith(paramsSchema);

/** Epochs of `training.checkpoints` that are not before `training.epochs`, or listed twice. */
function checkpointIssues({ checkpoints, epochs }: Params["training"]): ParamIssue[] {
  return checkpoints.flatMap((epoch, i) => {
    const path = `training.checkpoints.${i}`;
    if (epoch >= epochs) {
      return [{
        path,
        message: `${epoch} is not before training.epochs (${epochs}): list earlier epochs`,
      }];
    }
    const first = checkpoints.indexOf(epoch);
    return first < i
      ? [{ path, message: `${epoch} is listed twice (entries ${first} and ${i}): list it once` }]
      : [];
  });
}

/**
 * The trainings the design reaches when `--decide` takes every claim to its cap must stay within
 * the schema's limit: refused here, before the first round, rather than in a later one.
 */
function decideIssues(params: Params): { path: string; message: string }[] {
  const { maxSeeds } = params.statistics.decide;
  // A claimed search's trainings count too: every trial at every rung, at the most.
  const runs = (seeds?: number) =>
    claimedRows(params, seeds).rows.reduce((n, r) => n + r.seeds * r.draws, 0) +
    Object.entries(params.searches).reduce(
      (n, [name, s]) =>
        n + s.trials * s.rungs.length * s.replicates.draws *
          (name === CLAIMED_SEARCH ? Math.max(s.replicates.seeds, seeds ?? 0) : s.replicates.seeds),
      0,
    );
  const now = runs(), most = runs(maxSeeds);
  if (most <= MAX_TRAININGS) return [];
  const [path, value] = now > MAX_TRAININGS
    ? ["statistics.minRuns", params.statistics.minRuns]
    : ["statistics.decide.maxSeeds", maxSeeds];
  return [{
    path,
    message: `${value} would let the claims' rows reach ${
      Math.max(now, most)
    } trainings, more than the limit of ${MAX_TRAININGS}: lower it`,
  }];
}

/**
 * The schema's checks, the epochs whose states are kept, then the memory every training needs
 * (model/footprint.ts), then how far `--decide` may take the claims: a network or a data size
 * that cannot fit is refused here, before anything runs.
 */
export function validate(doc: unknown): ReturnType<Pipeline<Params>["validate"]> {
  const checked = validateSchema(doc);
  if (!checked.ok) return checked;
  const issues = [
    ...checkpointIssues(checked.value.training),
    ...memoryIssues(checked.value, Deno.systemMemoryInfo().total),
    ...decideIssues(checked.value),
  ];
  return issues.length === 0 ? checked : { ok: false, issues };
}
