/**
 * The data: the `generate` stage, which draws the post's point cloud, with the seeded random
 * generator, the cubic splines and the CSV dialect the stages exchange. Stage modules are loaded by
 * URL from `stages/pipeline.ts` and import each other file by file, never through this door, so
 * that a stage's key covers only the modules it loads; this file re-exports nothing.
 *
 * @module
 */
export {};
