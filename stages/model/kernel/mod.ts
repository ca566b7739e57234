/**
 * The training step compiled to WebAssembly: what `train` runs on the wasm backend. Like the
 * other stage folders, this file re-exports nothing (a stage's key covers every module it loads);
 * it lists what the folder holds:
 *
 * - `train_step.c` — one Adam step of L̃ on f and g, in wasm SIMD, float for float what tfjs' wasm
 *   backend computes for train.ts' ops (the file's header says what that takes);
 * - `train_step_wasm.ts` — the compiled step, base64 (generated: `deno task kernel`);
 * - `build.ts` — that task: clang 14 → wasm → `train_step_wasm.ts`;
 * - `trainer.ts` — instantiates the step for one training and calls it.
 *
 * @module
 */
export {};
