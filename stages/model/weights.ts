/**
 * The `weights.json` format written by `train` and read by `evaluate`: the networks' architecture
 * (architecture.ts) and every layer's values.
 *
 * @module
 */
import { type Architecture, layerShapes, type LayerValues } from "./architecture.ts";
import { type Activation, ACTIVATIONS, isActivation } from "../activations.ts";

export type { Activation, LayerValues };
export { applyNetwork } from "./architecture.ts";

/** The contents of `weights.json`: the two networks f and g, one entry per linear layer. */
export interface WeightsFile extends Architecture {
  /** f and g, each `layers.length + 1` linear layers. */
  readonly f: readonly LayerValues[];
  readonly g: readonly LayerValues[];
}

function isNumberArray(v: unknown, length: number): v is number[] {
  return Array.isArray(v) && v.length === length && v.every((a) => typeof a === "number");
}

function checkLayer(v: unknown, shape: readonly [number, number], where: string, source: string) {
  const l = v as LayerValues;
  const [nIn, nOut] = shape;
  const ok = isNumberArray(l?.kernel?.shape, 2) && l.kernel.shape[0] === nIn &&
    l.kernel.shape[1] === nOut && isNumberArray(l.kernel.values, nIn * nOut) &&
    isNumberArray(l.bias?.shape, 1) && l.bias.shape[0] === nOut &&
    isNumberArray(l.bias.values, nOut);
  if (!ok) {
    throw new SyntaxError(
      `Cannot read weights "${source}": ${where} is not a layer with a kernel [${nIn}, ${nOut}] and a bias [${nOut}]`,
    );
  }
}

/**
 * Parses and checks the text of a `weights.json`; `source` names the file in error messages.
 *
 * @example
 * ```ts
 * import { parseWeights } from "./weights.ts";
 * const layer = (i: number, o: number) => ({
 *   kernel: { shape: [i, o], values: new Array(i * o).fill(1) },
 *   bias: { shape: [o], values: new Array(o).fill(0) },
 * });
 * const net = [layer(1, 2), layer(2, 1)];
 * const w = parseWeights(JSON.stringify({ activation: "tanh", layers: [2], f: net, g: net }), "w.json");
 * w.f.length; // 2
 * ```
 */
export function parseWeights(text: string, source: string): WeightsFile {
  const doc = JSON.parse(text) as WeightsFile;
  if (!isActivation(doc?.activation)) {
    throw new SyntaxError(
      `Cannot read weights "${source}": activation must be one of ${ACTIVATIONS.join(", ")}`,
    );
  }
  const layers = doc.layers;
  if (!Array.isArray(layers) || !layers.every((w) => Number.isInteger(w) && w >= 1)) {
    throw new SyntaxError(`Cannot read weights "${source}": "layers" must list the hidden widths`);
  }
  const shapes = layerShapes(layers);
  for (const net of ["f", "g"] as const) {
    if (!Array.isArray(doc[net]) || doc[net].length !== shapes.length) {
      throw new SyntaxError(
        `Cannot read weights "${source}": "${net}" must be a list of ${shapes.length} layers`,
      );
    }
    doc[net].forEach((l, i) => checkLayer(l, shapes[i]!, `${net}[${i}]`, source));
  }
  return doc;
}
