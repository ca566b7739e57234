/**
 * The memory a training needs, computed from the network (architecture.ts), the points and the
 * batch before anything runs, so that a job too large is refused at validation with the size it
 * would need, rather than failing with an allocation error half-way through a run.
 *
 * @module
 */
import type { Backend } from "../params_schema.ts";
import { type Architecture, layerShapes, parameterCount } from "./architecture.ts";
import { type Activation, ACTIVATION_TABLE } from "../activations.ts";
import { GRAM_CHUNK } from "./kernel/kernel_facts.ts";

/** What WebAssembly's 32-bit memory can address: the kernel's and tfjs-wasm's heap. */
export const WASM_MEMORY_LIMIT = 2 ** 32;

/** A training's shape as far as memory goes. */
export interface TrainingShape extends Architecture {
  /** Points of the data. */
  readonly n: number;
  /** Rows of one step: the batch size, or n for full batch. */
  readonly rows: number;
}

/** The lane width (floats a row is padded to, `lane_width()`) of the kernel's WebAssembly build. */
export const WASM_LANE_WIDTH = 8;

/**
 * The widest lane width a native build has (AVX-512's 16-float vectors, two to a block): the
 * estimate of a native training before its kernel is built and can be asked.
 */
export const MAX_NATIVE_LANE_WIDTH = 32;

/**
 * Bytes the compiled kernel allocates in setup (train_step.c): per network the padded layers,
 * four forward traces (and SiLU's stored slopes), four gradients, Adam's vectors, the data and
 * the rows' orders, and two rows of backward's running ∂L/∂z, each row padded to the build's
 * `laneWidth` (ask the kernel: `lane_width()`); and sparse.h's panels and lists. A test checks it
 * against both builds.
 *
 * @example
 * ```ts
 * import { kernelBytes } from "./footprint.ts";
 * kernelBytes({ layers: [30, 30], activation: "relu", n: 1000, rows: 1000 }) < 2e6; // true
 * ```
 */
export function kernelBytes(t: TrainingShape, laneWidth: number = WASM_LANE_WIDTH): number {
  const s = t.layers.map((w) => Math.ceil(w / laneWidth) * laneWidth);
  const h = s.length;
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const middle = t.layers.slice(1).map((w, i) => ({
    w,
    prevW: t.layers[i]!,
    s: s[i + 1]!,
    prevS: s[i]!,
  }));
  const net = 2 * s[0]! + sum(middle.map((m) => m.prevW * m.s + m.w * m.prevS + m.s)) + s[h - 1]! +
    4;
  const trace = sum(s) * t.n * (ACTIVATION_TABLE[t.activation].kept === "slope" ? 2 : 1) + t.n;
  const grads = 2 * s[0]! + sum(middle.map((m) => m.prevS * m.s + m.s)) + s[h - 1]! + 4;
  const p = 2 * parameterCount(t.layers);
  const widest = Math.max(...s);
  // sparse.h's room, where there is a middle layer: grouped_rows' panels (the widest padded layer
  // squared), and grouped_gram's (state.h's gram_room: masks and lists of GRAM_CHUNK rows).
  const words = Math.ceil(widest / 64);
  const gram = 2 * words * GRAM_CHUNK + 4 * widest + (widest / 2) * words +
    (widest / 4) * GRAM_CHUNK + widest * GRAM_CHUNK;
  const sparse = h > 1 ? widest * widest + gram : 0;
  const floats = 2 * net + 4 * trace + 4 * grads + 4 * p + 20 * t.n + 2 * t.n * widest + sparse;
  return 4 * floats;
}

/**
 * Bytes tfjs holds at the peak of one step (network.ts, loss.ts, adam.ts): every intermediate of
 * a step lives until the step's `tidy` ends, so each hidden layer keeps, for each of the four
 * forward passes, its output and the tensors its slope is made of (ReLU 2, SiLU 7, tanh 4 of
 * [rows, width]), and each backward pass about four more; plus the parameters' copies, Adam's
 * moments and the data. An upper estimate, for refusing jobs that cannot fit.
 *
 * @example
 * ```ts
 * import { tfjsBytes } from "./footprint.ts";
 * tfjsBytes({ layers: [30, 30], activation: "relu", n: 1000, rows: 1000 }) < 1e7; // true
 * ```
 */
export function tfjsBytes(t: TrainingShape): number {
  const perForward = ACTIVATION_TABLE[t.activation].tfjsTensors;
  const units = t.layers.reduce((a, b) => a + b, 0);
  const activations = t.rows * units * 4 * (perForward + 4);
  const weights = layerShapes(t.layers).reduce((a, [i, o]) => a + i * o + o, 0);
  const parameters = 2 * weights * 12;
  return 4 * (activations + parameters + 8 * t.n);
}

/** What a training needs on a backend, and the most that backend can have. */
export interface MemoryNeed {
  readonly bytes: number;
  readonly limit: number;
  /** What sets the limit, for messages. */
  readonly limitName: string;
}

/**
 * The memory a training needs on `backend` and the limit it must stay within: WebAssembly's
 * 4 GiB for the kernel (which may fall back to its WebAssembly build) and tfjs-wasm, the
 * machine's memory for the kernel's native build and tfjs-cpu (`machineBytes`).
 *
 * @example
 * ```ts
 * import { memoryNeed } from "./footprint.ts";
 * const need = memoryNeed("kernel", { layers: [1024], activation: "relu", n: 1e7, rows: 1e7 }, 0);
 * need.bytes > need.limit; // true
 * ```
 */
export function memoryNeed(backend: Backend, t: TrainingShape, machineBytes: number): MemoryNeed {
  if (backend === "kernel" || backend === "kernel-wasm") {
    return { bytes: kernelBytes(t), limit: WASM_MEMORY_LIMIT, limitName: "WebAssembly's 4 GiB" };
  }
  if (backend === "kernel-native") {
    return {
      bytes: kernelBytes(t, MAX_NATIVE_LANE_WIDTH),
      limit: machineBytes,
      limitName: "this machine's memory",
    };
  }
  if (backend === "tfjs-wasm") {
    return { bytes: tfjsBytes(t), limit: WASM_MEMORY_LIMIT, limitName: "WebAssembly's 4 GiB" };
  }
  return { bytes: tfjsBytes(t), limit: machineBytes, limitName: "this machine's memory" };
}

/**
 * Bytes in words: `12.3 GiB`, `512 MiB`.
 *
 * @example
 * ```ts
 * import { formatBytes } from "./footprint.ts";
 * formatBytes(2 ** 32); // "4 GiB"
 * formatBytes(3 * 2 ** 20); // "3 MiB"
 * ```
 */
export function formatBytes(bytes: number): string {
  const gib = bytes / 2 ** 30;
  if (gib >= 1) return `${Number(gib.toPrecision(3))} GiB`;
  return `${Number((bytes / 2 ** 20).toPrecision(3))} MiB`;
}

/** A refused parameter: its dotted path and one line saying what is wrong and what to do. */
export interface MemoryIssue {
  readonly path: string;
  readonly message: string;
}

/** The parts of the parameters a training's memory depends on. */
export interface MemoryParams {
  readonly data: { readonly n: number };
  readonly training: Architecture & {
    readonly batchSize: number;
    readonly backend: Backend;
  };
  readonly configs: Readonly<
    Record<string, Architecture>
  >;
  readonly sweeps: Readonly<
    Record<
      string,
      {
        readonly layers?: readonly (readonly number[])[] | undefined;
        readonly activation?: readonly Activation[] | undefined;
      }
    >
  >;
}

/**
 * The first network of the experiment whose training would not fit in memory, as one issue
 * naming where that network is set (or `data.n` when even the default network does not fit),
 * with the size it needs and the limit; none when every training fits.
 *
 * @example
 * ```ts
 * import { memoryIssues } from "./footprint.ts";
 * const training = { layers: [30, 30], activation: "relu", batchSize: 0, backend: "kernel" } as const;
 * memoryIssues({ data: { n: 1e9 }, training, configs: {}, sweeps: {} }, 2 ** 34)[0]?.path; // "data.n"
 * ```
 */
export function memoryIssues(p: MemoryParams, machineBytes: number): MemoryIssue[] {
  const t = p.training;
  const n = p.data.n;
  const rows = t.batchSize === 0 ? n : Math.min(t.batchSize, n);
  const same = (a: readonly number[]) =>
    a.length === t.layers.length && a.every((w, i) => w === t.layers[i]);
  const networks: (Architecture & { path: string })[] = [
    { path: "data.n", layers: t.layers, activation: t.activation },
    ...Object.entries(p.configs).map(([id, c]) => ({
      path: same(c.layers) ? "data.n" : `configs.${id}.layers`,
      ...c,
    })),
    ...Object.entries(p.sweeps).flatMap(([name, s]) =>
      (s.layers ?? [t.layers]).flatMap((layers, i) =>
        (s.activation ?? [t.activation]).map((activation) => ({
          path: s.layers === undefined || same(layers) ? "data.n" : `sweeps.${name}.layers.${i}`,
          layers,
          activation,
        }))
      )
    ),
  ];
  for (const net of networks) {
    const need = memoryNeed(t.backend, { ...net, n, rows }, machineBytes);
    if (need.bytes <= need.limit) continue;
    const where = t.backend.startsWith("kernel") ? "the kernel" : t.backend;
    return [{
      path: net.path,
      message: `training hidden layers [${net.layers.join(", ")}] (${net.activation}) on ${n} ` +
        `points needs ${formatBytes(need.bytes)} in ${where}, more than ${need.limitName}: ` +
        (net.path === "data.n"
          ? "use fewer points or narrower layers"
          : "use narrower or fewer layers"),
    }];
  }
  return [];
}
