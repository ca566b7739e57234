import assert from "node:assert/strict";
import fc from "fast-check";
import { ACTIVATIONS } from "../../../../stages/activations.ts";
import { StageError } from "../../../../pipeline/core/stage.ts";
import { createRng } from "../../../../stages/data/random.ts";
import type { Activation } from "../../../../stages/model/architecture.ts";
import { initBackend } from "../../../../stages/model/tf_backend.ts";
import {
  activateWithKernel,
  createKernelTrainer,
} from "../../../../stages/model/kernel/trainer.ts";
import { BUILDS } from "./_builds.ts";
import {
  trainCompiled,
  type TrainingJob,
  type TrainingSettings,
  trainNetworks,
} from "../../../../stages/model/train.ts";

const tf = await initBackend("tfjs-wasm");

/** Each float32 as its bits, so that -0 and 0 (and every NaN) count as different. */
const bits = (values: readonly number[]): string =>
  Array.from(new Uint32Array(Float32Array.from(values).buffer), (b) => b.toString(16)).join(",");

function data(n: number, seed: number) {
  const rng = createRng(seed, "kernel");
  const x = Array.from({ length: n }, () => 2 * rng.normal());
  return { x, y: x.map((v) => Math.tanh(v) + 0.1 * rng.normal()) };
}

/** Trains `job` on tfjs' wasm backend and on every build of the kernel; all bits must agree. */
function assertSameBits(job: TrainingJob): void {
  const tfjs = trainNetworks(tf, job);
  for (const [build, make] of BUILDS) {
    const kernel = trainCompiled(job, make());
    assert.equal(kernel.history.length, tfjs.history.length);
    kernel.history.forEach((row, e) =>
      assert.equal(bits(row), bits(tfjs.history[e]!), `${build}: loss terms of epoch ${e + 1}`)
    );
    for (const net of ["f", "g"] as const) {
      kernel.weights[net].forEach((layer, i) => {
        const other = tfjs.weights[net][i]!;
        const at = `${build}: ${net} layer ${i}`;
        assert.equal(bits(layer.kernel.values), bits(other.kernel.values), `${at} kernel`);
        assert.equal(bits(layer.bias.values), bits(other.bias.values), `${at} bias`);
      });
    }
  }
}

/** The data on which train_test.ts' huge learning rate diverges. */
const linear = (() => {
  const rng = createRng(21, "linear");
  const x = Array.from({ length: 200 }, () => rng.normal());
  return { x, y: x.map((v) => 2 * v + 0.05 * rng.normal()) };
})();

const base: TrainingSettings = {
  epochs: 40,
  learningRate: 1e-2,
  batchSize: 0,
  seed: 3,
  backend: "kernel",
};

Deno.test("trainCompiled() gives bit for bit tfjs' wasm results", async (t) => {
  // Widths off the kernel's blocks of 4 and 8, row counts off its blocks of 4, every
  // activation, each cycle term on and off, minibatches with a short last batch, deep and
  // uneven networks, width-1 layers anywhere.
  type Case = [string, Partial<TrainingSettings>, number[], number, number, Activation, number];
  const cases: Case[] = [
    ["the post's shape, λ = μ = 1, ReLU", {}, [30, 30], 1, 1, "relu", 300],
    ["the post's shape, λ = μ = 1, SiLU", {}, [30, 30], 1, 1, "silu", 300],
    ["the post's shape, λ = μ = 1, tanh", {}, [30, 30], 1, 1, "tanh", 300],
    ["the post's shape, λ = μ = 1, ELU", {}, [30, 30], 1, 1, "elu", 300],
    ["the post's shape, λ = μ = 1, softplus", {}, [30, 30], 1, 1, "softplus", 300],
    ["unconstrained (no cycle term back-propagated)", {}, [30, 30], 0, 0, "relu", 300],
    ["λ ≠ μ", {}, [30, 30], 0.1, 10, "relu", 300],
    ["μ = 0 only, width 7, 37 rows", {}, [7, 7], 3, 0, "relu", 37],
    ["λ = 0 only, width 5, SiLU, 103 rows", {}, [5, 5], 0, 2, "silu", 103],
    ["minibatches of 64 (last one short)", { batchSize: 64 }, [30, 30], 100, 100, "relu", 300],
    ["minibatches of 37, width 9, SiLU", { batchSize: 37 }, [9, 9], 2, 0.5, "silu", 150],
    ["minibatches of 37, widths 9, 20, tanh", { batchSize: 37 }, [9, 20], 2, 0.5, "tanh", 150],
    [
      "minibatches of 37, widths 9, 20, softplus",
      { batchSize: 37 },
      [9, 20],
      2,
      0.5,
      "softplus",
      150,
    ],
    ["one row, width 1", {}, [1, 1], 1, 1, "relu", 1],
    ["one hidden layer", {}, [13], 1, 1, "tanh", 50],
    ["[17, 5, 23], tanh", {}, [17, 5, 23], 1, 1, "tanh", 120],
    ["eight hidden layers, SiLU", {}, [3, 8, 1, 9, 4, 16, 2, 5], 0.5, 2, "silu", 45],
    ["[100, 100], ReLU", { epochs: 10 }, [100, 100], 1, 1, "relu", 200],
    // Wide enough for sparse.h's products (ReLU from 96 units natively), beside dense layers.
    ["[256, 256], ReLU, n = 3000", { epochs: 3 }, [256, 256], 1, 1, "relu", 3000],
    ["[256, 256], SiLU, n = 3000", { epochs: 2 }, [256, 256], 1, 1, "silu", 3000],
    ["[64, 200, 97], ReLU", { epochs: 4, batchSize: 250 }, [64, 200, 97], 10, 0.1, "relu", 1001],
  ];
  for (const [name, training, layers, lambda, mu, activation, n] of cases) {
    await t.step(name, () => {
      assertSameBits({
        training: { ...base, ...training },
        lambda,
        mu,
        layers,
        activation,
        ...data(n, n),
      });
    });
  }
});

Deno.test("trainCompiled() gives tfjs' bits for random depths, widths, activations and weights", () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 8 }),
      fc.constantFrom<Activation>(...ACTIVATIONS),
      fc.constantFrom(0, 0.5, 3),
      fc.constantFrom(0, 1, 10),
      fc.integer({ min: 1, max: 60 }),
      fc.integer({ min: 0, max: 100 }),
      (layers, activation, lambda, mu, n, seed) => {
        assertSameBits({
          training: { ...base, epochs: 4, seed, batchSize: seed % 3 === 0 ? 16 : 0 },
          lambda,
          mu,
          layers,
          activation,
          ...data(n, seed),
        });
      },
    ),
    { numRuns: 40, seed: 18 },
  );
});

Deno.test("trainCompiled() gives tfjs' bits for random wide networks, up to 256 units and 3000 points", () => {
  // Half the widths past sparse.h's threshold, so that ReLU networks mix sparse and dense layers.
  const width = fc.oneof(fc.integer({ min: 1, max: 95 }), fc.integer({ min: 96, max: 256 }));
  fc.assert(
    fc.property(
      fc.array(width, { minLength: 1, maxLength: 3 }),
      fc.constantFrom<Activation>(...ACTIVATIONS, "relu", "relu"),
      fc.constantFrom(0, 1, 10),
      fc.integer({ min: 1, max: 3000 }),
      fc.integer({ min: 0, max: 100 }),
      (layers, activation, cycle, n, seed) => {
        assertSameBits({
          training: { ...base, epochs: 2, seed, batchSize: seed % 3 === 0 ? 512 : 0 },
          lambda: cycle,
          mu: cycle,
          layers,
          activation,
          ...data(n, seed),
        });
      },
    ),
    { numRuns: 20, seed: 29 },
  );
});

Deno.test("trainCompiled() gives tfjs' bits on the post's full job (n = 1000, 500 epochs)", () => {
  assertSameBits({
    training: { ...base, epochs: 500, learningRate: 1e-3, seed: 0 },
    lambda: 10,
    mu: 10,
    layers: [30, 30],
    activation: "relu",
    ...data(1000, 0),
  });
});

Deno.test("the kernel's tanh gives tfjs' bits on every 61st float of magnitude below 16, ±, and on edge values", () => {
  // Below 16 lie all of musl's branches; the edges add 0, subnormals, the largest floats, ±∞
  // and NaNs. (Every one of the 2³² floats agrees too; that takes minutes.)
  const edges = [
    0,
    0x80000000,
    1,
    0x80000001,
    0x007fffff,
    0x7f7fffff,
    0x7f800000,
    0xff800000,
    0x7fc00000,
    0xffc00000,
    0x7f800001,
    0x41800000,
    0x4f000000,
    0xcf000000,
  ];
  const top = 0x41800000; // 16
  // tfjs' Tanh slows down on long tensors: chunks of 2^16.
  const chunk = 1 << 16;
  const values = new Float32Array(chunk);
  const words = new Uint32Array(values.buffer);
  let checked = 0;
  for (let w = 0, first = true; w < 2 * top; first = false) {
    let m = 0;
    for (; w < 2 * top && m < chunk; w += 61) words[m++] = w < top ? w : (w - top) | 0x80000000;
    if (first) words.set(edges);
    const part = values.subarray(0, m);
    const theirs = new Uint32Array(
      tf.tidy(() => tf.tanh(tf.tensor1d(part)).dataSync() as Float32Array).buffer,
    );
    for (const [build, make] of BUILDS) {
      const ours = new Uint32Array(activateWithKernel(part, "tanh", make()).buffer);
      const i = ours.findIndex((v, i) => v !== theirs[i]);
      if (i >= 0) {
        assert.fail(
          `${build}: tanh of bits ${words[i]!.toString(16)}: ${ours[i]!.toString(16)} vs tfjs ${
            theirs[i]!.toString(16)
          }`,
        );
      }
    }
    checked += m;
  }
  assert.ok(checked > 3.5e7, `${checked} values checked`);
});

Deno.test("the kernel's SiLU gives tfjs' z·sigmoid(z) bits on a stride over all floats", () => {
  const values = new Float32Array(1 << 20);
  const words = new Uint32Array(values.buffer);
  for (let i = 0; i < words.length; i++) words[i] = (i * 4093 + 11) >>> 0;
  const theirs = tf.tidy(() => {
    const z = tf.tensor1d(values);
    return tf.mul(z, tf.sigmoid(z)).dataSync() as Float32Array;
  });
  for (const [build, make] of BUILDS) {
    const ours = activateWithKernel(values, "silu", make());
    assert.equal(bits(Array.from(ours)), bits(Array.from(theirs)), build);
  }
});

Deno.test("the kernel's ELU and softplus give tfjs' bits on a stride over all floats and on their edges", async (t) => {
  // Edges: ±0, ±1, subnormals, ±∞, NaNs, ELU's saturation cutoff, softplus' thresholds
  // ±(logf(2^-23) + 2) and expf's screens (±88, log 2^128, log 2^-150), each with its neighbours.
  // (Every one of the 2³² floats agrees too; that takes an hour or so.)
  const edges = [0, 0x80000000, 1, 0x80000001, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000]
    .concat(0x7f800001, 0xff800f0b, 0xc18aa123, 0x3f800000, 0xbf800000)
    .concat(0xc15f1402, 0x415f1402, 0x42b00000, 0xc2b00000, 0x42b17217, 0xc2cff1b4);
  const words = new Uint32Array(1 << 20);
  for (let i = 0; i < words.length; i++) words[i] = (i * 4093 + 11) >>> 0;
  words.set(edges.flatMap((e) => [e - 1, e, e + 1].map((w) => w >>> 0)));
  const values = new Float32Array(words.buffer);
  const ops = { elu: tf.elu, softplus: tf.softplus } as const;
  for (const [activation, op] of Object.entries(ops) as [Activation, typeof tf.elu][]) {
    await t.step(activation, () => {
      const theirs = tf.tidy(() => op(tf.tensor1d(values)).dataSync() as Float32Array);
      for (const [build, make] of BUILDS) {
        const ours = activateWithKernel(values, activation, make());
        assert.equal(bits(Array.from(ours)), bits(Array.from(theirs)), build);
      }
    });
  }
});

Deno.test("trainCompiled() fails with stage-diverged at the epoch tfjs does", async (t) => {
  // [128, 128] takes sparse.h's products, which must add 0·∞ where weights or dz overflow.
  for (const layers of [[8, 8], [128, 128]]) {
    await t.step(`[${layers}]`, () => diverges(layers));
  }
});

function diverges(layers: number[]): void {
  const job: TrainingJob = {
    training: { ...base, epochs: 300, learningRate: 1e3, seed: 0 },
    lambda: 100,
    mu: 100,
    layers,
    activation: "relu",
    x: linear.x,
    y: linear.y,
  };
  const failure = (f: () => unknown): StageError => {
    try {
      f();
    } catch (e) {
      if (e instanceof StageError) return e;
      throw e;
    }
    throw new Error("training did not diverge");
  };
  const tfjs = failure(() => trainNetworks(tf, job));
  for (const [build, make] of BUILDS) {
    const kernel = failure(() => trainCompiled(job, make()));
    assert.equal(kernel.code, "stage-diverged", build);
    assert.equal(kernel.message, tfjs.message, build);
    assert.match(kernel.hint, /learningRate/);
  }
}

Deno.test("trainCompiled() reports progress every 50 epochs and at the end", () => {
  const seen: number[] = [];
  trainCompiled({
    training: { ...base, epochs: 120 },
    lambda: 1,
    mu: 1,
    layers: [4, 4],
    activation: "relu",
    ...data(20, 1),
    progress: (done) => seen.push(done),
  });
  assert.deepEqual(seen, [50, 100, 120]);
});

Deno.test("createKernelTrainer() refuses a job past WebAssembly's memory with backend-unavailable", () => {
  assert.throws(
    () =>
      createKernelTrainer({
        layers: [1000, 1000],
        x: new Array(300_000).fill(0),
        y: new Array(300_000).fill(0),
        activation: "relu",
        lambda: 1,
        mu: 1,
        learningRate: 1e-3,
        beta1: 0.9,
        beta2: 0.999,
        epsilon: 1e-8,
        initial: new Float32Array(0),
      }),
    (e: unknown) =>
      e instanceof StageError && e.code === "backend-unavailable" && /memory/.test(e.message) &&
      /training\.layers/.test(e.hint),
  );
});
