/**
 * The `weights.json` format written by `train` and read by `evaluate`, and the networks it
 * describes evaluated in plain float64 JavaScript, so that evaluation needs no tfjs backend and
 * gives the same numbers whichever backend trained the weights.
 *
 * @module
 */

/** Activation between the linear layers. */
export type Activation = "relu" | "silu";

/** One linear layer: `x · kernel + bias`, kernel row-major with shape [in, out]. */
export interface LayerValues {
  readonly kernel: {
    readonly shape: readonly [number, number];
    readonly values: readonly number[];
  };
  readonly bias: { readonly shape: readonly [number]; readonly values: readonly number[] };
}

/** The contents of `weights.json`: the two networks f and g, three layers each. */
export interface WeightsFile {
  readonly activation: Activation;
  readonly width: number;
  readonly f: readonly LayerValues[];
  readonly g: readonly LayerValues[];
}

function isNumberArray(v: unknown, length: number): v is number[] {
  return Array.isArray(v) && v.length === length && v.every((a) => typeof a === "number");
}

function checkLayer(v: unknown, where: string, source: string): LayerValues {
  const l = v as LayerValues;
  const shape = l?.kernel?.shape;
  const ok = Array.isArray(shape) && shape.length === 2 &&
    isNumberArray(l.kernel.values, shape[0] * shape[1]) &&
    isNumberArray(l.bias?.shape, 1) && l.bias.shape[0] === shape[1] &&
    isNumberArray(l.bias.values, shape[1]);
  if (!ok) {
    throw new SyntaxError(
      `Cannot read weights "${source}": ${where} is not a layer with a kernel [in, out] and a bias [out] of matching sizes`,
    );
  }
  return l;
}

/**
 * Parses and checks the text of a `weights.json`; `source` names the file in error messages.
 *
 * @example
 * ```ts
 * import { parseWeights } from "./weights.ts";
 * const layer = { kernel: { shape: [1, 1], values: [2] }, bias: { shape: [1], values: [0] } };
 * const w = parseWeights(JSON.stringify({ activation: "relu", width: 1, f: [layer], g: [layer] }), "w.json");
 * w.f.length; // 1
 * ```
 */
export function parseWeights(text: string, source: string): WeightsFile {
  const doc = JSON.parse(text) as WeightsFile;
  if (doc?.activation !== "relu" && doc?.activation !== "silu") {
    throw new SyntaxError(`Cannot read weights "${source}": activation must be "relu" or "silu"`);
  }
  for (const net of ["f", "g"] as const) {
    if (!Array.isArray(doc[net]) || doc[net].length === 0) {
      throw new SyntaxError(`Cannot read weights "${source}": "${net}" must be a list of layers`);
    }
    doc[net].forEach((l, i) => checkLayer(l, `${net}[${i}]`, source));
  }
  return doc;
}

function act(a: Activation, z: number): number {
  return a === "relu" ? (z > 0 ? z : 0) : z / (1 + Math.exp(-z));
}

/**
 * Applies a network (linear layers with `activation` between them, none after the last) to
 * scalar inputs, in float64.
 *
 * @example
 * ```ts
 * import { applyNetwork } from "./weights.ts";
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
      h = k < layers.length - 1 ? out.map((z) => act(activation, z)) : out;
    });
    return h[0]!;
  });
}
