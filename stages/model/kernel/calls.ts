/**
 * What the trainer needs of a build of `train_step.c`, whichever it is: the WebAssembly module
 * (`wasm_kernel.ts`) or the native library built on this machine (`native_kernel.ts`). Both run
 * the same C source with the same IEEE operations, so they give the same bits.
 *
 * @module
 */

/** Which build runs: the committed WebAssembly module, or a library compiled here. */
export type KernelBuild = "wasm" | "native";

/** One instance of the kernel: its C functions, and views of its memory by pointer. */
export interface KernelCalls {
  readonly build: KernelBuild;
  /** Where the hidden widths go before `setup` (see train_step.c). */
  shape(): number;
  setup(
    hidden: number,
    rows: number,
    activation: number,
    beta1: number,
    beta2: number,
    oneMinusBeta1: number,
    oneMinusBeta2: number,
    epsilon: number,
    negLearningRate: number,
  ): number;
  parameters(): number;
  parameter_count(): number;
  /** Adam's first moments (`parameter_count()` values), as parameters() lays them out. */
  first_moments(): number;
  /** Adam's second moments, likewise. */
  second_moments(): number;
  scratch(n: number): number;
  heap_end(): number;
  activate_in_place(values: number, n: number, activation: number): void;
  inputs(): number;
  targets(): number;
  rows(): number;
  terms(): number;
  step(
    n: number,
    gather: number,
    cycles: number,
    lambda: number,
    mu: number,
    fitScale: number,
    muScale: number,
    lambdaScale: number,
    biasCorrection1: number,
    biasCorrection2: number,
  ): void;
  /** `length` float32 values at a pointer the kernel returned, live. */
  f32(pointer: number, length: number): Float32Array;
  /** `length` int32 values at a pointer the kernel returned, live. */
  i32(pointer: number, length: number): Int32Array;
}
