import assert from "node:assert/strict";
import type { KernelCalls } from "../../../../stages/model/kernel/calls.ts";
import { createRng } from "../../../../stages/data/random.ts";
import { BUILDS } from "./_builds.ts";

// sparse.h's products skip A's zeros; these cases pin down where a skip would change a bit and
// must not happen: a weight or a dz that is not finite (0·∞ is NaN), a −0 bias, NaN in dz.
const FORWARD = 0, BACKWARD = 1, GRAM = 2;

/** A case: n rows, k inputs, in rows of s floats; A half zeros (as ReLU leaves it). */
function operands(n: number, k: number, s: number, seed: number) {
  const rng = createRng(seed, "sparse");
  const a = new Float32Array(n * s);
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < k; i++) a[r * s + i] = rng.uniform() < 0.5 ? 0 : rng.normal();
  }
  const b = Float32Array.from({ length: Math.max(n, k) * s }, () => rng.normal());
  const bias = Float32Array.from({ length: s }, () => rng.normal());
  const aux = Float32Array.from({ length: n * s }, () => (rng.uniform() < 0.5 ? 0 : 1));
  return { a, b, bias, aux };
}

/** How many outputs of sparse.h's product `which` differ from the dense one's, on `build`. */
function differs(
  make: () => KernelCalls,
  which: number,
  n: number,
  k: number,
  s: number,
  o: ReturnType<typeof operands>,
): number {
  const kernel = make();
  const rowsOfB = which === GRAM ? n : k;
  const lengths = [n * s, rowsOfB * s, s, n * s];
  const at = kernel.scratch(lengths.reduce((x, y) => x + y, 0));
  assert.notEqual(at, 0);
  const data = kernel.f32(at, lengths.reduce((x, y) => x + y, 0));
  data.set(o.a, 0);
  data.set(o.b.subarray(0, rowsOfB * s), n * s);
  data.set(o.bias, (n + rowsOfB) * s);
  data.set(o.aux, (n + rowsOfB + 1) * s);
  return kernel.sparse_differs(which, n, k, s, at);
}

for (const [build, make] of BUILDS) {
  const s = 3 * make().lane_width(); // panels of 2 and of 1 block of columns
  const n = 37, k = s - 3; // a ragged last group of rows, and padding columns
  const each = (f: (which: number) => void) => [FORWARD, BACKWARD, GRAM].forEach(f);

  Deno.test(`${build}: sparse.h's products give the dense products' bits on finite values`, () => {
    each((which) => assert.equal(differs(make, which, n, k, s, operands(n, k, s, which)), 0));
  });

  Deno.test(`${build}: sparse.h's products add 0·∞ and 0·NaN where weights or dz are not finite`, () => {
    each((which) => {
      for (const bad of [Infinity, -Infinity, NaN]) {
        const o = operands(n, k, s, 7 + which);
        if (which === GRAM) {
          // Row 3 of D holds the value; row 3 of A is zero in every other column.
          for (let i = 0; i < k; i++) o.a[3 * s + i] = i % 2 ? 0 : 1.5;
          o.b[3 * s + 2] = bad;
        } else {
          // Row 5 of the weights holds the value; column 5 of A is zero in every row.
          for (let r = 0; r < n; r++) o.a[r * s + 5] = 0;
          o.b[5 * s + 2] = bad;
        }
        assert.equal(differs(make, which, n, k, s, o), 0, `which ${which}, ${bad}`);
      }
    });
  });

  Deno.test(`${build}: sparse.h's products give the dense products' bits across B's tiles and the weight gradient's chunks of rows`, () => {
    // Rows of 1024 floats: B (4 MiB) goes through the rows a tile at a time, several tiles.
    for (const which of [FORWARD, BACKWARD]) {
      assert.equal(differs(make, which, 13, 1024, 1024, operands(13, 1024, 1024, 5)), 0);
    }
    // 300 rows: three chunks of rows, the last ragged.
    assert.equal(differs(make, GRAM, 300, k, s, operands(300, k, s, 6)), 0);
  });

  Deno.test(`${build}: sparse.h's products keep NaN in A, and a −0 bias before ReLU`, () => {
    each((which) => {
      const o = operands(n, k, s, 11 + which);
      o.a[2 * s + 1] = NaN;
      o.bias.fill(-0);
      // Rows whose terms are all zero: the sum is the bias alone, −0 or +0.
      for (let i = 0; i < s; i++) o.a[4 * s + i] = 0;
      assert.equal(differs(make, which, n, k, s, o), 0, `which ${which}`);
    });
  });
}
