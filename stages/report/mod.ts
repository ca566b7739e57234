/**
 * The report: the `report` stage (the metrics table, the list of every figure and the index page),
 * and the commands that take the reproduced results elsewhere: `deno task publish` (the figures,
 * under stable names) and `deno task results` (the README's results block). Stage modules are
 * loaded by URL from `stages/pipeline.ts` and import each other file by file, never through this
 * door, so that a stage's key covers only the modules it loads; this file re-exports nothing.
 *
 * @module
 */
export {};
