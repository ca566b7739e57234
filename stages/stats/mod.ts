/**
 * Statistics over configurations and their replicates: the `summarise` stage (one row of metrics
 * per configuration, seed 0 of draw 0), `collect` (every run), `stats` (mean, std and bootstrap
 * confidence interval per metric), `claims` (the post's claims decided) and `loss-bands`.
 *
 * A stage module is loaded by URL from `stages/pipeline.ts`, and a stage's key covers every module
 * it loads: modules here import each other file by file, never through this door, so that a key
 * covers only what its stage uses. This file re-exports nothing; it lists what the folder holds:
 *
 * - `bootstrap.ts`
 * - `claims.ts`
 * - `claims_markdown.ts`
 * - `collect.ts`
 * - `decide.ts`
 * - `describe.ts`
 * - `loss_bands.ts`
 * - `number_format.ts`
 * - `rank_correlation.ts`
 * - `replicates_table.ts`
 * - `stats_table.ts`
 * - `summarise.ts`
 *
 * @module
 */
export {};
