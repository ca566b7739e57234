/**
 * The part of the tfjs namespace that training uses, dispatching each op straight to the active
 * backend's kernel. tfjs' engine does bookkeeping for every op (scopes, tensor tracking, kernel
 * lookup by name, the gradient machinery of `fused.matMul`) that training does not need and that,
 * with networks this small, is a large part of each op's time.
 *
 * Each op calls the very kernel function, with the same inputs and attributes, that the engine
 * would call for the same `tf.*` call (same defaults, numbers turned into float32 scalars the
 * same way), so results are bit for bit those of the engine: only the bookkeeping is different.
 * Memory is managed as in tfjs: `tidy` frees what a function made except what it returns,
 * `keep` exempts a tensor, `dispose` frees.
 *
 * @module
 */
import type * as tfc from "@tensorflow/tfjs-core";
import type { Tf } from "./network.ts";

type DType = "float32" | "int32";

/** A tensor of {@linkcode directTf}: a backend data id with its shape. */
class DirectTensor {
  readonly dataId: object;
  readonly shape: number[];
  readonly dtype: DType;
  kept = false;
  disposed = false;
  readonly #ns: Namespace;

  constructor(ns: Namespace, info: { dataId: object; shape: number[]; dtype: DType }) {
    this.#ns = ns;
    this.dataId = info.dataId;
    this.shape = info.shape;
    this.dtype = info.dtype;
  }

  get rank(): number {
    return this.shape.length;
  }

  get size(): number {
    return this.shape.reduce((a, b) => a * b, 1);
  }

  dataSync(): Float32Array | Int32Array {
    return this.#ns.backend.readSync(this.dataId) as Float32Array | Int32Array;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.#ns.backend.disposeData(this.dataId);
  }
}

interface Backend {
  write(values: Float32Array | Int32Array, shape: number[], dtype: DType): object;
  readSync(dataId: object): unknown;
  disposeData(dataId: object): void;
}

type Info = { dataId: object; shape: number[]; dtype: DType };
type KernelFunc = (args: {
  inputs: unknown;
  backend: Backend;
  attrs?: Record<string, unknown>;
}) => Info;

/** What the namespace holds: the backend, its kernels by name, and the open `tidy` scopes. */
class Namespace {
  readonly backend: Backend;
  readonly #tf: Tf;
  readonly #kernels = new Map<string, KernelFunc>();
  readonly #scopes: Set<DirectTensor>[] = [];

  constructor(tf: Tf) {
    this.#tf = tf;
    this.backend = tf.engine().backend as unknown as Backend;
  }

  #kernel(name: string): KernelFunc {
    let k = this.#kernels.get(name);
    if (k === undefined) {
      const config = this.#tf.getKernel(name, this.#tf.getBackend());
      if (config === undefined) throw new Error(`tfjs kernel "${name}" is not registered`);
      k = config.kernelFunc as unknown as KernelFunc;
      this.#kernels.set(name, k);
    }
    return k;
  }

  #track(info: Info): DirectTensor {
    const t = new DirectTensor(this, info);
    this.#scopes.at(-1)?.add(t);
    return t;
  }

  run(name: string, inputs: unknown, attrs: Record<string, unknown> = {}): DirectTensor {
    return this.#track(this.#kernel(name)({ inputs, backend: this.backend, attrs }));
  }

  /** `convertToTensor` for what training passes: tensors as they are, numbers as scalars. */
  tensor(x: DirectTensor | number): DirectTensor {
    return typeof x === "number" ? this.make([x], [], "float32") : x;
  }

  make(values: ArrayLike<number>, shape: number[], dtype: DType): DirectTensor {
    const data = dtype === "int32" ? Int32Array.from(values) : Float32Array.from(values);
    return this.#track({ dataId: this.backend.write(data, shape, dtype), shape, dtype });
  }

  tidy<T>(fn: () => T): T {
    const scope = new Set<DirectTensor>();
    this.#scopes.push(scope);
    let result: T;
    try {
      result = fn();
    } finally {
      this.#scopes.pop();
    }
    const out = new Set<DirectTensor>(
      (Array.isArray(result) ? result : [result]).filter((r) => r instanceof DirectTensor),
    );
    for (const t of scope) {
      if (out.has(t)) this.#scopes.at(-1)?.add(t);
      else if (!t.kept) t.dispose();
    }
    return result;
  }
}

/**
 * The subset of the tfjs namespace that {@linkcode trainNetworks} and the modules it calls use,
 * on the backend `tf` has active, without tfjs' engine in between. Typed as the namespace so the
 * same code runs on either; calling an op it lacks fails loudly.
 *
 * @example
 * ```ts
 * import { initBackend } from "./tf_backend.ts";
 * import { directTf } from "./direct_tf.ts";
 * const tf = directTf(await initBackend("tfjs-cpu"));
 * const s = tf.tidy(() => tf.sum(tf.mul(tf.tensor1d([1, 2, 3]), 2)));
 * s.dataSync()[0]; // 12
 * s.dispose();
 * ```
 */
export function directTf(tf: Tf): Tf {
  const ns = new Namespace(tf);
  type T = DirectTensor;
  const binary = (name: string) => (a: T | number, b: T | number): T =>
    ns.run(name, { a: ns.tensor(a), b: ns.tensor(b) });
  const unary = (name: string) => (x: T): T => ns.run(name, { x });
  const reshape = (x: T, shape: number[]): T => ns.run("Reshape", { x }, { shape });
  const api = {
    tidy: <R>(fn: () => R): R => ns.tidy(fn),
    keep: (t: T): T => {
      t.kept = true;
      return t;
    },
    dispose: (x: T | T[]): void => {
      for (const t of Array.isArray(x) ? x : [x]) t.dispose();
    },
    scalar: (v: number): T => ns.make([v], [], "float32"),
    zeros: (shape: number[]): T =>
      ns.make(new Float32Array(shape.reduce((a, b) => a * b, 1)), shape, "float32"),
    tensor1d: (values: ArrayLike<number>, dtype: DType = "float32"): T =>
      ns.make(values, [values.length], dtype),
    tensor2d: (values: ArrayLike<number>, shape: [number, number]): T =>
      ns.make(values, shape, "float32"),
    add: binary("Add"),
    sub: binary("Sub"),
    mul: binary("Multiply"),
    div: binary("RealDiv"),
    square: unary("Square"),
    sqrt: unary("Sqrt"),
    sigmoid: unary("Sigmoid"),
    tanh: unary("Tanh"),
    step: (x: T, alpha = 0.0): T => ns.run("Step", { x }, { alpha }),
    leakyRelu: (x: T, alpha = 0.2): T => ns.run("LeakyRelu", { x }, { alpha }),
    softplus: unary("Softplus"),
    minimum: binary("Minimum"),
    reshape,
    slice: (x: T, begin: number | number[], size: number | number[]): T =>
      ns.run("Slice", { x }, { begin, size }),
    transpose: (x: T, perm?: number[]): T => {
      if (x.rank <= 1) throw new Error("directTf.transpose: rank ≤ 1 is not supported");
      return ns.run("Transpose", { x }, { perm: perm ?? x.shape.map((_, i) => i).reverse() });
    },
    sum: (x: T, axis: number | number[] | null = null, keepDims = false): T =>
      ns.run("Sum", { x }, { axis, keepDims }),
    mean: (x: T, axis: number | number[] | null = null, keepDims = false): T =>
      ns.run("Mean", { x }, { axis, keepDims }),
    concat: (xs: T[], axis = 0): T => {
      if (xs.length === 1) throw new Error("directTf.concat: one tensor is not supported");
      return ns.run("Concat", xs, { axis });
    },
    stack: (xs: T[], axis = 0): T => ns.run("Pack", xs, { axis }),
    addN: (xs: T[]): T => ns.run("AddN", xs),
    gather: (x: T, indices: T, axis = 0, batchDims = 0): T =>
      ns.run("GatherV2", { x, indices }, { axis, batchDims }),
    matMul: (a: T, b: T, transposeA = false, transposeB = false): T =>
      ns.run("BatchMatMul", { a, b }, { transposeA, transposeB }),
    fused: {
      matMul: (o: { a: T; b: T; bias?: T; activation?: string }): T => {
        // As tf.fused.matMul without a gradient tape: rank-3 views in, rank-2 view out.
        const [m, k] = o.a.shape as [number, number];
        const n = o.b.shape[1]!;
        const res = ns.run("_FusedMatMul", {
          a: reshape(o.a, [1, m, k]),
          b: reshape(o.b, [1, k, n]),
          bias: o.bias,
          preluActivationWeights: undefined,
        }, {
          transposeA: false,
          transposeB: false,
          activation: o.activation ?? "linear",
          leakyreluAlpha: 0.2,
        });
        return reshape(res, [m, n]);
      },
    },
  };
  return api as unknown as Tf;
}

/** The tensor type of {@linkcode directTf}, for tests. */
export type { DirectTensor };
/** Tells whether a value is a tensor of {@linkcode directTf}. */
export function isDirectTensor(x: unknown): x is tfc.Tensor {
  return x instanceof DirectTensor;
}
