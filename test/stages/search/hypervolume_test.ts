import assert from "node:assert/strict";
import fc from "fast-check";
import { createRng } from "../../../stages/data/random.ts";
import { nonDominatedRanks } from "../../../stages/search/pareto.ts";
import { hypervolume2d, paretoFront2d, type Point2 } from "../../../stages/search/hypervolume.ts";

/** The share of `samples` uniform points of [0, 1)² that some point weakly dominates. */
function monteCarloArea(points: readonly Point2[], samples: number, seed: number): number {
  const rng = createRng(seed, "hypervolume/samples");
  let hits = 0;
  for (let s = 0; s < samples; s++) {
    const [x, y] = [rng.uniform(), rng.uniform()];
    if (points.some(([a, b]) => a <= x && b <= y)) hits++;
  }
  return hits / samples;
}

Deno.test("hypervolume2d()", async (t) => {
  await t.step("hypervolume2d() of one point is its rectangle to the reference", () => {
    assert.equal(hypervolume2d([[1, 2]], [4, 4]), 6);
  });
  await t.step("hypervolume2d() of a staircase of three adds its steps", () => {
    // 3·1 + 2·1 + 1·1 below the corners (1, 3), (2, 2), (3, 1).
    assert.equal(hypervolume2d([[3, 1], [1, 3], [2, 2]], [4, 4]), 6);
  });
  await t.step("hypervolume2d() does not count dominated or repeated points", () => {
    const front: Point2[] = [[1, 3], [2, 2], [3, 1]];
    const more: Point2[] = [...front, [2, 3], [3, 3], [2, 2], [1, 3], [3, 2]];
    assert.equal(hypervolume2d(more, [4, 4]), 6);
  });
  await t.step("hypervolume2d() leaves out points not strictly better than the reference", () => {
    assert.equal(hypervolume2d([[5, 1], [1, 5], [4, 1], [1, 4], [4, 4]], [4, 4]), 0);
    assert.equal(hypervolume2d([[5, 1], [2, 2]], [4, 4]), 4);
    assert.equal(hypervolume2d([], [4, 4]), 0);
  });
  await t.step("hypervolume2d() leaves out a diverged (NaN) trial", () => {
    assert.equal(hypervolume2d([[NaN, 1], [1, NaN], [2, 2]], [4, 4]), 4);
  });
  await t.step("hypervolume2d() grows when a point improves the front and only then", () => {
    const front: Point2[] = [[1, 3], [3, 1]];
    const base = hypervolume2d(front, [4, 4]);
    assert.ok(hypervolume2d([...front, [2, 2]], [4, 4]) > base);
    assert.equal(hypervolume2d([...front, [3, 3]], [4, 4]), base);
  });
  await t.step("hypervolume2d() agrees with Monte Carlo sampling on random point sets", () => {
    const rng = createRng(5, "hypervolume/points");
    for (let set = 0; set < 10; set++) {
      const n = 1 + Math.floor(rng.uniform() * 30);
      const points = Array.from({ length: n }, (): Point2 => [rng.uniform(), rng.uniform()]);
      const exact = hypervolume2d(points, [1, 1]);
      const estimate = monteCarloArea(points, 20000, set);
      // The estimate's standard error is at most √(1/4 / 20000) ≈ 0.0035: allow 4.5 of them.
      assert.ok(Math.abs(exact - estimate) < 0.016, `set ${set}: ${exact} vs ${estimate}`);
    }
  });
});

Deno.test("paretoFront2d()", async (t) => {
  await t.step("paretoFront2d() lists the staircase's corners by the first objective", () => {
    assert.deepEqual(paretoFront2d([[3, 1], [2, 2], [3, 3], [1, 3]]), [3, 1, 0]);
  });
  await t.step("paretoFront2d() drops points tied in one objective and worse in the other", () => {
    assert.deepEqual(paretoFront2d([[1, 2], [1, 1], [2, 1], [0, 5]]), [3, 1]);
  });
  await t.step("paretoFront2d() keeps repeated non-dominated points, in index order", () => {
    assert.deepEqual(paretoFront2d([[2, 1], [1, 2], [2, 1], [2, 2]]), [1, 0, 2]);
  });
  await t.step("paretoFront2d() handles no points and puts a NaN trial behind finite ones", () => {
    assert.deepEqual(paretoFront2d([]), []);
    assert.deepEqual(paretoFront2d([[NaN, NaN], [1, 1]]), [1]);
    assert.deepEqual(paretoFront2d([[NaN, NaN]]), [0]);
  });
  await t.step("paretoFront2d() is the rank-0 front of nonDominatedRanks() (property)", () => {
    const coordinate = fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constant(NaN));
    fc.assert(
      fc.property(fc.array(fc.tuple(coordinate, coordinate), { maxLength: 40 }), (points) => {
        const ranks = nonDominatedRanks(points);
        const front = paretoFront2d(points);
        assert.deepEqual(
          front.toSorted((a, b) => a - b),
          ranks.flatMap((r, i) => r === 0 ? [i] : []),
        );
        const xs = front.map((i) => Number.isNaN(points[i]![0]) ? Infinity : points[i]![0]);
        assert.deepEqual(xs, xs.toSorted((a, b) => a - b));
      }),
    );
  });
});
