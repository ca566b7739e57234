/**
 * The parameters of f and g laid out in one flat float32 vector (f's layers, then g's; in each
 * layer the kernel row-major, then the bias), so that the optimiser updates them with a few
 * kernels per step and the trained values are read back in one transfer.
 *
 * @module
 */
import type * as tfc from "@tensorflow/tfjs-core";
import type { Network, Tf } from "./network.ts";
import type { LayerValues } from "./architecture.ts";

/** Where one layer sits in the vector. */
export interface LayerSlot {
  /** Index of the kernel's first value. */
  readonly offset: number;
  /** [in, out]; the bias follows the kernel, `out` values. */
  readonly shape: readonly [number, number];
}

/** Where every layer of f and g sits. */
export interface ParameterLayout {
  readonly size: number;
  readonly f: readonly LayerSlot[];
  readonly g: readonly LayerSlot[];
}

/**
 * The layout of two networks of the given layer shapes.
 *
 * @example
 * ```ts
 * import { layoutOf } from "./parameter_vector.ts";
 * import { initialLayers } from "./architecture.ts";
 * import { createRng } from "../data/random.ts";
 * const net = initialLayers(createRng(0), [30, 30]);
 * layoutOf(net, net).size; // 2 · (60 + 930 + 31) = 2042
 * ```
 */
export function layoutOf(f: readonly LayerValues[], g: readonly LayerValues[]): ParameterLayout {
  let offset = 0;
  const slots = (net: readonly LayerValues[]) =>
    net.map((l): LayerSlot => {
      const [nIn, nOut] = l.kernel.shape;
      const slot = { offset, shape: [nIn, nOut] as const };
      offset += nIn * nOut + nOut;
      return slot;
    });
  const fSlots = slots(f);
  const gSlots = slots(g);
  return { size: offset, f: fSlots, g: gSlots };
}

/** The values of f and g as one vector in `layout`'s order. */
export function packParameters(
  layout: ParameterLayout,
  f: readonly LayerValues[],
  g: readonly LayerValues[],
): Float32Array {
  const out = new Float32Array(layout.size);
  const put = (slots: readonly LayerSlot[], net: readonly LayerValues[]) =>
    slots.forEach((s, k) => {
      const l = net[k]!;
      out.set(l.kernel.values, s.offset);
      out.set(l.bias.values, s.offset + s.shape[0] * s.shape[1]);
    });
  put(layout.f, f);
  put(layout.g, g);
  return out;
}

/** Layer values of f and g read out of a vector (inverse of {@linkcode packParameters}). */
export function unpackParameters(
  layout: ParameterLayout,
  values: Float32Array,
): { f: LayerValues[]; g: LayerValues[] } {
  // A loop into an array of its length, which V8 fills faster than Array.from(typed array).
  const copy = (from: number, length: number): number[] => {
    const out = new Array<number>(length);
    for (let i = 0; i < length; i++) out[i] = values[from + i]!;
    return out;
  };
  const net = (slots: readonly LayerSlot[]) =>
    slots.map((s): LayerValues => {
      const [nIn, nOut] = s.shape;
      const k = s.offset + nIn * nOut;
      return {
        kernel: { shape: [nIn, nOut], values: copy(s.offset, nIn * nOut) },
        bias: { shape: [nOut], values: copy(k, nOut) },
      };
    });
  return { f: net(layout.f), g: net(layout.g) };
}

/**
 * f and g as tensors cut out of the vector `theta` (copies, freed by the caller's `tf.tidy`).
 *
 * @example
 * ```ts
 * import { initBackend } from "./tf_backend.ts";
 * import { layoutOf, networkViews, packParameters } from "./parameter_vector.ts";
 * import { initialLayers } from "./architecture.ts";
 * import { createRng } from "../data/random.ts";
 * const tf = await initBackend("tfjs-cpu");
 * const f = initialLayers(createRng(0, "f"), [4, 4]);
 * const g = initialLayers(createRng(0, "g"), [4, 4]);
 * const layout = layoutOf(f, g);
 * const views = tf.tidy(() => {
 *   const v = networkViews(tf, layout, tf.tensor1d(packParameters(layout, f, g)));
 *   return Array.from(v.g[1]!.bias.dataSync());
 * });
 * views.length; // 4
 * ```
 */
export function networkViews(
  tf: Tf,
  layout: ParameterLayout,
  theta: tfc.Tensor1D,
): { f: Network; g: Network } {
  const net = (slots: readonly LayerSlot[]): Network =>
    slots.map((s) => {
      const [nIn, nOut] = s.shape;
      return {
        kernel: tf.reshape(tf.slice(theta, s.offset, nIn * nOut), [nIn, nOut]),
        bias: tf.slice(theta, s.offset + nIn * nOut, nOut),
      };
    });
  return { f: net(layout.f), g: net(layout.g) };
}
