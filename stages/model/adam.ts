/**
 * Adam over one flat parameter vector: the same float32 operations, in the same order, as tfjs'
 * `tf.train.adam`, so the result is bit for bit what `tf.train.adam` gives variable by variable
 * (every operation is elementwise, so packing the variables into one vector changes no value),
 * in 15 kernels per step instead of 15 per variable.
 *
 * @module
 */
import type * as tfc from "@tensorflow/tfjs-core";
import type { Tf } from "./network.ts";

/** Adam's hyper-parameters. */
export interface AdamOptions {
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
}

/** Adam's own state: its moments and how many steps it took. */
export interface AdamState {
  readonly m: Float32Array;
  readonly v: Float32Array;
  readonly steps: number;
}

/** An Adam optimiser bound to one parameter vector's size; it owns its moment tensors. */
export interface Adam {
  /**
   * One update: returns the new parameters (kept out of any `tf.tidy`) and disposes `params`.
   * `grad` has the shape of `params`.
   */
  step(params: tfc.Tensor1D, grad: tfc.Tensor1D): tfc.Tensor1D;
  /** Its moments' values and steps now, from which `createAdam(…, state)` goes on. */
  state(): AdamState;
  /** Frees the moments and constants. */
  dispose(): void;
}

/**
 * Creates an Adam optimiser for vectors of `size` parameters, fresh or going on from `from`
 * (what {@linkcode Adam.state} gave): the same steps then give the same bits either way.
 *
 * @example
 * ```ts
 * import { initBackend } from "./tf_backend.ts";
 * import { createAdam } from "./adam.ts";
 * const tf = await initBackend("tfjs-cpu");
 * const adam = createAdam(tf, 2, { learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
 * const p = adam.step(tf.tensor1d([1, 1]), tf.tensor1d([1, -1]));
 * Array.from(p.dataSync()).map((v) => v.toFixed(3)); // ["0.900", "1.100"]
 * p.dispose();
 * adam.dispose();
 * ```
 */
export function createAdam(tf: Tf, size: number, o: AdamOptions, from?: AdamState): Adam {
  // The constants tf.train.adam turns into float32 scalars on every step, made once.
  const [beta1, beta2, oneMinusBeta1, oneMinusBeta2, epsilon, negLearningRate] = [
    o.beta1,
    o.beta2,
    1 - o.beta1,
    1 - o.beta2,
    o.epsilon,
    -o.learningRate,
  ].map((v) => tf.scalar(v));
  let m: tfc.Tensor1D = from ? tf.tensor1d(from.m) : tf.zeros([size]);
  let v: tfc.Tensor1D = from ? tf.tensor1d(from.v) : tf.zeros([size]);
  let steps = from?.steps ?? 0;
  const corrections = biasCorrections(o, steps);
  return {
    step(params, grad) {
      const [correction1, correction2] = corrections();
      const [next, nextM, nextV] = tf.tidy(() => {
        const oneMinusAcc1 = tf.scalar(correction1);
        const oneMinusAcc2 = tf.scalar(correction2);
        const newM = tf.add(tf.mul(m, beta1!), tf.mul(grad, oneMinusBeta1!));
        const newV = tf.add(tf.mul(v, beta2!), tf.mul(tf.square(grad), oneMinusBeta2!));
        const mHat = tf.div(newM, oneMinusAcc1);
        const vHat = tf.div(newV, oneMinusAcc2);
        const update = tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), epsilon!)), negLearningRate!);
        return [tf.add(update, params), newM, newV] as tfc.Tensor1D[];
      });
      tf.dispose([m, v, params]);
      m = tf.keep(nextM!);
      v = tf.keep(nextV!);
      steps++;
      return tf.keep(next!);
    },
    state: () => ({
      m: Float32Array.from(m.dataSync()),
      v: Float32Array.from(v.dataSync()),
      steps,
    }),
    dispose() {
      tf.dispose([
        m,
        v,
        beta1!,
        beta2!,
        oneMinusBeta1!,
        oneMinusBeta2!,
        epsilon!,
        negLearningRate!,
      ]);
    },
  };
}

/**
 * Adam's bias corrections 1 − β₁ᵗ and 1 − β₂ᵗ, one pair per call (t = 1, 2, …, or from
 * t = `done` + 1 for an optimiser that already took `done` steps), as float32
 * values computed the way `tf.train.adam` computes them: it keeps β₁ᵗ and β₂ᵗ in float32
 * variables multiplied by β each step (float64 products of float32 values rounded with
 * Math.fround are exactly those float32 products). Shared by {@linkcode createAdam} and the
 * compiled kernel's trainer, which must agree to the bit.
 *
 * @example
 * ```ts
 * import { biasCorrections } from "./adam.ts";
 * const next = biasCorrections({ beta1: 0.5, beta2: 0.5 });
 * next(); // [0.5, 0.5]
 * next(); // [0.75, 0.75]
 * ```
 */
export function biasCorrections(
  o: Pick<AdamOptions, "beta1" | "beta2">,
  done = 0,
): () => readonly [number, number] {
  const f32 = Math.fround;
  let accBeta1 = f32(o.beta1);
  let accBeta2 = f32(o.beta2);
  const next = () => {
    const pair = [f32(1 - accBeta1), f32(1 - accBeta2)] as const;
    accBeta1 = f32(accBeta1 * f32(o.beta1));
    accBeta2 = f32(accBeta2 * f32(o.beta2));
    return pair;
  };
  // The products are replayed, not taken as powers: those are what the optimiser holds.
  for (let t = 0; t < done; t++) next();
  return next;
}
