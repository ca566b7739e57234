/**
 * The `searches` group of `params.json`: adaptive searches of the fit/inversion front, each a
 * successive halving (search/halving.ts) over trials drawn from a seeded Halton sequence
 * (search/halton.ts) and ranked by non-dominated sorting (search/pareto.ts).
 *
 * @module
 */
import { z } from "zod";
import { activationSchema, layersSchema, replicatesSchema } from "./run_schema.ts";

const positiveInt = z.number().int().min(1);
const positiveFinite = z.number().finite().positive();

/** A range searched on a log scale: `{ "log": [low, high] }`, 0 < low < high. */
export const logRangeSchema = z.strictObject({
  log: z.tuple([positiveFinite, positiveFinite]),
}).refine((r) => r.log[0] < r.log[1], {
  message: "is an empty range: give [low, high] with 0 < low < high",
  path: ["log"],
});

/** One search: where it looks, how many trials start, how long each rung trains. */
export const searchSchema = z.strictObject({
  /** The parameters searched: λ and μ on a log scale (μ may be tied to λ), networks from lists. */
  space: z.strictObject({
    lambda: logRangeSchema,
    /** `"lambda"`: μ = λ in every trial. */
    mu: z.union([logRangeSchema, z.literal("lambda")]),
    layers: z.array(layersSchema).min(1),
    activation: z.array(activationSchema).min(1),
  }),
  /** Trials drawn at the first rung; trial i is the same point whatever their number. */
  trials: positiveInt.max(1000),
  /** Epochs each rung trains to, increasing; a promoted trial continues from its last rung. */
  rungs: z.array(positiveInt.max(1_000_000)).min(1).max(8).refine(
    (r) => r.every((e, i) => i === 0 || e > r[i - 1]!),
    "must increase: each rung trains longer than the one before, e.g. [50, 150, 500]",
  ),
  /** Each rung keeps the best 1/eta of its trials (at least one). */
  eta: z.number().finite().gt(1).max(1000),
  /** What is minimised: the fit error and the inversion error (their front). */
  objectives: z.tuple([z.literal("fit"), z.literal("inversion")]),
  /** Replicates of every trial at every rung; a trial is ranked by their means. */
  replicates: replicatesSchema,
  /** Seed of the Halton sequence's shift. */
  seed: z.number().int().nonnegative().max(2 ** 31 - 1),
  /** The hypervolume's reference point (fit error, inversion error), worse than any front. */
  reference: z.strictObject({ fit: positiveFinite, inversion: positiveFinite }),
  /** The sweep whose front the search is measured against, at its epochs. */
  compare: z.string(),
});

/** The searches, by name (letters, digits, '-' and '_'). */
export const searchesSchema = z.record(
  z.string().regex(/^[A-Za-z0-9_-]+$/, "letters, digits, '-' and '_' only"),
  searchSchema,
);

/** One validated search. */
export type SearchParams = z.infer<typeof searchSchema>;

/**
 * What the schema of one search cannot see: a `compare` naming no sweep, and trials that may
 * reach more than `maxTrainings` trainings (every rung, every replicate).
 *
 * @example
 * ```ts
 * import { searchIssues } from "./search_schema.ts";
 * searchIssues({}, ["grid"], 10_000); // []
 * ```
 */
export function searchIssues(
  searches: Readonly<Record<string, SearchParams>>,
  sweeps: readonly string[],
  maxTrainings: number,
): { path: (string | number)[]; message: string }[] {
  return Object.entries(searches).flatMap(([name, s]) => {
    const issues = [];
    if (!sweeps.includes(s.compare)) {
      issues.push({
        path: ["searches", name, "compare"],
        message: `names no sweep: name one of ${sweeps.join(", ") || "(none: add a sweep)"}`,
      });
    }
    const runs = s.trials * s.replicates.seeds * s.replicates.draws * s.rungs.length;
    if (runs > maxTrainings) {
      issues.push({
        path: ["searches", name, "trials"],
        message:
          `${s.trials} trials may reach ${runs} trainings, more than ${maxTrainings}: lower it`,
      });
    }
    return issues;
  });
}
