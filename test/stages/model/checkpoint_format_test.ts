import assert from "node:assert/strict";
import {
  decodeState,
  encodeState,
  type TrainingState,
} from "../../../stages/model/checkpoint_format.ts";

const state: TrainingState = {
  epoch: 2,
  steps: 6,
  parameters: Float32Array.of(-0, 1.5e-45, 3.4028234663852886e38, -1),
  m: Float32Array.of(0.1, 0.2, 0.3, 0.4),
  v: Float32Array.of(1e-30, 0, 2, 7),
  shuffle: { words: [4294967295, 0, 123, -7], spare: 0.12345678901234566 },
  history: [[Math.fround(0.1), 2, 3], [4, Math.fround(1 / 3), 6]],
};

Deno.test("decodeState() gives back every bit encodeState() wrote", () => {
  const back = decodeState(encodeState(state), 2);
  assert.deepEqual(back, state);
  assert.ok(Object.is(back.parameters[0], -0));
  assert.deepEqual(encodeState(back), encodeState(state));
});

Deno.test("decodeState() refuses bytes that are not the state asked for", async (t) => {
  const bytes = encodeState(state);
  await t.step("another file", () => {
    assert.throws(
      () => decodeState(new TextEncoder().encode("x,y\n1,2\n")),
      /not a training state/,
    );
  });
  await t.step("cut short", () => {
    assert.throws(() => decodeState(bytes.subarray(0, bytes.length - 1)), /bytes, its header says/);
  });
  await t.step("the state after another epoch", () => {
    assert.throws(() => decodeState(bytes, 3), /after epoch 2, not 3/);
  });
});
