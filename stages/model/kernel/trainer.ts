/**
 * Training on the compiled kernel (`train_step.c`): the same job as `trainWith` on tfjs' wasm
 * backend, with the same results bit for bit, in one call per Adam step instead of one tfjs op at
 * a time, on either build (`calls.ts`): a fresh WebAssembly instance, or the native library, whose
 * state is the worker thread's own and is released when the thread's next training sets up.
 *
 * @module
 */
import { stageError } from "../../stage_codes.ts";
import { type AdamState, biasCorrections } from "../adam.ts";
import { type Architecture, parameterCount } from "../architecture.ts";
import { type Activation, ACTIVATION_TABLE } from "../../activations.ts";
import { MAX_HIDDEN_LAYERS } from "../../run_schema.ts";
import type { KernelCalls } from "./calls.ts";
import { setupResult } from "./kernel_facts.ts";
import { wasmKernel } from "./wasm_kernel.ts";

/** What a {@linkcode KernelTrainer} is made for. */
export interface KernelOptions extends Architecture {
  /** The data; its length is the most rows a step can use. */
  readonly x: readonly number[];
  readonly y: readonly number[];
  readonly lambda: number;
  readonly mu: number;
  /** Adam's hyper-parameters, as adam.ts takes them. */
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** The starting parameters, in parameter_vector.ts' layout. */
  readonly initial: Float32Array;
  /** Adam's state to go on from (a training continued); fresh when absent. */
  readonly adam?: AdamState;
}

/** A training in progress on the kernel: its parameters, and one Adam step at a time. */
export interface KernelTrainer {
  /** The parameter vector in parameter_vector.ts' layout, live: each step updates it. */
  readonly parameters: Float32Array;
  /** Bytes of the kernel's memory in use once set up (the wasm build: static data included). */
  readonly memoryBytes: number;
  /** Adam's state now (copies of its moments), from which a trainer made with it goes on. */
  adam(): AdamState;
  /**
   * One Adam step on all rows, or on the rows listed; returns the step's loss terms (fit_f,
   * fit_g, cyc_y, cyc_x, total), valid until the next step.
   */
  step(rows?: readonly number[]): Float32Array;
}

/**
 * Instantiates the kernel for one training. Throws a `backend-unavailable` {@linkcode StageError}
 * when the kernel cannot be compiled here or memory for `x.length` rows cannot be had.
 *
 * @example
 * ```ts
 * import { createKernelTrainer } from "./trainer.ts";
 * const k = createKernelTrainer({
 *   layers: [2, 2], x: [0, 1], y: [0, 2], activation: "tanh", lambda: 1, mu: 1,
 *   learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8,
 *   initial: new Float32Array(26).fill(0.5), // 2 · (4 + 6 + 3) parameters
 * });
 * k.step().length; // 5
 * k.parameters.length; // 26
 * ```
 */
export function createKernelTrainer(
  o: KernelOptions,
  k: KernelCalls = wasmKernel(),
): KernelTrainer {
  const f32 = Math.fround;
  const n = o.x.length;
  if (o.layers.length < 1 || o.layers.length > MAX_HIDDEN_LAYERS) {
    throw new Error(`The training kernel takes 1 to ${MAX_HIDDEN_LAYERS} hidden layers`);
  }
  k.i32(k.shape(), o.layers.length).set(o.layers);
  const failed = k.setup(
    o.layers.length,
    n,
    ACTIVATION_TABLE[o.activation].code,
    f32(o.beta1),
    f32(o.beta2),
    f32(1 - o.beta1),
    f32(1 - o.beta2),
    f32(o.epsilon),
    f32(-o.learningRate),
  );
  const result = setupResult(failed);
  if (result !== "ok") throw kernelRefusal(result, o, k.build);
  const size = k.parameter_count();
  if (size !== 2 * parameterCount(o.layers)) {
    throw new Error(`The training kernel counts ${size} parameters, architecture.ts otherwise`);
  }
  if (o.initial.length !== size) {
    throw new Error(`The training kernel takes ${size} parameters, not ${o.initial.length}`);
  }
  const parameters = k.f32(k.parameters(), size);
  parameters.set(o.initial);
  if (o.adam && (o.adam.m.length !== size || o.adam.v.length !== size)) {
    throw new Error(`The training kernel takes ${size} moments, not ${o.adam.m.length}`);
  }
  if (o.adam) {
    k.f32(k.first_moments(), size).set(o.adam.m);
    k.f32(k.second_moments(), size).set(o.adam.v);
  }
  let steps = o.adam?.steps ?? 0;
  k.f32(k.inputs(), n).set(o.x);
  k.f32(k.targets(), n).set(o.y);
  const rowIds = k.i32(k.rows(), n);
  const terms = k.f32(k.terms(), 5);
  const cycles = (o.mu !== 0 ? 1 : 0) | (o.lambda !== 0 ? 2 : 0);
  const corrections = biasCorrections(o, steps);
  return {
    parameters,
    memoryBytes: k.heap_end(),
    adam: () => ({
      m: k.f32(k.first_moments(), size).slice(),
      v: k.f32(k.second_moments(), size).slice(),
      steps,
    }),
    step(rows) {
      const m = rows === undefined ? n : rows.length;
      if (rows !== undefined) rowIds.set(rows);
      // The scalars loss.ts hands to tfjs, each made float32 as tfjs makes a number a tensor.
      const scale = 2 / m;
      const [correction1, correction2] = corrections();
      steps++;
      k.step(
        m,
        rows === undefined ? 0 : 1,
        cycles,
        f32(o.lambda),
        f32(o.mu),
        f32(scale),
        f32(o.mu * scale),
        f32(o.lambda * scale),
        correction1,
        correction2,
      );
      return terms;
    },
  };
}

/**
 * The kernel's activation applied to each value (its forward epilogue, vector by vector), for
 * tests that compare it with tfjs' kernels.
 *
 * @example
 * ```ts
 * import { activateWithKernel } from "./trainer.ts";
 * Array.from(activateWithKernel(Float32Array.of(-1, 0, 2), "relu")); // [0, 0, 2]
 * ```
 */
export function activateWithKernel(
  values: Float32Array,
  activation: Activation,
  k: KernelCalls = wasmKernel(),
): Float32Array {
  const at = k.scratch(values.length);
  if (at === 0) throw new Error(`The training kernel cannot hold ${values.length} values`);
  k.f32(at, values.length).set(values);
  const result = setupResult(
    k.activate_in_place(at, values.length, ACTIVATION_TABLE[activation].code),
  );
  if (result !== "ok") throw kernelRefusal(result, { activation, layers: [], x: [] }, k.build);
  return k.f32(at, values.length).slice();
}

/**
 * Why the kernel refused a setup, as an error: memory it cannot have (a `backend-unavailable`
 * {@linkcode StageError}), or an activation or shape this build does not know (a kernel built
 * before activations.ts' table changed: kernel_facts.h stale).
 */
function kernelRefusal(
  result: Exclude<ReturnType<typeof setupResult>, "ok">,
  o: Architecture & { readonly x: readonly number[] },
  build: KernelCalls["build"],
): Error {
  switch (result) {
    case "out-of-memory":
      return stageError(
        "backend-unavailable",
        `The training kernel cannot allocate memory for ${o.x.length} points and hidden layers [${o.layers}]${
          build === "wasm" ? " (WebAssembly's 4 GiB)" : ""
        }`,
        "train on fewer points (data.n) or smaller hidden layers (training.layers)",
      );
    case "unknown-activation":
      return new Error(
        `The training kernel has no activation "${o.activation}" (code ${
          ACTIVATION_TABLE[o.activation].code
        }): rebuild it with \`deno task kernel\``,
      );
    case "bad-shape":
      return new Error(`The training kernel refuses hidden layers [${o.layers}]`);
    default:
      return new Error(`The training kernel's setup returned ${result}`);
  }
}
