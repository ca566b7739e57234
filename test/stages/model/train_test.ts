import assert from "node:assert/strict";
import { join } from "node:path";
import { ACTIVATIONS } from "../../../stages/activations.ts";
import { StageError } from "../../../pipeline/core/stage.ts";
import { formatCsv } from "../../../stages/data/csv.ts";
import { createRng } from "../../../stages/data/random.ts";
import { initBackend } from "../../../stages/model/tf_backend.ts";
import {
  run,
  type TrainingSettings,
  trainNetworks,
  type TrainStageParams,
} from "../../../stages/model/train.ts";
import { nativeKernel } from "../../../stages/model/kernel/native_kernel.ts";
import { checkpointOutput } from "../../../pipeline/core/layout.ts";
import type { Activation, Backend } from "../../../stages/params_schema.ts";
import fc from "fast-check";
import { applyNetwork } from "../../../stages/model/weights.ts";

const tf = await initBackend("tfjs-wasm");

const rng = createRng(21, "linear");
const x = Array.from({ length: 200 }, () => rng.normal());
const y = x.map((v) => 2 * v + 0.05 * rng.normal());

const training: TrainingSettings = {
  epochs: 40,
  learningRate: 1e-2,
  batchSize: 0,
  seed: 0,
  backend: "kernel",
};
const layers = [8, 8];

const mse = (a: readonly number[], b: readonly number[]) =>
  a.reduce((s, v, i) => s + (v - b[i]!) ** 2, 0) / a.length;

Deno.test("trainNetworks() learns f ≈ 2x and g ≈ x/2 on linear data, nearly inverse", () => {
  const { weights: w } = trainNetworks(tf, {
    training: { ...training, epochs: 400 },
    lambda: 1,
    mu: 1,
    layers,
    activation: "relu",
    x,
    y,
  });
  const t = Array.from({ length: 41 }, (_, i) => -1.5 + 3 * i / 40);
  const f = (v: readonly number[]) => applyNetwork(w.f, w.activation, v);
  const g = (v: readonly number[]) => applyNetwork(w.g, w.activation, v);
  assert.ok(mse(f(t), t.map((v) => 2 * v)) < 0.01, `f vs 2x: ${mse(f(t), t.map((v) => 2 * v))}`);
  const s = t.map((v) => 2 * v);
  assert.ok(mse(g(s), t) < 0.005, `g vs y/2: ${mse(g(s), t)}`);
  assert.ok(mse(g(f(x)), x) < 0.005, `inversion: ${mse(g(f(x)), x)}`);
});

Deno.test("trainNetworks() records one finite row of five terms per epoch, total = weighted sum", () => {
  const { history } = trainNetworks(tf, {
    training,
    lambda: 0.5,
    mu: 2,
    layers,
    activation: "silu",
    x,
    y,
  });
  assert.equal(history.length, training.epochs);
  for (const [fitF, fitG, cycY, cycX, total] of history) {
    const expected = fitF! + fitG! + 2 * cycY! + 0.5 * cycX!;
    assert.ok(Math.abs(total! - expected) < 1e-5 * Math.max(1, expected));
  }
  assert.ok(history.at(-1)![4]! < history[0]![4]!, "the loss decreases");
});

Deno.test("trainNetworks() with minibatches covers every epoch and is seeded", () => {
  const job = {
    training: { ...training, epochs: 5, batchSize: 64 },
    lambda: 1,
    mu: 1,
    layers,
    x,
    y,
  };
  const a = trainNetworks(tf, { ...job, activation: "relu" });
  const b = trainNetworks(tf, { ...job, activation: "relu" });
  assert.equal(a.history.length, 5);
  assert.deepEqual(a, b);
});

Deno.test("trainNetworks() with a huge learning rate fails with stage-diverged", () => {
  assert.throws(
    () =>
      trainNetworks(tf, {
        training: { ...training, epochs: 300, learningRate: 1e3 },
        lambda: 100,
        mu: 100,
        layers,
        activation: "relu",
        x,
        y,
      }),
    (e: unknown) =>
      e instanceof StageError && e.code === "stage-diverged" && /epoch \d+/.test(e.message) &&
      /learningRate/.test(e.hint),
  );
});

Deno.test("trainNetworks() leaves no tensors behind", () => {
  const before = tf.memory().numTensors;
  trainNetworks(tf, { training, lambda: 1, mu: 1, layers, activation: "relu", x, y });
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("train writes byte-identical weights.json and history.csv on two runs; replicate i trains with seed training.seed + i", async () => {
  const data = await Deno.makeTempDir();
  await Deno.writeTextFile(
    join(data, "points.csv"),
    formatCsv(["x", "y"], x.map((v, i) => [v, y[i]!])),
  );
  const once = async (replicate = 0, seed = training.seed) => {
    const outDir = await Deno.makeTempDir();
    await run({
      params: { ...training, seed, lambda: 1, mu: 1, layers, activation: "relu", replicate },
      inputs: { data },
      outDir,
      progress: () => {},
    });
    const files = [
      await Deno.readFile(join(outDir, "weights.json")),
      await Deno.readFile(join(outDir, "history.csv")),
    ];
    await Deno.remove(outDir, { recursive: true });
    return files;
  };
  const [a, b] = [await once(), await once()];
  const [shifted, seeded] = [await once(2, training.seed), await once(0, training.seed + 2)];
  await Deno.remove(data, { recursive: true });
  assert.deepEqual(a, b);
  assert.deepEqual(shifted, seeded);
  assert.notDeepEqual(shifted, a);
  const header = new TextDecoder().decode(a[1]).split("\n")[0];
  assert.equal(header, "epoch,fit_f,fit_g,cyc_y,cyc_x,total");
  const w = JSON.parse(new TextDecoder().decode(a[0]));
  assert.deepEqual(w.f.map((l: { kernel: { shape: number[] } }) => l.kernel.shape), [
    [1, 8],
    [8, 8],
    [8, 1],
  ]);
});

Deno.test("train writes the same weights.json and history.csv bytes with backend kernel and tfjs-wasm, for [17, 5, 23] tanh", async () => {
  const data = await Deno.makeTempDir();
  await Deno.writeTextFile(
    join(data, "points.csv"),
    formatCsv(["x", "y"], x.map((v, i) => [v, y[i]!])),
  );
  const once = async (backend: "kernel" | "tfjs-wasm") => {
    const outDir = await Deno.makeTempDir();
    await run({
      params: {
        ...training,
        backend,
        lambda: 1,
        mu: 1,
        layers: [17, 5, 23],
        activation: "tanh",
      },
      inputs: { data },
      outDir,
      progress: () => {},
    });
    const files = await Promise.all(
      ["weights.json", "history.csv"].map((f) => Deno.readFile(join(outDir, f))),
    );
    await Deno.remove(outDir, { recursive: true });
    return files;
  };
  const [kernel, tfjs] = [await once("kernel"), await once("tfjs-wasm")];
  await Deno.remove(data, { recursive: true });
  assert.deepEqual(kernel, tfjs);
  const w = JSON.parse(new TextDecoder().decode(kernel[0]));
  assert.deepEqual([w.activation, w.layers], ["tanh", [17, 5, 23]]);
});

/** The backends a continued training must match a fresh one on; kernel-native where it builds. */
const nativeHere = (await nativeKernel({ env: (name) => Deno.env.get(name) })).ok;
const RESUMABLE_BACKENDS: Backend[] = [
  ...(nativeHere || Deno.env.get("CI") ? ["kernel-native" as const] : []),
  "kernel-wasm",
  "tfjs-wasm",
  "tfjs-cpu",
];

Deno.test("train continued from a kept state writes the bytes of a training from the start, on every backend", async (t) => {
  const data = await Deno.makeTempDir();
  const dirs: string[] = [];
  /** Trains `epochs` epochs, keeping the states after `keep`, continuing `resume` if given. */
  const train = async (
    params: TrainStageParams,
    epochs: number,
    keep: number[],
    resume?: { dir: string; progress: number },
  ) => {
    const outDir = await Deno.makeTempDir();
    dirs.push(outDir);
    await run({
      params: { ...params, epochs },
      inputs: { data },
      outDir,
      progress: () => {},
      checkpoints: keep.map((p) => ({ progress: p, file: join(outDir, checkpointOutput(p)) })),
      ...(resume
        ? { resume: { ...resume, file: join(resume.dir, checkpointOutput(resume.progress)) } }
        : {}),
    });
    return (file: string) => Deno.readFile(join(outDir, file));
  };
  try {
    for (const backend of RESUMABLE_BACKENDS) {
      await t.step(backend, () => property(backend));
    }
  } finally {
    await Promise.all([data, ...dirs].map((d) => Deno.remove(d, { recursive: true })));
  }

  /** Any network, activation, batch, epochs and point where a training is cut, on `backend`. */
  function property(backend: Backend) {
    return fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 8 }),
        fc.constantFrom<Activation>(...ACTIVATIONS),
        fc.integer({ min: 6, max: 40 }),
        fc.constantFrom(0, 1, 5),
        fc.integer({ min: 2, max: 9 }),
        fc.nat(),
        async (layers, activation, n, batch, epochs, draw) => {
          // Full batch, or minibatches of `batch` rows: the batch order's generator is kept too.
          const batchSize = batch === 0 ? 0 : Math.min(n, batch + (draw % 7));
          const e0 = 1 + (draw % (epochs - 1)), k = 1 + ((draw >> 3) % (epochs - 1));
          const params: TrainStageParams = {
            ...training,
            backend,
            batchSize,
            seed: draw % 1000,
            lambda: draw % 2 ? 1 : 0,
            mu: draw % 3 ? 2 : 0,
            layers,
            activation,
          };
          await Deno.writeTextFile(
            join(data, "points.csv"),
            formatCsv(["x", "y"], x.slice(0, n).map((v, i) => [v, y[i]!])),
          );
          const short = await train(params, e0, [e0]);
          const shortDir = dirs.at(-1)!;
          const continued = await train(params, epochs, [epochs], { dir: shortDir, progress: e0 });
          const fresh = await train(params, epochs, [...new Set([k, epochs])]);
          for (const file of ["weights.json", "history.csv", checkpointOutput(epochs)]) {
            assert.deepEqual(await continued(file), await fresh(file), `${backend}: ${file}`);
          }
          // A state kept on the way is the final state of the shorter training.
          const upToK = k === e0 ? short : await train(params, k, [k]);
          assert.deepEqual(await upToK(checkpointOutput(k)), await fresh(checkpointOutput(k)));
          await Promise.all(dirs.splice(0).map((d) => Deno.remove(d, { recursive: true })));
        },
      ),
      { numRuns: 16, seed: 26 },
    );
  }
});
