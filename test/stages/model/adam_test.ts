import assert from "node:assert/strict";
import { createAdam } from "../../../stages/model/adam.ts";
import { createRng } from "../../../stages/data/random.ts";
import { type BackendName, initBackend } from "../../../stages/model/tf_backend.ts";

const options = { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

for (const backend of ["tfjs-wasm", "tfjs-cpu"] as BackendName[]) {
  Deno.test(`createAdam() on ${backend} updates bit for bit as tf.train.adam over separate variables`, async () => {
    const tf = await initBackend(backend);
    const rng = createRng(7, "adam");
    const draw = (k: number) => Array.from({ length: k }, () => rng.normal());
    const sizes = [30, 900, 1];
    const start = sizes.map(draw);
    const grads = Array.from({ length: 25 }, () => sizes.map(draw));

    const vars = start.map((v) => tf.variable(tf.tensor1d(v)));
    const reference = tf.train.adam(
      options.learningRate,
      options.beta1,
      options.beta2,
      options.epsilon,
    );
    for (const g of grads) {
      tf.tidy(() =>
        reference.applyGradients(vars.map((v, i) => ({ name: v.name, tensor: tf.tensor1d(g[i]!) })))
      );
    }
    const expected = vars.flatMap((v) => Array.from(v.dataSync()));

    const adam = createAdam(tf, sizes.reduce((a, b) => a + b), options);
    let theta = tf.tensor1d(start.flat());
    for (const g of grads) {
      theta = tf.tidy(() => adam.step(theta, tf.tensor1d(g.flat())));
    }
    const actual = Array.from(theta.dataSync());

    theta.dispose();
    adam.dispose();
    reference.dispose();
    tf.dispose(vars);
    assert.deepEqual(actual, expected);
  });
}

Deno.test("createAdam() leaves no tensors behind once disposed", async () => {
  const tf = await initBackend("tfjs-wasm");
  const before = tf.memory().numTensors;
  const adam = createAdam(tf, 3, options);
  let theta = tf.tensor1d([1, 2, 3]);
  for (let i = 0; i < 3; i++) theta = tf.tidy(() => adam.step(theta, tf.tensor1d([1, -1, 0.5])));
  theta.dispose();
  adam.dispose();
  assert.equal(tf.memory().numTensors, before);
});
