/**
 * The training step compiled to WebAssembly, which `train` runs with `training.backend: "kernel"`:
 * `train_step.c` (one Adam step of L̃ on f and g for any network of architecture.ts, float for
 * float what tfjs' wasm backend computes), the module `deno task kernel` generates from it
 * (`build.ts`), and the trainer that calls it. Like the other stage folders' doors, this file
 * re-exports nothing: a stage's key covers every module it loads.
 *
 * @module
 */
export {};
