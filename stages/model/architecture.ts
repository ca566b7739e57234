/**
 * The networks f and g as data: a network is its hidden widths and one activation, 1 → layers[0]
 * → … → layers[H−1] → 1, each hidden layer linear then activated, the output layer linear. Every
 * path derives from this description: tfjs training (network.ts), the compiled kernel's setup
 * (kernel/trainer.ts), the parameter vector's layout (parameter_vector.ts), the initial values,
 * float64 evaluation (weights.ts) and the figures' parameter counts. No path writes out a depth.
 *
 * @module
 */
import type { Rng } from "../data/random.ts";
import { activate, type Activation, ACTIVATIONS } from "../activations.ts";

export { activate, ACTIVATIONS };
export type { Activation };

/** One network of f and g: its hidden widths and the activation after each hidden layer. */
export interface Architecture {
  readonly layers: readonly number[];
  readonly activation: Activation;
}

/** One linear layer's values: `x · kernel + bias`, kernel row-major with shape [in, out]. */
export interface LayerValues {
  readonly kernel: {
    readonly shape: readonly [number, number];
    readonly values: readonly number[];
  };
  readonly bias: { readonly shape: readonly [number]; readonly values: readonly number[] };
}

/**
 * The [in, out] shape of every linear layer of a network with these hidden widths.
 *
 * @example
 * ```ts
 * import { layerShapes } from "./architecture.ts";
 * layerShapes([30, 30]); // [[1, 30], [30, 30], [30, 1]]
 * ```
 */
export function layerShapes(layers: readonly number[]): [number, number][] {
  const sizes = [1, ...layers, 1];
  return sizes.slice(1).map((out, i) => [sizes[i]!, out]);
}

/**
 * The parameters of one network (kernels and biases).
 *
 * @example
 * ```ts
 * import { parameterCount } from "./architecture.ts";
 * parameterCount([30, 30]); // 60 + 930 + 31 = 1021
 * ```
 */
export function parameterCount(layers: readonly number[]): number {
  return layerShapes(layers).reduce((sum, [nIn, nOut]) => sum + nIn * nOut + nOut, 0);
}

/**
 * Initial layer values, drawn like PyTorch's default (`nn.Linear`): weights and biases uniform in
 * ±1/√fan_in, rounded to float32, layer by layer, each kernel row-major then its bias.
 *
 * @example
 * ```ts
 * import { initialLayers } from "./architecture.ts";
 * import { createRng } from "../data/random.ts";
 * initialLayers(createRng(0, "f"), [30, 30]).map((l) => l.kernel.shape); // [[1, 30], [30, 30], [30, 1]]
 * ```
 */
export function initialLayers(rng: Rng, layers: readonly number[]): LayerValues[] {
  return layerShapes(layers).map(([nIn, nOut]) => {
    const bound = 1 / Math.sqrt(nIn);
    // A loop into an array of its length, which V8 fills faster than Array.from({ length }, f).
    const draws = (length: number): number[] => {
      const values = new Array<number>(length);
      for (let i = 0; i < length; i++) values[i] = Math.fround(bound * (2 * rng.uniform() - 1));
      return values;
    };
    const kernel = draws(nIn * nOut);
    return {
      kernel: { shape: [nIn, nOut], values: kernel },
      bias: { shape: [nOut], values: draws(nOut) },
    };
  });
}

/**
 * Applies a network (linear layers with `activation` between them, none after the last) to
 * scalar inputs, in float64.
 *
 * @example
 * ```ts
 * import { applyNetwork } from "./architecture.ts";
 * const double = [{ kernel: { shape: [1, 1], values: [2] }, bias: { shape: [1], values: [0] } }] as const;
 * applyNetwork(double, "relu", [1.5]); // [3]
 * ```
 */
export function applyNetwork(
  layers: readonly LayerValues[],
  activation: Activation,
  xs: readonly number[],
): number[] {
  return xs.map((x) => {
    let h: number[] = [x];
    layers.forEach((l, k) => {
      const [nIn, nOut] = l.kernel.shape;
      const out = l.bias.values.slice();
      for (let i = 0; i < nIn; i++) {
        const hi = h[i]!;
        for (let j = 0; j < nOut; j++) out[j] = out[j]! + hi * l.kernel.values[i * nOut + j]!;
      }
      h = k < layers.length - 1 ? out.map((z) => activate(activation, z)) : out;
    });
    return h[0]!;
  });
}
