/**
 * The data: the seeded random generator, cubic splines, the CSV dialect the stages exchange, and the `generate` stage that draws the point cloud.
 *
 * A stage module is loaded by URL from `stages/pipeline.ts`, and a stage's key covers every module
 * it loads: modules here import each other file by file, never through this door, so that a key
 * covers only what its stage uses. This file re-exports nothing; it lists what the folder holds:
 *
 * - `csv.ts`
 * - `generate.ts`
 * - `random.ts`
 * - `spline.ts`
 *
 * @module
 */
export {};
