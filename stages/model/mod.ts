/**
 * The model: the networks f and g, their loss, backprop and Adam on tfjs, the `train` stage (on
 * tfjs or on the compiled kernel of `kernel/`) and the `evaluate` stage that measures fit and
 * inversion. Stage modules are loaded by URL from `stages/pipeline.ts` and import each other file
 * by file, never through this door, so that a stage's key covers only the modules it loads; this
 * file re-exports nothing.
 *
 * @module
 */
export {};
