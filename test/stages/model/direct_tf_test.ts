import assert from "node:assert/strict";
import { createRng } from "../../../stages/data/random.ts";
import { ACTIVATIONS } from "../../../stages/activations.ts";
import { directTf } from "../../../stages/model/direct_tf.ts";
import { initBackend } from "../../../stages/model/tf_backend.ts";
import { trainNetworks, trainWith } from "../../../stages/model/train.ts";
import { type TrainingSettings } from "../../../stages/model/train.ts";

const rng = createRng(5, "direct");
const x = Array.from({ length: 300 }, () => rng.normal());
const y = x.map((v) => Math.tanh(v) + 0.1 * rng.normal());

/** Each float32 as its bits, so that -0 and 0 (and every NaN) count as different. */
const bits = (values: readonly number[]): string =>
  Array.from(new Uint32Array(Float32Array.from(values).buffer), (b) => b.toString(16)).join(",");

for (const backend of ["tfjs-wasm", "tfjs-cpu"] as const) {
  Deno.test(`trainNetworks() gives bit for bit the engine's results on ${backend}`, async (t) => {
    const tf = await initBackend(backend);
    for (const activation of ACTIVATIONS) {
      for (const batchSize of [0, 64]) {
        await t.step(`${activation}, batch ${batchSize || "full"}`, () => {
          const training: TrainingSettings = {
            epochs: 60,
            learningRate: 1e-2,
            batchSize,
            seed: 3,
            backend,
          };
          const job = { training, lambda: 0.5, mu: 2, layers: [12, 5, 9], activation, x, y };
          const backendData = tf.engine().backend as unknown as { numDataIds(): number };
          const ids = backendData.numDataIds();
          const direct = trainNetworks(tf, job);
          assert.equal(backendData.numDataIds(), ids, "the direct path frees all it allocates");
          const before = tf.memory().numTensors;
          const engine = trainWith(tf, job);
          assert.deepEqual(direct.history.map(bits), engine.history.map(bits));
          for (const net of ["f", "g"] as const) {
            direct.weights[net].forEach((layer, i) => {
              const other = engine.weights[net][i]!;
              assert.equal(bits(layer.kernel.values), bits(other.kernel.values));
              assert.equal(bits(layer.bias.values), bits(other.bias.values));
            });
          }
          assert.equal(tf.memory().numTensors, before, "the engine path leaks no tensor");
        });
      }
    }
  });
}

Deno.test("directTf() frees inside tidy what the function does not return or keep", async () => {
  const tf = await initBackend("tfjs-wasm");
  const backend = tf.engine().backend as unknown as { numDataIds(): number };
  const d = directTf(tf);
  const before = backend.numDataIds();
  const a = d.tensor1d([1, 2, 3]);
  let kept: ReturnType<typeof d.scalar> | undefined;
  const out = d.tidy(() => {
    const b = d.mul(a, 2);
    kept = d.keep(d.sum(b));
    return d.add(b, 1);
  });
  assert.deepEqual(Array.from(out.dataSync()), [3, 5, 7]);
  assert.deepEqual(Array.from(kept!.dataSync()), [12]);
  // a, out and kept are alive; the product and the scalars 2 and 1 were freed.
  assert.equal(backend.numDataIds(), before + 3);
  d.dispose([a, out, kept!]);
  assert.equal(backend.numDataIds(), before);
});
