/**
 * The networks of architecture.ts on tfjs: the forward pass layer by layer and its hand-written
 * backward pass, for any depth, widths and activation.
 *
 * @module
 */
import type * as tfc from "@tensorflow/tfjs-core";
import type { LayerValues } from "./architecture.ts";
import { type Activation, ACTIVATION_TABLE } from "../activations.ts";

/** The tfjs namespace, passed in so that this module never initialises a backend itself. */
export type Tf = typeof tfc;

/** One linear layer's parameters as tensors (variables, or slices of a parameter vector). */
export interface Layer {
  /** Shape [in, out]. */
  readonly kernel: tfc.Tensor2D;
  /** Shape [out]. */
  readonly bias: tfc.Tensor1D;
}

/** A network: its layers in order. */
export type Network = readonly Layer[];

/**
 * Turns layer values into tfjs variables (the networks of tests and examples; training keeps its
 * parameters in one vector, see parameter_vector.ts).
 *
 * @example
 * ```ts
 * import { initBackend } from "./tf_backend.ts";
 * import { toNetwork } from "./network.ts";
 * import { initialLayers } from "./architecture.ts";
 * import { createRng } from "../data/random.ts";
 * const tf = await initBackend("tfjs-cpu");
 * const f = toNetwork(tf, initialLayers(createRng(0), [4, 4]));
 * f[1]!.kernel.shape; // [4, 4]
 * f.forEach((l) => { l.kernel.dispose(); l.bias.dispose(); });
 * ```
 */
export function toNetwork(tf: Tf, layers: readonly LayerValues[]): Network {
  // tidy frees the initial tensors; the variables keep their own reference to the data.
  return tf.tidy(() =>
    layers.map((l) => ({
      kernel: tf.variable(tf.tensor2d([...l.kernel.values], [...l.kernel.shape])),
      bias: tf.variable(tf.tensor1d([...l.bias.values])),
    }))
  );
}

/** What the backward pass needs from a forward pass: each layer's input and activation data. */
export interface ForwardTrace {
  /** Input of each layer ([n, in]); `inputs[0]` is the network's input. */
  readonly inputs: readonly tfc.Tensor2D[];
  /**
   * Per hidden layer, the factor act'(z) that turns ∂L/∂act(z) into ∂L/∂z (each activation's
   * `tfjs` in activations.ts: the ReLU mask, SiLU's s·(1 + z·(1 − s)), tanh's 1 − h²).
   */
  readonly slopes: readonly tfc.Tensor2D[];
}

/** A forward pass: the output column [n, 1] and its trace for {@linkcode backward}. */
export interface Forward {
  readonly out: tfc.Tensor2D;
  readonly trace: ForwardTrace;
}

/**
 * The network applied to a column of inputs [n, 1] → [n, 1], keeping what the backward pass
 * needs, each hidden layer as activations.ts' table computes it in tfjs. No gradient tape is
 * involved: gradients come
 * from {@linkcode backward}, which needs no registered gradient functions (tfjs-core alone ships
 * none that Deno can load).
 */
export function forward(tf: Tf, net: Network, x: tfc.Tensor2D, activation: Activation): Forward {
  const inputs: tfc.Tensor2D[] = [];
  const slopes: tfc.Tensor2D[] = [];
  let h = x;
  net.forEach((layer, k) => {
    inputs.push(h);
    if (k === net.length - 1) {
      h = tf.fused.matMul({ a: h, b: layer.kernel, bias: layer.bias }) as tfc.Tensor2D;
    } else {
      const layerOut = ACTIVATION_TABLE[activation].tfjs(tf, h, layer.kernel, layer.bias);
      h = layerOut.h;
      slopes.push(layerOut.slope);
    }
  });
  return { out: h, trace: { inputs, slopes } };
}

/** Gradients from {@linkcode backward}. */
export interface Backward {
  /** ∂L/∂ of each layer's kernel and bias, in layer order (kernel, then bias). */
  readonly grads: tfc.Tensor[];
  /** ∂L/∂ of the network's input, [n, 1]; only when asked for. */
  readonly dInput?: tfc.Tensor2D;
}

/**
 * Back-propagates ∂L/∂out ([n, 1]) through a traced forward pass: dZ = dA ⊙ act'(z),
 * ∂W = hᵀ·dZ, ∂b = Σ_rows dZ, dH = dZ·Wᵀ. The input's gradient is computed only when
 * `wantInput` (for compositions, where the input is the other network's output).
 *
 * Shaped for the wasm backend's matMul, which is fast (XNNPACK) only without transpose flags and
 * repacks its right operand on every call: each product is arranged so that the operand it
 * repacks is the narrow one where there is one (dZ of the output layer, the input column of the
 * first layer), and Σ_rows dZ is summed along rows of the dZᵀ already made for ∂W. Every
 * float32 sum runs over the same values in the same order as the plain formulas, so the gradients
 * are bit for bit those of hᵀ·dZ and Σ_rows dZ on both backends.
 */
export function backward(
  tf: Tf,
  net: Network,
  trace: ForwardTrace,
  dOut: tfc.Tensor2D,
  wantInput: boolean,
): Backward {
  const grads: tfc.Tensor[] = new Array(net.length * 2);
  const n = dOut.shape[0];
  let dZ = dOut;
  for (let k = net.length - 1; k >= 0; k--) {
    const h = trace.inputs[k]!;
    const [nIn, nOut] = net[k]!.kernel.shape;
    if (nOut === 1) {
      grads[2 * k] = tf.matMul(tf.transpose(h), dZ);
      grads[2 * k + 1] = tf.sum(tf.reshape(dZ, [1, n]), 1);
    } else {
      const dZt = tf.transpose(dZ);
      const dWt = tf.matMul(dZt, h);
      grads[2 * k] = nIn === 1 ? tf.reshape(dWt, [1, nOut]) : tf.transpose(dWt);
      grads[2 * k + 1] = tf.sum(dZt, 1);
    }
    if (k === 0 && !wantInput) return { grads };
    const dH = tf.matMul<tfc.Tensor2D>(dZ, tf.transpose(net[k]!.kernel));
    dZ = k > 0 ? tf.mul<tfc.Tensor2D>(dH, trace.slopes[k - 1]!) : dH;
  }
  return { grads, dInput: dZ };
}

/** Frees a network's tensors. */
export function disposeNetwork(net: Network): void {
  for (const l of net) {
    l.kernel.dispose();
    l.bias.dispose();
  }
}
