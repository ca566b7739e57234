/**
 * Statistics over configurations and their replicates: the `summarise` stage (one row of metrics
 * per configuration, seed 0 of draw 0), `collect` (every run), `stats` (mean, std and bootstrap
 * confidence interval per metric) and `loss-bands` (training curves over replicates), with the
 * estimators they use. Stage modules are loaded by URL from `stages/pipeline.ts` and import each
 * other file by file, never through this door, so that a stage's key covers only the modules it
 * loads; this file re-exports nothing.
 *
 * @module
 */
export {};
