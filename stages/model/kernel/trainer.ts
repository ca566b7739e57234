/**
 * Training on the compiled kernel (`train_step.c`): the same job as `trainWith` on tfjs' wasm
 * backend, with the same results bit for bit, in one WebAssembly call per Adam step instead of
 * one tfjs op at a time. Each training gets a fresh instance (fresh memory, nothing carried over
 * from the previous stage in the worker); the compiled module is shared.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { StageError } from "../../../pipeline/core/stage.ts";
import { biasCorrections } from "../adam.ts";
import { type Activation, ACTIVATIONS, parameterCount } from "../architecture.ts";
import { MAX_HIDDEN_LAYERS } from "../../params_schema.ts";
import { TRAIN_STEP_WASM } from "./train_step_wasm.ts";

/** The kernel's exports (see train_step.c); pointers are byte offsets into `memory`. */
interface KernelExports {
  readonly memory: WebAssembly.Memory;
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
}

let compiled: WebAssembly.Module | undefined;

/** The compiled kernel, once per worker; a runtime without WebAssembly SIMD cannot compile it. */
function kernelModule(): WebAssembly.Module {
  try {
    return compiled ??= new WebAssembly.Module(Buffer.from(TRAIN_STEP_WASM, "base64"));
  } catch (e) {
    throw new StageError(
      "backend-unavailable",
      `Cannot compile the training kernel: ${e instanceof Error ? e.message : String(e)}`,
      'set training.backend to "tfjs-wasm" (the same numbers, slower)',
    );
  }
}

/** What a {@linkcode KernelTrainer} is made for. */
export interface KernelOptions {
  /** Hidden widths of f and g (architecture.ts). */
  readonly layers: readonly number[];
  /** The data; its length is the most rows a step can use. */
  readonly x: readonly number[];
  readonly y: readonly number[];
  readonly activation: Activation;
  readonly lambda: number;
  readonly mu: number;
  /** Adam's hyper-parameters, as adam.ts takes them. */
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** The starting parameters, in parameter_vector.ts' layout. */
  readonly initial: Float32Array;
}

/** A training in progress on the kernel: its parameters, and one Adam step at a time. */
export interface KernelTrainer {
  /** The parameter vector in parameter_vector.ts' layout, live: each step updates it. */
  readonly parameters: Float32Array;
  /** Bytes of the instance's memory in use once set up (static data included). */
  readonly memoryBytes: number;
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
export function createKernelTrainer(o: KernelOptions): KernelTrainer {
  const k = new WebAssembly.Instance(kernelModule()).exports as unknown as KernelExports;
  const f32 = Math.fround;
  const n = o.x.length;
  if (o.layers.length < 1 || o.layers.length > MAX_HIDDEN_LAYERS) {
    throw new Error(`The training kernel takes 1 to ${MAX_HIDDEN_LAYERS} hidden layers`);
  }
  new Int32Array(k.memory.buffer, k.shape(), o.layers.length).set(o.layers);
  const failed = k.setup(
    o.layers.length,
    n,
    ACTIVATIONS.indexOf(o.activation),
    f32(o.beta1),
    f32(o.beta2),
    f32(1 - o.beta1),
    f32(1 - o.beta2),
    f32(o.epsilon),
    f32(-o.learningRate),
  );
  if (failed !== 0) {
    throw new StageError(
      "backend-unavailable",
      `The training kernel cannot allocate memory for ${n} points and hidden layers [${o.layers}] (WebAssembly's 4 GiB)`,
      "train on fewer points (data.n) or smaller hidden layers (training.layers)",
    );
  }
  const size = k.parameter_count();
  if (size !== 2 * parameterCount(o.layers)) {
    throw new Error(`The training kernel counts ${size} parameters, architecture.ts otherwise`);
  }
  if (o.initial.length !== size) {
    throw new Error(`The training kernel takes ${size} parameters, not ${o.initial.length}`);
  }
  const memory = k.memory.buffer;
  const parameters = new Float32Array(memory, k.parameters(), size);
  parameters.set(o.initial);
  new Float32Array(memory, k.inputs(), n).set(o.x);
  new Float32Array(memory, k.targets(), n).set(o.y);
  const rowIds = new Int32Array(memory, k.rows(), n);
  const terms = new Float32Array(memory, k.terms(), 5);
  const cycles = (o.mu !== 0 ? 1 : 0) | (o.lambda !== 0 ? 2 : 0);
  const corrections = biasCorrections(o);
  return {
    parameters,
    memoryBytes: k.heap_end(),
    step(rows) {
      const m = rows === undefined ? n : rows.length;
      if (rows !== undefined) rowIds.set(rows);
      // The scalars loss.ts hands to tfjs, each made float32 as tfjs makes a number a tensor.
      const scale = 2 / m;
      const [correction1, correction2] = corrections();
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
export function activateWithKernel(values: Float32Array, activation: Activation): Float32Array {
  const k = new WebAssembly.Instance(kernelModule()).exports as unknown as KernelExports;
  const at = k.scratch(values.length);
  if (at === 0) throw new Error(`The training kernel cannot hold ${values.length} values`);
  new Float32Array(k.memory.buffer, at, values.length).set(values);
  k.activate_in_place(at, values.length, ACTIVATIONS.indexOf(activation));
  return new Float32Array(k.memory.buffer, at, values.length).slice();
}
