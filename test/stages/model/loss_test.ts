import assert from "node:assert/strict";
import type { Tensor2D } from "@tensorflow/tfjs-core";
import { ACTIVATIONS } from "../../../stages/activations.ts";
import { lossAndGradients, totalLoss } from "../../../stages/model/loss.ts";
import {
  backward,
  disposeNetwork,
  forward,
  type Network,
  toNetwork,
} from "../../../stages/model/network.ts";
import { createRng } from "../../../stages/data/random.ts";
import { initBackend } from "../../../stages/model/tf_backend.ts";
import {
  type Activation,
  applyNetwork,
  initialLayers,
  type LayerValues,
} from "../../../stages/model/architecture.ts";

const tf = await initBackend("tfjs-cpu");

/** A width-1 network computing x ↦ slope·x for x > 0: two identity ReLU layers, then a scale. */
function scaling(slope: number): LayerValues[] {
  const layer = (k: number): LayerValues => ({
    kernel: { shape: [1, 1], values: [k] },
    bias: { shape: [1], values: [0] },
  });
  return [layer(1), layer(1), layer(slope)];
}

function withNetworks<T>(layers: LayerValues[][], body: (nets: Network[]) => T): T {
  const nets = layers.map((l) => toNetwork(tf, l));
  tf.engine().startScope();
  try {
    return body(nets);
  } finally {
    tf.engine().endScope();
    nets.forEach(disposeNetwork);
  }
}

Deno.test("lossAndGradients() matches a hand-computed loss on a tiny example", () => {
  // f(x) = 2x, g(y) = 0.4y on x = [1, 2], y = [2, 5]:
  // fit_f = ((2−2)² + (4−5)²)/2 = 0.5, fit_g = ((0.8−1)² + (2−2)²)/2 = 0.02,
  // cyc_y = ((2−1.6)² + (5−4)²)/2 = 0.58, cyc_x = ((1−0.8)² + (2−1.6)²)/2 = 0.1,
  // total with λ = 2, μ = 3: 0.5 + 0.02 + 3·0.58 + 2·0.1 = 2.46.
  const terms = withNetworks([scaling(2), scaling(0.4)], ([f, g]) =>
    Array.from(
      lossAndGradients(tf, {
        f: f!,
        g: g!,
        activation: "relu",
        x: tf.tensor2d([[1], [2]]),
        y: tf.tensor2d([[2], [5]]),
        lambda: 2,
        mu: 3,
      }).terms.dataSync(),
    ));
  const expected = [0.5, 0.02, 0.58, 0.1, 2.46];
  terms.forEach((v, i) => assert.ok(Math.abs(v - expected[i]!) < 1e-6, `term ${i}: ${v}`));
});

Deno.test("totalLoss() weighs cyc_y by μ and cyc_x by λ", () => {
  assert.equal(
    totalLoss({ fit_f: 0.5, fit_g: 0.25, cyc_y: 1, cyc_x: 2 }, { lambda: 3, mu: 5 }),
    11.75,
  );
});

const rng = createRng(5, "data");
const xs = Array.from({ length: 9 }, () => rng.normal());
const ys = xs.map((v) => Math.tanh(v) + 0.1 * rng.normal());

function gradients(
  fl: LayerValues[],
  gl: LayerValues[],
  activation: Activation,
  lambda: number,
  mu: number,
): number[][] {
  return withNetworks([fl, gl], ([f, g]) => {
    const r = lossAndGradients(tf, {
      f: f!,
      g: g!,
      activation,
      x: tf.tensor2d(xs, [xs.length, 1]),
      y: tf.tensor2d(ys, [ys.length, 1]),
      lambda,
      mu,
    });
    return [...r.gradsF, ...r.gradsG].map((t) => Array.from(t.dataSync()));
  });
}

Deno.test("lossAndGradients() with λ = μ = 0 gives f a gradient that does not depend on g", () => {
  const f = initialLayers(createRng(1, "f"), [5, 5]);
  const g1 = initialLayers(createRng(1, "g"), [5, 5]);
  const g2 = initialLayers(createRng(2, "g"), [5, 5]);
  for (const activation of ["relu", "silu"] as const) {
    const a = gradients(f, g1, activation, 0, 0).slice(0, 6);
    const b = gradients(f, g2, activation, 0, 0).slice(0, 6);
    assert.deepEqual(a, b);
    // …while with λ, μ > 0 it does.
    assert.notDeepEqual(
      gradients(f, g1, activation, 1, 1).slice(0, 6),
      gradients(f, g2, activation, 1, 1).slice(0, 6),
    );
  }
});

Deno.test("lossAndGradients() gradient matches central finite differences of L̃, any depth and activation", () => {
  for (const activation of ACTIVATIONS) {
    const fl = initialLayers(createRng(3, "f"), [4, 3, 4]);
    const gl = initialLayers(createRng(3, "g"), [4, 3, 4]);
    const [lambda, mu] = [0.7, 1.3];
    const mse = (a: number[], b: number[]) =>
      a.reduce((s, v, i) => s + (v - b[i]!) ** 2, 0) / a.length;
    // L̃ in float64, from the plain-JavaScript networks.
    const loss = () => {
      const fx = applyNetwork(fl, activation, xs);
      const gy = applyNetwork(gl, activation, ys);
      return mse(fx, ys) + mse(gy, xs) + mu * mse(ys, applyNetwork(fl, activation, gy)) +
        lambda * mse(xs, applyNetwork(gl, activation, fx));
    };
    const grads = gradients(fl, gl, activation, lambda, mu);
    const tensors = [fl, gl].flatMap((net) =>
      net.flatMap((l) => [l.kernel.values as number[], l.bias.values as number[]])
    );
    tensors.forEach((values, t) => {
      values.forEach((v, k) => {
        const h = 1e-6;
        values[k] = v + h;
        const up = loss();
        values[k] = v - h;
        const down = loss();
        values[k] = v;
        const fd = (up - down) / (2 * h);
        assert.ok(
          Math.abs(fd - grads[t]![k]!) < 1e-5,
          `${activation} tensor ${t}[${k}]: ${fd} vs ${grads[t]![k]}`,
        );
      });
    });
  }
});

for (const backend of ["tfjs-wasm", "tfjs-cpu"] as const) {
  Deno.test(`backward() on ${backend} gives bit for bit hᵀ·dZ and Σ_rows dZ`, async () => {
    const tf = await initBackend(backend);
    const rng = createRng(9, "backward");
    const n = 257;
    const layers = initialLayers(createRng(9, "net"), [7, 7]);
    const net = toNetwork(tf, layers);
    const input = Array.from({ length: n }, () => rng.normal());
    const dOut = Array.from({ length: n }, () => rng.normal());
    tf.engine().startScope();
    try {
      const x = tf.tensor2d(input, [n, 1]);
      const { trace } = forward(tf, net, x, "relu");
      const actual = backward(tf, net, trace, tf.tensor2d(dOut, [n, 1]), true);
      // The plain formulas, layer by layer from the output.
      const expected: number[][] = [];
      let dZ: Tensor2D = tf.tensor2d(dOut, [n, 1]);
      for (let k = net.length - 1; k >= 0; k--) {
        expected[2 * k] = Array.from(tf.matMul(tf.transpose(trace.inputs[k]!), dZ).dataSync());
        expected[2 * k + 1] = Array.from(tf.sum(dZ, 0).dataSync());
        const dH = tf.matMul<Tensor2D>(dZ, tf.transpose(net[k]!.kernel));
        dZ = k > 0 ? tf.mul<Tensor2D>(dH, trace.slopes[k - 1]!) : dH;
      }
      assert.deepEqual(actual.grads.map((t) => Array.from(t.dataSync())), expected);
      assert.deepEqual(Array.from(actual.dInput!.dataSync()), Array.from(dZ.dataSync()));
    } finally {
      tf.engine().endScope();
      disposeNetwork(net);
    }
  });
}
