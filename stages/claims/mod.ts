/**
 * The post's claims: the `claims` stage decides each from every run's metrics with bootstrap
 * confidence intervals and writes the verdicts as JSON and Markdown. Stage modules are loaded by
 * URL from `stages/pipeline.ts` and import each other file by file, never through this door, so
 * that a stage's key covers only the modules it loads; this file re-exports nothing.
 *
 * @module
 */
export {};
