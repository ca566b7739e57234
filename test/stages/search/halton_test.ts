import assert from "node:assert/strict";
import { createRng } from "../../../stages/data/random.ts";
import {
  HALTON_BASES,
  haltonPoint,
  haltonShift,
  logScale,
  pick,
  radicalInverse,
} from "../../../stages/search/halton.ts";

/** The largest gap between the share of `points` in a box [0, a) × [0, b) and its area. */
function boxDiscrepancy(points: readonly (readonly number[])[]): number {
  let worst = 0;
  for (let i = 1; i <= 20; i++) {
    for (let j = 1; j <= 20; j++) {
      const [a, b] = [i / 20, j / 20];
      const inside = points.filter(([x, y]) => x! < a && y! < b).length;
      worst = Math.max(worst, Math.abs(inside / points.length - a * b));
    }
  }
  return worst;
}

Deno.test("radicalInverse()", async (t) => {
  await t.step("radicalInverse() mirrors the digits about the point", () => {
    assert.equal(radicalInverse(0, 2), 0);
    assert.equal(radicalInverse(1, 2), 0.5);
    assert.equal(radicalInverse(6, 2), 0.375); // 110₂ → 0.011₂
    assert.equal(radicalInverse(5, 3), 7 / 9); // 12₃ → 0.21₃
    assert.equal(radicalInverse(11, 5), 7 / 25); // 21₅ → 0.12₅
  });
  await t.step("radicalInverse() refuses a negative or fractional index", () => {
    assert.throws(() => radicalInverse(-1, 2), RangeError);
    assert.throws(() => radicalInverse(1.5, 2), RangeError);
  });
});

Deno.test("haltonShift()", async (t) => {
  await t.step("haltonShift() draws one shift in [0, 1) a coordinate, the same for a seed", () => {
    const u = haltonShift(8, 3);
    assert.equal(u.length, 8);
    assert.ok(u.every((x) => 0 <= x && x < 1));
    assert.deepEqual(haltonShift(8, 3), u);
    assert.notDeepEqual(haltonShift(8, 4), u);
  });
  await t.step("haltonShift() keeps the first coordinates' shifts when dims grows", () => {
    assert.deepEqual(haltonShift(5, 7).slice(0, 2), haltonShift(2, 7));
  });
});

Deno.test("haltonPoint()", async (t) => {
  await t.step("haltonPoint() is the radical inverse of index + 1, rotated by the shift", () => {
    for (const seed of [0, 1, 99]) {
      const u = haltonShift(HALTON_BASES.length, seed);
      for (let i = 0; i < 50; i++) {
        const p = haltonPoint(i, HALTON_BASES.length, seed);
        p.forEach((x, j) => {
          const y = radicalInverse(i + 1, HALTON_BASES[j]!) + u[j]!;
          assert.equal(x, y >= 1 ? y - 1 : y);
        });
      }
    }
  });
  await t.step(
    "haltonPoint() starts past the corner: the unshifted point 0 is not all zeros",
    () => {
      const u = haltonShift(3, 5);
      const p = haltonPoint(0, 3, 5);
      assert.ok(p.some((x, j) => x !== u[j]));
      assert.deepEqual([1, 2, 3].map((n) => radicalInverse(n, 2)), [0.5, 0.25, 0.75]);
    },
  );
  await t.step(
    "haltonPoint() before the shift puts the first 2^k·3^j points one per cell of a 2^k × 3^j grid",
    () => {
      for (const [k, j] of [[1, 1], [2, 1], [3, 2], [4, 3], [5, 2]] as const) {
        const [cols, rows] = [2 ** k, 3 ** j];
        const seen = new Set<number>();
        for (let i = 0; i < cols * rows; i++) {
          const x = radicalInverse(i + 1, 2);
          // A base-3 value is exact to about 1e-16 and at least 3^-(digits) from a cell's upper
          // edge unless it lies on it, so a small tolerance finds the cell despite rounding.
          const y = radicalInverse(i + 1, 3);
          seen.add(Math.floor(x * cols) * rows + Math.floor(y * rows + 1e-9));
        }
        assert.equal(seen.size, cols * rows, `${cols} × ${rows}`);
      }
    },
  );
  await t.step(
    "haltonPoint() after the shift still fills the square more evenly than random points",
    () => {
      const n = 1024;
      const halton = Array.from({ length: n }, (_, i) => haltonPoint(i, 2, 11));
      const rng = createRng(11, "random points");
      const random = Array.from({ length: n }, () => [rng.uniform(), rng.uniform()]);
      const [h, r] = [boxDiscrepancy(halton), boxDiscrepancy(random)];
      assert.ok(h < 0.01, `halton discrepancy ${h}`);
      assert.ok(h < r / 2, `halton ${h}, random ${r}`);
    },
  );
  await t.step("haltonPoint() lies in [0, 1)^dims and is the same for the same seed", () => {
    for (let i = 0; i < 200; i++) {
      const p = haltonPoint(i, 8, 1);
      assert.ok(p.every((x) => 0 <= x && x < 1));
      assert.deepEqual(haltonPoint(i, 8, 1), p);
    }
  });
  await t.step("haltonPoint() shifts every coordinate differently for another seed", () => {
    const [a, b] = [haltonPoint(3, 4, 0), haltonPoint(3, 4, 1)];
    a.forEach((x, j) => assert.notEqual(x, b[j]));
  });
  await t.step("haltonPoint() is prefix-extensible: drawing more points keeps the first", () => {
    const draw = (count: number) => Array.from({ length: count }, (_, i) => haltonPoint(i, 3, 8));
    assert.deepEqual(draw(64).slice(0, 16), draw(16));
  });
  await t.step("haltonPoint() keeps the first coordinates when dims grows", () => {
    assert.deepEqual(haltonPoint(9, 6, 2).slice(0, 3), haltonPoint(9, 3, 2));
  });
  await t.step("haltonPoint() refuses a bad index or dimension", () => {
    assert.throws(() => haltonPoint(-1, 2, 0), RangeError);
    assert.throws(() => haltonPoint(0.5, 2, 0), RangeError);
    assert.throws(() => haltonPoint(0, 0, 0), RangeError);
    assert.throws(() => haltonPoint(0, 9, 0), RangeError);
  });
});

Deno.test("logScale()", async (t) => {
  await t.step("logScale() maps the ends and the middle on a log scale", () => {
    assert.equal(logScale(0, 1e-4, 1e-2), 1e-4);
    assert.equal(logScale(0.5, 1, 100), 10);
    assert.ok(Math.abs(logScale(0.25, 1e-4, 1) - 1e-3) < 1e-15);
    assert.ok(logScale(0.999999, 1, 100) < 100);
  });
  await t.step("logScale() refuses u outside [0, 1) and bounds that are not positive", () => {
    assert.throws(() => logScale(1, 1, 10), RangeError);
    assert.throws(() => logScale(-0.1, 1, 10), RangeError);
    assert.throws(() => logScale(0.5, 0, 10), RangeError);
    assert.throws(() => logScale(0.5, 1, -10), RangeError);
  });
});

Deno.test("pick()", async (t) => {
  await t.step("pick() cuts [0, 1) into equal parts, one an item", () => {
    const items = ["relu", "silu", "tanh"] as const;
    assert.equal(pick(0, items), "relu");
    assert.equal(pick(0.33, items), "relu");
    assert.equal(pick(1 / 3, items), "silu");
    assert.equal(pick(0.999999, items), "tanh");
  });
  await t.step("pick() refuses u outside [0, 1) and no items", () => {
    assert.throws(() => pick(1, [1, 2]), RangeError);
    assert.throws(() => pick(0.5, []), RangeError);
  });
});
