/**
 * The `train/<config>` stage: fits f and g to the point cloud by minimising L̃ with Adam, and
 * records every term of the loss at every epoch.
 *
 * @module
 */
import type * as tfc from "@tensorflow/tfjs-core";
import { dirname, join } from "node:path";
import { type StageContext, type StageError, type StageResume } from "../../pipeline/core/stage.ts";
import { type StageCode, stageError } from "../stage_codes.ts";
import { formatCsv, readNumericCsv } from "../data/csv.ts";
import { POINT_COLUMNS } from "../data/points_format.ts";
import { createAdam } from "./adam.ts";
import { decodeState, encodeState, type TrainingState } from "./checkpoint_format.ts";
import { lossAndGradients } from "./loss.ts";
import { HISTORY_COLUMNS, TERM_NAMES } from "./history_format.ts";
import type { Tf } from "./network.ts";
import {
  layoutOf,
  networkViews,
  packParameters,
  type ParameterLayout,
  unpackParameters,
} from "./parameter_vector.ts";
import type { KernelCalls } from "./kernel/calls.ts";
import { nativeKernel } from "./kernel/native_kernel.ts";
import { createKernelTrainer } from "./kernel/trainer.ts";
import { wasmKernel } from "./kernel/wasm_kernel.ts";
import type { TrainingParams } from "../params_schema.ts";
import { createRng, permutation, replicateSeed, restoreRng, type Rng } from "../data/random.ts";
import { initBackend } from "./tf_backend.ts";
import { directTf } from "./direct_tf.ts";
import type { WeightsFile } from "./weights.ts";
import { type Architecture, initialLayers } from "./architecture.ts";

/**
 * The `training` group without the network, which each row may set (architecture.ts), and
 * without the epochs whose states are kept, which the engine hands over (`ctx.checkpoints`).
 */
export type TrainingSettings = Omit<TrainingParams, "layers" | "activation" | "checkpoints">;

/** What {@linkcode trainNetworks} trains: the settings, the weights, the networks. */
export interface TrainParams extends Architecture {
  readonly training: TrainingSettings;
  readonly lambda: number;
  readonly mu: number;
}

/**
 * The parameters `train/<row>/s<i>-d<d>` reads (see stages/pipeline.ts): the training settings
 * one by one (so that the network defaults, which a row may override, stay out of its key), and
 * the row's weights and network.
 */
export interface TrainStageParams extends TrainingSettings, Omit<TrainParams, "training"> {
  /**
   * Replicate i on data draw d trains with {@linkcode replicateSeed}(`training.seed`, i, d), so
   * replicate 0 of draw 0 is the post's run and every (replicate, draw) pair starts from weights
   * of its own; 0 when absent (a caller that trains once).
   */
  readonly replicate?: number;
  /** The data draw the replicate trains on; 0 when absent. */
  readonly draw?: number;
  /**
   * `training.checkpoints`, in the key; the states to write arrive as `ctx.checkpoints` (these
   * epochs, then the last).
   */
  readonly checkpoints?: readonly number[];
}

/** What {@linkcode trainNetworks} needs besides the tfjs namespace. */
export interface TrainingJob extends TrainParams {
  readonly x: readonly number[];
  readonly y: readonly number[];
  /** Called with (epochs done, epochs) now and then. */
  readonly progress?: (done: number, total: number) => void;
  /**
   * The state of this same training after fewer epochs, to go on from instead of starting over:
   * the result is the same, bit for bit.
   */
  readonly from?: TrainingState;
  /** Epochs (from `from`'s, up to `training.epochs`) after which to take the state. */
  readonly keep?: readonly number[];
}

/**
 * The trained networks, one row of loss terms per epoch ({@linkcode TERM_NAMES} order), and the
 * states taken at the epochs `keep` lists.
 */
export interface TrainingResult {
  readonly weights: WeightsFile;
  readonly history: number[][];
  readonly states: TrainingState[];
}

/**
 * Epochs between two reads of the loss history back to JavaScript: reading every epoch would
 * synchronise every step, reading only at the end would notice divergence late.
 */
const READ_EVERY = 50;

/** Adam's moments' decay rates, and ε as in PyTorch and optax (tfjs' default is 1e-7). */
const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } as const;

function divergence(
  epoch: number,
  row: readonly number[],
  job: TrainParams,
): StageError<StageCode> {
  const bad = TERM_NAMES.filter((_, i) => !Number.isFinite(row[i]!));
  const lr = job.training.learningRate;
  return stageError(
    "stage-diverged",
    `Training diverged at epoch ${epoch} of ${job.training.epochs}: ${
      bad.join(", ")
    } not finite (λ = ${job.lambda}, μ = ${job.mu}, learning rate ${lr})`,
    `the learning rate is likely too high for λ = ${job.lambda}, μ = ${job.mu}: lower training.learningRate (now ${lr}), e.g. to ${
      lr / 10
    }`,
  );
}

/**
 * Trains f and g on (x, y) with the given backend already active; pure given its inputs.
 * Throws a `stage-diverged` {@linkcode StageError} when a loss term stops being finite.
 *
 * The ops go straight to the backend's kernels ({@linkcode directTf}): the same kernels the
 * engine would run, without its per-op bookkeeping, so the results are those of
 * {@linkcode trainWith} on `tf` itself, bit for bit.
 */
export function trainNetworks(tf: Tf, job: TrainingJob): TrainingResult {
  return trainWith(directTf(tf), job);
}

/** f's and g's initial values (seeded, see architecture.ts) in one vector, with its layout. */
export function initialParameters(
  job: TrainParams,
): { layout: ParameterLayout; values: Float32Array } {
  const seed = job.training.seed;
  const f0 = initialLayers(createRng(seed, "init-f"), job.layers);
  const g0 = initialLayers(createRng(seed, "init-g"), job.layers);
  // All parameters live in one vector: one optimiser step and one read-back for all of them.
  const layout = layoutOf(f0, g0);
  return { layout, values: packParameters(layout, f0, g0) };
}

/**
 * Where a training starts: from `job.from` when given (checked against the networks), else at
 * epoch 0 with the seeded parameters, fresh moments and the seeded batch order.
 */
function startOf(job: TrainingJob): {
  layout: ParameterLayout;
  parameters: Float32Array;
  start: number;
  shuffle: Rng;
  history: number[][];
} {
  const { layout, values } = initialParameters(job);
  const from = job.from;
  if (from === undefined) {
    const shuffle = createRng(job.training.seed, "shuffle");
    return { layout, parameters: values, start: 0, shuffle, history: [] };
  }
  if (from.parameters.length !== layout.size) {
    throw new RangeError(
      `The kept state holds ${from.parameters.length} parameters, not ${layout.size}`,
    );
  }
  const history = from.history.map((row) => [...row]);
  return {
    layout,
    parameters: from.parameters,
    start: from.epoch,
    shuffle: restoreRng(from.shuffle),
    history,
  };
}

/** Rows per Adam step: `batchSize`, or all n when it is 0 or at least n. */
function batchRows(t: TrainingSettings, n: number): number {
  return t.batchSize === 0 || t.batchSize >= n ? n : t.batchSize;
}

/**
 * {@linkcode trainWith} on the wasm backend, computed by the compiled kernel
 * (kernel/train_step.c) in one call per Adam step: the same results bit for bit (a test trains
 * both ways and compares every value), without tfjs. Minibatch terms are combined as tfjs does:
 * each scaled by its float32 share of the rows, then added left to right.
 */
export function trainCompiled(job: TrainingJob, calls?: KernelCalls): TrainingResult {
  const { training: t, lambda, mu, layers, activation } = job;
  const n = job.x.length;
  const { layout, parameters, start, shuffle, history } = startOf(job);
  const kernel = createKernelTrainer({
    layers,
    x: job.x,
    y: job.y,
    activation,
    lambda,
    mu,
    ...ADAM,
    learningRate: t.learningRate,
    initial: parameters,
    ...(job.from ? { adam: job.from } : {}),
  }, calls);
  const batch = batchRows(t, n);
  const states: TrainingState[] = [];
  const keep = (epoch: number): void => {
    if (!job.keep?.includes(epoch)) return;
    const adam = kernel.adam();
    const parameters = kernel.parameters.slice();
    states.push({ epoch, ...adam, parameters, shuffle: shuffle.state(), history: [...history] });
  };
  keep(start);
  for (let epoch = start + 1; epoch <= t.epochs; epoch++) {
    let row: number[] = [];
    if (batch === n) {
      row = Array.from(kernel.step());
    } else {
      const order = permutation(shuffle, n);
      for (let start = 0; start < n; start += batch) {
        const ids = order.slice(start, start + batch);
        const share = Math.fround(ids.length / n);
        const part = Array.from(kernel.step(ids), (v) => Math.fround(v * share));
        row = start === 0 ? part : row.map((v, i) => Math.fround(v + part[i]!));
      }
    }
    if (!row.every(Number.isFinite)) throw divergence(epoch, row, job);
    history.push(row);
    keep(epoch);
    if (epoch % READ_EVERY === 0 || epoch === t.epochs) job.progress?.(epoch, t.epochs);
  }
  const { f, g } = unpackParameters(layout, kernel.parameters);
  return { weights: { activation, layers: [...layers], f, g }, history, states };
}

/** {@linkcode trainNetworks} on the tfjs namespace given, as it is (the engine's, or direct). */
export function trainWith(tf: Tf, job: TrainingJob): TrainingResult {
  const { training: t, lambda, mu, layers, activation } = job;
  const n = job.x.length;
  const { layout, parameters, start, shuffle, history } = startOf(job);
  let theta = tf.tensor1d(parameters);
  const x = tf.tensor2d([...job.x], [n, 1]);
  const y = tf.tensor2d([...job.y], [n, 1]);
  const adam = { ...ADAM, learningRate: t.learningRate };
  const optimizer = createAdam(tf, layout.size, adam, job.from);
  const batch = batchRows(t, n);
  const states: TrainingState[] = [];
  let pending: tfc.Tensor1D[] = [];

  // One Adam step on the given rows (all rows when undefined); returns the batch's loss terms.
  const step = (rows?: tfc.Tensor1D): tfc.Tensor1D =>
    tf.tidy(() => {
      const bx = rows === undefined ? x : tf.gather(x, rows);
      const by = rows === undefined ? y : tf.gather(y, rows);
      const { f, g } = networkViews(tf, layout, theta);
      const loss = lossAndGradients(tf, { f, g, activation, x: bx, y: by, lambda, mu });
      const grad = tf.concat([...loss.gradsF, ...loss.gradsG].map((d) => tf.reshape(d, [-1])));
      theta = optimizer.step(theta, grad as tfc.Tensor1D);
      return loss.terms;
    });

  const flush = (lastEpoch: number): void => {
    if (pending.length === 0) return;
    const block = tf.tidy(() => tf.stack(pending));
    const values = block.dataSync();
    block.dispose();
    for (const p of pending) p.dispose();
    const k = TERM_NAMES.length;
    const first = lastEpoch - pending.length + 1;
    pending = [];
    for (let e = 0; e * k < values.length; e++) {
      const row = Array.from(values.subarray(e * k, (e + 1) * k));
      if (!row.every(Number.isFinite)) throw divergence(first + e, row, job);
      history.push(row);
    }
  };

  // The state after `epoch`, once the loss terms pending on the backend are read.
  const keep = (epoch: number): void => {
    if (!job.keep?.includes(epoch)) return;
    flush(epoch);
    const parameters = Float32Array.from(theta.dataSync());
    const state = optimizer.state();
    states.push({ epoch, ...state, parameters, shuffle: shuffle.state(), history: [...history] });
  };

  try {
    keep(start);
    for (let epoch = start + 1; epoch <= t.epochs; epoch++) {
      if (batch === n) {
        pending.push(step());
      } else {
        // Minibatches in a fresh seeded order each epoch; the epoch's terms are the
        // size-weighted mean of its batches' terms.
        const order = permutation(shuffle, n);
        const parts: tfc.Tensor1D[] = [];
        for (let start = 0; start < n; start += batch) {
          const ids = order.slice(start, start + batch);
          const rows = tf.tensor1d(ids, "int32");
          const terms = step(rows);
          rows.dispose();
          parts.push(tf.tidy(() => tf.mul(terms, ids.length / n)));
          terms.dispose();
        }
        pending.push(tf.tidy(() => tf.addN(parts)));
        for (const p of parts) p.dispose();
      }
      if (epoch % READ_EVERY === 0 || epoch === t.epochs) {
        flush(epoch);
        job.progress?.(epoch, t.epochs);
      }
      keep(epoch);
    }
    const { f, g } = unpackParameters(layout, theta.dataSync() as Float32Array);
    return { weights: { activation, layers: [...layers], f, g }, history, states };
  } finally {
    for (const p of pending) p.dispose();
    theta.dispose();
    optimizer.dispose();
    x.dispose();
    y.dispose();
  }
}

/**
 * The kernel build `backend` asks for: `kernel-wasm` the WebAssembly module; `kernel-native` this
 * machine's library, or a `backend-unavailable` error; `kernel` the native one when it can be had,
 * else the WebAssembly one, with a note saying why (the numbers are the same).
 */
async function kernelBuild(
  backend: "kernel" | "kernel-native" | "kernel-wasm",
  note: ((message: string) => void) | undefined,
): Promise<KernelCalls> {
  if (backend === "kernel-wasm") return wasmKernel();
  const native = await nativeKernel({ env: (name) => Deno.env.get(name) });
  if (native.ok) return native.make();
  if (backend === "kernel-native") {
    throw stageError(
      "backend-unavailable",
      `Cannot build or load the native training kernel: ${native.reason}`,
      'install a C compiler (clang or gcc), or set training.backend to "kernel" or "kernel-wasm"',
    );
  }
  note?.(`Training on the kernel's WebAssembly build (same numbers, slower): ${native.reason}`);
  return wasmKernel();
}

/** Writes `weights.json` and `history.csv` for one replicate of one configuration. */
export async function run(ctx: StageContext<TrainStageParams>): Promise<void> {
  const data = ctx.inputs["data"];
  if (data === undefined) throw new Error('train: missing input "data"');
  const { x, y } = await readNumericCsv(join(data, "points.csv"), POINT_COLUMNS);
  const { replicate = 0, draw = 0, lambda, mu, layers, activation, ...training } = ctx.params;
  const job: TrainingJob = {
    training: { ...training, seed: replicateSeed(training.seed, replicate, draw) },
    lambda,
    mu,
    layers,
    activation,
    x,
    y,
    progress: ctx.progress,
  };
  // The states the engine keeps, and the one it continues when it found one.
  const kept = ctx.checkpoints ?? [];
  const from = ctx.resume ? await readState(ctx.resume) : undefined;
  const resumable = { ...job, keep: kept.map((c) => c.progress), ...(from ? { from } : {}) };
  // The kernel computes tfjs' wasm backend's numbers bit for bit, without tfjs.
  const result = training.backend === "tfjs-wasm" || training.backend === "tfjs-cpu"
    ? trainNetworks(await initBackend(training.backend), resumable)
    : trainCompiled(resumable, await kernelBuild(training.backend, ctx.note));
  await Deno.writeTextFile(
    join(ctx.outDir, "weights.json"),
    JSON.stringify(result.weights) + "\n",
  );
  await Deno.writeTextFile(
    join(ctx.outDir, "history.csv"),
    formatCsv(HISTORY_COLUMNS, result.history.map((row, i) => [i + 1, ...row])),
  );
  for (const c of kept) {
    const state = result.states.find((s) => s.epoch === c.progress);
    if (state === undefined) throw new Error(`train: no state taken after epoch ${c.progress}`);
    await Deno.mkdir(dirname(c.file), { recursive: true });
    await Deno.writeFile(c.file, encodeState(state));
  }
}

/** The kept state the engine hands over; a `checkpoint-invalid` error when it is not one. */
async function readState(resume: StageResume): Promise<TrainingState> {
  try {
    return decodeState(await Deno.readFile(resume.file), resume.progress);
  } catch (e) {
    throw stageError(
      "checkpoint-invalid",
      `Cannot continue from the kept training state ${resume.file}: ${(e as Error).message}`,
      "run this stage again with --force to train from the start",
    );
  }
}
