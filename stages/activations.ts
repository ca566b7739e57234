/**
 * The activations, as one table: per activation its name, its code in the compiled kernel, its
 * label and default colour, what its backward pass keeps, and its float64 and tfjs
 * implementations (its C reproduction is `model/kernel/activations.h`, selected by the enum that
 * `deno task kernel` generates from this table into `model/kernel/kernel_facts.h`). The parameter
 * schema, the labels of captions and claims, the colours of the figures, the memory estimates
 * and the evaluation all read it, so an activation is added here (and in C) and nowhere else.
 *
 * @module
 */
import type * as tfc from "@tensorflow/tfjs-core";

/** The tfjs namespace (network.ts passes it in). */
type Tf = typeof tfc;

/** What a hidden layer's backward pass reads act'(z) from. */
export type Kept =
  /** Nothing beyond the output h: act'(z) is a function of h (ReLU's step, tanh's 1 − h²). */
  | "output"
  /** A slope tensor stored by the forward pass beside h (SiLU's). */
  | "slope";

/** One activation's facts. */
export interface ActivationFacts {
  /** Its number in the kernel's `enum Activation` (and in `setup`): its row in the table. */
  readonly code: number;
  /** How the post writes it: `ReLU`. */
  readonly label: string;
  /** Its colour in the figures when `style.colors` sets none. */
  readonly colour: string;
  /** What backward reads act'(z) from (the kernel keeps a slope row only for `slope`). */
  readonly kept: Kept;
  /** Tensors of [rows, width] each tfjs forward pass keeps per hidden layer (footprint.ts). */
  readonly tfjsTensors: number;
  /** The activation in float64, for evaluation. */
  readonly float64: (z: number) => number;
  /**
   * A hidden layer in tfjs, from its input `a` and parameters: its output h and act'(z) (the
   * factor that turns ∂L/∂h into ∂L/∂z), as network.ts' forward pass records them.
   */
  readonly tfjs: (
    tf: Tf,
    a: tfc.Tensor2D,
    kernel: tfc.Tensor2D,
    bias: tfc.Tensor1D,
  ) => { h: tfc.Tensor2D; slope: tfc.Tensor2D };
}

/** leaky ReLU's slope below zero: PyTorch's default (`nn.LeakyReLU(0.01)`). */
export const LEAKY_SLOPE = 0.01;

const linear = (tf: Tf, a: tfc.Tensor2D, b: tfc.Tensor2D, bias: tfc.Tensor1D) =>
  tf.fused.matMul({ a, b, bias }) as tfc.Tensor2D;

/**
 * The table, in kernel-code order. ReLU is fused into its product (tfjs' fused matMul); SiLU and
 * tanh (not fused activations in tfjs) follow a fused matMul+bias.
 */
export const ACTIVATION_TABLE = {
  relu: {
    code: 0,
    label: "ReLU",
    colour: "#1f77b4",
    kept: "output",
    tfjsTensors: 2,
    float64: (z) => z > 0 ? z : 0,
    tfjs: (tf, a, b, bias) => {
      const h = tf.fused.matMul({ a, b, bias, activation: "relu" }) as tfc.Tensor2D;
      // ReLU'(z) = 1 where z > 0, i.e. where the output is positive.
      return { h, slope: tf.step(h) as tfc.Tensor2D };
    },
  },
  silu: {
    code: 1,
    label: "SiLU",
    colour: "#ff7f0e",
    kept: "slope",
    tfjsTensors: 7,
    float64: (z) => z / (1 + Math.exp(-z)),
    tfjs: (tf, a, b, bias) => {
      const z = linear(tf, a, b, bias);
      const s = tf.sigmoid(z);
      // SiLU'(z) = s·(1 + z·(1 − s)), s = sigmoid(z).
      return {
        h: tf.mul<tfc.Tensor2D>(z, s),
        slope: tf.mul<tfc.Tensor2D>(s, tf.add(1, tf.mul(z, tf.sub(1, s)))),
      };
    },
  },
  tanh: {
    code: 2,
    label: "tanh",
    colour: "#9467bd",
    kept: "output",
    tfjsTensors: 4,
    float64: Math.tanh,
    tfjs: (tf, a, b, bias) => {
      const h = tf.tanh(linear(tf, a, b, bias));
      // tanh'(z) = 1 − h², h = tanh(z).
      return { h, slope: tf.sub<tfc.Tensor2D>(1, tf.square(h)) };
    },
  },
  leaky_relu: {
    code: 3,
    label: "leaky ReLU",
    colour: "#2ca02c",
    kept: "output",
    tfjsTensors: 3,
    float64: (z) => z < 0 ? LEAKY_SLOPE * z : z,
    tfjs: (tf, a, b, bias) => {
      // tfjs' wasm LeakyRelu: z < 0 ? α·z : z, α in float32 (PyTorch's default slope, 0.01).
      const h = tf.leakyRelu(linear(tf, a, b, bias), LEAKY_SLOPE);
      // Its derivative is 1 where z > 0 and α elsewhere; h has z's sign, so step(h, α) is it.
      return { h, slope: tf.step(h, LEAKY_SLOPE) as tfc.Tensor2D };
    },
  },
  elu: {
    code: 4,
    label: "ELU",
    colour: "#8c564b",
    kept: "output",
    tfjsTensors: 3,
    float64: (z) => z > 0 ? z : Math.expm1(z),
    tfjs: (tf, a, b, bias) => {
      // tfjs' wasm Elu (XNNPACK's, α = 1), fused into the product: z > 0 ? z : e^z − 1.
      const h = tf.fused.matMul({ a, b, bias, activation: "elu" }) as tfc.Tensor2D;
      // ELU'(z) is 1 where z > 0, else e^z = h + 1: 1 + min(h, 0), as tfjs' EluGrad has it.
      return { h, slope: tf.add<tfc.Tensor2D>(1, tf.minimum(h, 0)) };
    },
  },
  softplus: {
    code: 5,
    label: "softplus",
    colour: "#17becf",
    kept: "slope",
    tfjsTensors: 3,
    float64: (z) => Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))),
    tfjs: (tf, a, b, bias) => {
      const z = linear(tf, a, b, bias);
      // softplus(z) = log(1 + e^z), tfjs' wasm Softplus (musl's expf and log); its derivative
      // is sigmoid(z).
      return { h: tf.softplus(z), slope: tf.sigmoid(z) };
    },
  },
} as const satisfies Record<string, ActivationFacts>;

/** An activation's name, as `params.json` writes it. */
export type Activation = keyof typeof ACTIVATION_TABLE;

/** Every activation, in kernel-code order. */
export const ACTIVATIONS = Object.keys(ACTIVATION_TABLE) as [Activation, ...Activation[]];

/**
 * The facts of an activation.
 *
 * @example
 * ```ts
 * import { activationFacts } from "./activations.ts";
 * activationFacts("silu").kept; // "slope"
 * ```
 */
export function activationFacts(a: Activation): ActivationFacts {
  return ACTIVATION_TABLE[a];
}

/**
 * Tells whether a value names an activation.
 *
 * @example
 * ```ts
 * import { isActivation } from "./activations.ts";
 * isActivation("tanh"); // true
 * isActivation("sigmoid"); // false
 * ```
 */
export function isActivation(v: unknown): v is Activation {
  return typeof v === "string" && Object.hasOwn(ACTIVATION_TABLE, v);
}

/**
 * The activation as the post writes it; a name the table does not hold is returned as it is.
 *
 * @example
 * ```ts
 * import { activationLabel } from "./activations.ts";
 * activationLabel("silu"); // "SiLU"
 * ```
 */
export function activationLabel(a: string): string {
  return isActivation(a) ? ACTIVATION_TABLE[a].label : a;
}

/**
 * The activation in float64, for evaluation.
 *
 * @example
 * ```ts
 * import { activate } from "./activations.ts";
 * activate("relu", -2); // 0
 * activate("tanh", 0); // 0
 * ```
 */
export function activate(a: Activation, z: number): number {
  return ACTIVATION_TABLE[a].float64(z);
}
