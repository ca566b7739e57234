/**
 * The model: the networks f and g on tfjs and as a compiled kernel, their loss, backprop and Adam, the `train` stage, and the `evaluate` stage that measures fit and inversion.
 *
 * A stage module is loaded by URL from `stages/pipeline.ts`, and a stage's key covers every module
 * it loads: modules here import each other file by file, never through this door, so that a key
 * covers only what its stage uses. This file re-exports nothing; it lists what the folder holds:
 *
 * - `adam.ts`
 * - `evaluate.ts`
 * - `evaluation_metrics.ts`
 * - `kernel/` — the compiled training step (`train_step.c` and its build), bit for bit tfjs' wasm
 *   backend; `kernel/mod.ts` lists it
 * - `loss.ts`
 * - `network.ts`
 * - `parameter_vector.ts`
 * - `tf_backend.ts`
 * - `train.ts`
 * - `weights.ts`
 *
 * @module
 */
export {};
