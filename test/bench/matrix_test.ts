import assert from "node:assert/strict";
import {
  cellEpochs,
  flopsPerEpoch,
  MATRIX_POINTS,
  MATRIX_WIDTHS,
  MAX_EPOCHS,
  MIN_EPOCHS,
} from "./matrix.ts";

Deno.test("flopsPerEpoch() counts four passes forward and their backward from the architecture", () => {
  // The figure for n = 3000, [64, 64]: about 305 MFLOP per epoch.
  assert.equal(flopsPerEpoch(3000, [64, 64]), 24 * 3000 * (64 + 64 * 64 + 64));
  assert.equal(Math.round(flopsPerEpoch(3000, [64, 64]) / 1e6), 304);
  // A deeper network adds a product per pair of neighbouring layers.
  assert.equal(flopsPerEpoch(10, [3, 4, 5]), 24 * 10 * (3 + 3 * 4 + 4 * 5 + 5));
});

Deno.test("cellEpochs() gives every cell of the matrix about the same work, within its bounds", () => {
  for (const n of MATRIX_POINTS) {
    for (const w of MATRIX_WIDTHS) {
      const epochs = cellEpochs(n, [w, w], { gflop: 30 });
      assert.ok(epochs >= MIN_EPOCHS && epochs <= MAX_EPOCHS, `${n} [${w}]: ${epochs}`);
      const epoch = flopsPerEpoch(n, [w, w]) / 1e9;
      // Within half an epoch of the budget; only the floor lets a cell exceed it.
      if (epochs > MIN_EPOCHS) {
        assert.ok(Math.abs(epochs * epoch - 30) <= epoch / 2, `${n} [${w}]`);
      }
    }
  }
  assert.equal(cellEpochs(10000, [256, 256], { gflop: 30, epochs: 50 }), 50);
});
