/**
 * The compiled training step, which `train` runs with `training.backend: "kernel"` (and
 * `kernel-native`, `kernel-wasm`): `train_step.c` (one Adam step of L̃ on f and g for any network
 * of architecture.ts, float for float what tfjs' wasm backend computes) with its two target layers
 * (`target_wasm.h`, `target_native.h`); its WebAssembly build, committed as `train_step_wasm.ts`
 * by `deno task kernel` (`build.ts`) and loaded by `wasm_kernel.ts`; its native build, compiled
 * on first use by this machine's C compiler and loaded by `native_kernel.ts`; both behind
 * `calls.ts`, which the trainer (`trainer.ts`) calls. Like the other stage folders' doors, this
 * file re-exports nothing: a stage's key covers every module it loads.
 *
 * @module
 */
export {};
