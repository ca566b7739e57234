import assert from "node:assert/strict";
import { initialLayers } from "../../../stages/model/architecture.ts";
import {
  layoutOf,
  networkViews,
  packParameters,
  unpackParameters,
} from "../../../stages/model/parameter_vector.ts";
import { createRng } from "../../../stages/data/random.ts";
import { initBackend } from "../../../stages/model/tf_backend.ts";

const f = initialLayers(createRng(1, "f"), [5, 5]);
const g = initialLayers(createRng(1, "g"), [5, 5]);

Deno.test("unpackParameters() gives back the packed layers exactly", () => {
  const layout = layoutOf(f, g);
  assert.equal(layout.size, 2 * (5 + 5 + 25 + 5 + 5 + 1));
  assert.deepEqual(unpackParameters(layout, packParameters(layout, f, g)), { f, g });
});

Deno.test("networkViews() cuts each kernel and bias out of the vector with its shape", async () => {
  const tf = await initBackend("tfjs-cpu");
  const layout = layoutOf(f, g);
  const views = tf.tidy(() => {
    const theta = tf.tensor1d(packParameters(layout, f, g));
    const v = networkViews(tf, layout, theta);
    return [...v.f, ...v.g].map((l) => ({
      kernel: { shape: l.kernel.shape, values: Array.from(l.kernel.dataSync()) },
      bias: { shape: l.bias.shape, values: Array.from(l.bias.dataSync()) },
    }));
  });
  assert.deepEqual(views, [...f, ...g]);
});
