import assert from "node:assert/strict";
import { StageError } from "../../../../pipeline/core/stage.ts";
import { createRng } from "../../../../stages/data/random.ts";
import { initBackend } from "../../../../stages/model/tf_backend.ts";
import { createKernelTrainer } from "../../../../stages/model/kernel/trainer.ts";
import { trainCompiled, type TrainingJob, trainNetworks } from "../../../../stages/model/train.ts";
import type { TrainingParams } from "../../../../stages/params_schema.ts";

const tf = await initBackend("wasm");

/** Each float32 as its bits, so that -0 and 0 (and every NaN) count as different. */
const bits = (values: readonly number[]): string =>
  Array.from(new Uint32Array(Float32Array.from(values).buffer), (b) => b.toString(16)).join(",");

function data(n: number, seed: number) {
  const rng = createRng(seed, "kernel");
  const x = Array.from({ length: n }, () => 2 * rng.normal());
  return { x, y: x.map((v) => Math.tanh(v) + 0.1 * rng.normal()) };
}

function assertSameBits(job: TrainingJob): void {
  const kernel = trainCompiled(job);
  const tfjs = trainNetworks(tf, job);
  assert.equal(kernel.history.length, tfjs.history.length);
  kernel.history.forEach((row, e) =>
    assert.equal(bits(row), bits(tfjs.history[e]!), `loss terms of epoch ${e + 1}`)
  );
  for (const net of ["f", "g"] as const) {
    kernel.weights[net].forEach((layer, i) => {
      const other = tfjs.weights[net][i]!;
      assert.equal(bits(layer.kernel.values), bits(other.kernel.values), `${net} kernel ${i}`);
      assert.equal(bits(layer.bias.values), bits(other.bias.values), `${net} bias ${i}`);
    });
  }
}

/** The data on which train_test.ts' huge learning rate diverges. */
const linear = (() => {
  const rng = createRng(21, "linear");
  const x = Array.from({ length: 200 }, () => rng.normal());
  return { x, y: x.map((v) => 2 * v + 0.05 * rng.normal()) };
})();

const base: TrainingParams = {
  epochs: 40,
  learningRate: 1e-2,
  width: 30,
  batchSize: 0,
  seed: 3,
  backend: "wasm",
};

Deno.test("trainCompiled() gives bit for bit tfjs' wasm results", async (t) => {
  // Widths off the kernel's blocks of 4 and 8, row counts off its blocks of 4, both
  // activations, each cycle term on and off, minibatches with a short last batch.
  const cases: Array<[string, Partial<TrainingParams>, number, number, "relu" | "silu", number]> = [
    ["the post's shape, λ = μ = 1, ReLU", {}, 1, 1, "relu", 300],
    ["the post's shape, λ = μ = 1, SiLU", {}, 1, 1, "silu", 300],
    ["unconstrained (no cycle term back-propagated)", {}, 0, 0, "relu", 300],
    ["λ ≠ μ", {}, 0.1, 10, "relu", 300],
    ["μ = 0 only, width 7, 37 rows", { width: 7 }, 3, 0, "relu", 37],
    ["λ = 0 only, width 5, SiLU, 103 rows", { width: 5 }, 0, 2, "silu", 103],
    ["minibatches of 64 (last one short)", { batchSize: 64 }, 100, 100, "relu", 300],
    ["minibatches of 37, width 9, SiLU", { width: 9, batchSize: 37 }, 2, 0.5, "silu", 150],
    ["one row, width 1", { width: 1 }, 1, 1, "relu", 1],
  ];
  for (const [name, training, lambda, mu, activation, n] of cases) {
    await t.step(name, () => {
      assertSameBits({
        training: { ...base, ...training },
        lambda,
        mu,
        activation,
        ...data(n, n),
      });
    });
  }
});

Deno.test("trainCompiled() gives tfjs' bits on the post's full job (n = 1000, 500 epochs)", () => {
  assertSameBits({
    training: { ...base, epochs: 500, learningRate: 1e-3, seed: 0 },
    lambda: 10,
    mu: 10,
    activation: "relu",
    ...data(1000, 0),
  });
});

Deno.test("trainCompiled() fails with stage-diverged at the epoch tfjs does", () => {
  const job: TrainingJob = {
    training: { ...base, width: 8, epochs: 300, learningRate: 1e3, seed: 0 },
    lambda: 100,
    mu: 100,
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
  const kernel = failure(() => trainCompiled(job));
  const tfjs = failure(() => trainNetworks(tf, job));
  assert.equal(kernel.code, "stage-diverged");
  assert.equal(kernel.message, tfjs.message);
  assert.match(kernel.hint, /learningRate/);
});

Deno.test("trainCompiled() reports progress every 50 epochs and at the end", () => {
  const seen: number[] = [];
  trainCompiled({
    training: { ...base, width: 4, epochs: 120 },
    lambda: 1,
    mu: 1,
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
        width: 2000,
        x: new Array(100_000).fill(0),
        y: new Array(100_000).fill(0),
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
      /training\.backend/.test(e.hint),
  );
});
