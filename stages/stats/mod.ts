/**
 * Statistics over configurations: the `summarise` stage that collects one row of metrics per configuration.
 *
 * A stage module is loaded by URL from `stages/pipeline.ts`, and a stage's key covers every module
 * it loads: modules here import each other file by file, never through this door, so that a key
 * covers only what its stage uses. This file re-exports nothing; it lists what the folder holds:
 *
 * - `summarise.ts`
 *
 * @module
 */
export {};
