/**
 * The WebAssembly build of `train_step.c` (the committed `train_step_wasm.ts`): a fresh instance,
 * with fresh memory, per training; the compiled module is shared within a worker.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { stageError } from "../../stage_codes.ts";
import { type KernelCalls, pickExports } from "./calls.ts";
import { TRAIN_STEP_WASM } from "./train_step_wasm.ts";

let compiled: WebAssembly.Module | undefined;

/** The compiled module, once per worker; a runtime without WebAssembly SIMD cannot compile it. */
function kernelModule(): WebAssembly.Module {
  try {
    return compiled ??= new WebAssembly.Module(Buffer.from(TRAIN_STEP_WASM, "base64"));
  } catch (e) {
    throw stageError(
      "backend-unavailable",
      `Cannot compile the training kernel: ${e instanceof Error ? e.message : String(e)}`,
      'set training.backend to "tfjs-wasm" (the same numbers, slower)',
    );
  }
}

/**
 * A fresh instance of the WebAssembly kernel.
 *
 * @example
 * ```ts
 * import { wasmKernel } from "./wasm_kernel.ts";
 * wasmKernel().build; // "wasm"
 * ```
 */
export function wasmKernel(): KernelCalls {
  const exports = new WebAssembly.Instance(kernelModule()).exports;
  const memory = exports.memory;
  if (!(memory instanceof WebAssembly.Memory)) throw new Error("The training kernel has no memory");
  // Memory may grow during setup: views are made on the current buffer each time.
  return {
    ...pickExports(exports, (f) => f),
    build: "wasm",
    f32: (at, n) => new Float32Array(memory.buffer, at, n),
    i32: (at, n) => new Int32Array(memory.buffer, at, n),
  };
}
