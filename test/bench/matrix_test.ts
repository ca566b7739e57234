import assert from "node:assert/strict";
import {
  cellEpochs,
  flopsPerEpoch,
  MATRIX_POINTS,
  MATRIX_WIDTHS,
  MAX_EPOCHS,
  MIN_EPOCHS,
  NOISY_SPREAD,
  noisyCells,
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

Deno.test("noisyCells() names the cells where psinv's or JAX's slowest round is more than NOISY_SPREAD times the fastest", () => {
  const side = (runs: number[]) => ({ msPerEpoch: 0, gflops: 0, runs });
  const cell = (n: number, psinv: number[], jax: number[] | string) => ({
    n,
    layers: [256, 256],
    epochs: 50,
    flopsPerEpoch: 1,
    psinv: side(psinv),
    jax: typeof jax === "string" ? jax : side(jax),
    torch: side([1, 9]),
    jaxRatio: null,
    torchRatio: null,
  });
  assert.deepEqual(
    noisyCells([
      // The bench's own case: two of psinv's three rounds taken by a burst of load.
      cell(1000, [19.728, 14.687, 18.368], [14.416, 14.131, 14.349]),
      cell(3000, [37.87, 39.689, 38.052], [40.97, 55, 44.128]),
      // Exactly NOISY_SPREAD apart is not noisy; a side not measured, or measured once, is not.
      cell(10000, [100, 100 * NOISY_SPREAD], "not measured: no such peer"),
      cell(10000, [100], [1, 2]),
    ]),
    [
      "n=1000 [256, 256] psinv 14.69–19.73",
      "n=3000 [256, 256] jax 40.97–55.00",
      "n=10000 [256, 256] jax 1.00–2.00",
    ],
  );
});
