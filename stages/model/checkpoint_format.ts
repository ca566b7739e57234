/**
 * The format of a training's kept state (`checkpoints/<epoch>.state` among `train`'s outputs):
 * everything a training needs to go on from an epoch as if it had never stopped. Its parameters,
 * Adam's moments and step count, the batch order's generator, and the loss history so far, all as
 * the float32 values training holds, so the continued training computes the same bits. Imports
 * nothing.
 *
 * Layout: the line `psinv training state 1`, a line of JSON (the header: epoch, steps, counts and
 * the generator), then little-endian float32 values: parameters, first moments, second moments
 * (each `size` values, in parameter_vector.ts' layout), then the history, `epoch` rows of
 * `terms` values.
 *
 * @module
 */

/** A training's whole state after `epoch` epochs. */
export interface TrainingState {
  /** Epochs done. */
  readonly epoch: number;
  /** Adam steps done (epochs × batches per epoch). */
  readonly steps: number;
  /** f's then g's parameters, as parameter_vector.ts lays them out. */
  readonly parameters: Float32Array;
  /** Adam's first moments, laid out as `parameters`. */
  readonly m: Float32Array;
  /** Adam's second moments, likewise. */
  readonly v: Float32Array;
  /** The batch order's generator (data/random.ts' `RngState`). */
  readonly shuffle: {
    readonly words: readonly [number, number, number, number];
    readonly spare?: number;
  };
  /** The loss terms of every epoch so far, one row per epoch (float32 values). */
  readonly history: readonly (readonly number[])[];
}

const MAGIC = "psinv training state 1\n";

/** The header line of a state file. */
interface Header {
  readonly epoch: number;
  readonly steps: number;
  readonly size: number;
  readonly terms: number;
  readonly shuffle: TrainingState["shuffle"];
}

/**
 * The bytes of a training state.
 *
 * @example
 * ```ts
 * import { decodeState, encodeState, type TrainingState } from "./checkpoint_format.ts";
 * const state: TrainingState = {
 *   epoch: 1, steps: 1, shuffle: { words: [1, 2, 3, 4] }, history: [[0.5, 0.25]],
 *   parameters: Float32Array.of(1), m: Float32Array.of(0.125), v: Float32Array.of(2),
 * };
 * decodeState(encodeState(state)).history; // [[0.5, 0.25]]
 * ```
 */
export function encodeState(s: TrainingState): Uint8Array {
  const size = s.parameters.length;
  const terms = s.history[0]?.length ?? 0;
  const header: Header = { epoch: s.epoch, steps: s.steps, size, terms, shuffle: s.shuffle };
  const head = new TextEncoder().encode(MAGIC + JSON.stringify(header) + "\n");
  const values = 3 * size + s.history.length * terms;
  const bytes = new Uint8Array(head.length + 4 * values);
  bytes.set(head);
  const view = new DataView(bytes.buffer, head.length);
  let at = 0;
  const put = (v: number) => {
    view.setFloat32(4 * at++, v, true);
  };
  for (const vector of [s.parameters, s.m, s.v]) {
    if (vector.length !== size) throw new RangeError("state vectors differ in length");
    vector.forEach(put);
  }
  for (const row of s.history) {
    if (row.length !== terms) throw new RangeError("history rows differ in length");
    row.forEach(put);
  }
  return bytes;
}

/**
 * The training state in `bytes` (the state after `epoch` epochs, when given); throws a
 * `RangeError` saying what is wrong when they are not one.
 */
export function decodeState(bytes: Uint8Array, epoch?: number): TrainingState {
  const text = new TextDecoder().decode(bytes.subarray(0, Math.min(bytes.length, 4096)));
  if (!text.startsWith(MAGIC)) throw new RangeError("not a training state file");
  const end = text.indexOf("\n", MAGIC.length);
  if (end < 0) throw new RangeError("training state header is cut short");
  const h = JSON.parse(text.slice(MAGIC.length, end)) as Header;
  if (h.shuffle?.words?.length !== 4) throw new RangeError("training state has no generator");
  if (epoch !== undefined && h.epoch !== epoch) {
    throw new RangeError(`it is the state after epoch ${h.epoch}, not ${epoch}`);
  }
  const offset = new TextEncoder().encode(text.slice(0, end + 1)).length;
  const expected = offset + 4 * (3 * h.size + h.epoch * h.terms);
  if (bytes.length !== expected) {
    throw new RangeError(`training state is ${bytes.length} bytes, its header says ${expected}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset);
  let at = 0;
  const take = (n: number) => {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = view.getFloat32(4 * at++, true);
    return out;
  };
  const parameters = take(h.size), m = take(h.size), v = take(h.size);
  const history = Array.from({ length: h.epoch }, () => Array.from(take(h.terms)));
  return { epoch: h.epoch, steps: h.steps, parameters, m, v, shuffle: h.shuffle, history };
}
