import assert from "node:assert/strict";
import { createRng } from "../../../stages/data/random.ts";
import {
  evaluateSpline,
  monotoneSpline,
  naturalSpline,
  randomSpline,
  type Spline,
} from "../../../stages/data/spline.ts";

const grid = (a: number, b: number, n: number) =>
  Array.from({ length: n }, (_, i) => a + (b - a) * i / (n - 1));

function assertThroughKnots(s: Spline): void {
  s.xs.forEach((x, i) => {
    assert.ok(Math.abs(evaluateSpline(s, x) - s.ys[i]!) < 1e-12, `knot ${i}`);
  });
}

Deno.test("naturalSpline() passes through its knots", () => {
  assertThroughKnots(naturalSpline([0, 1, 2.5, 3, 5], [1, -2, 0.5, 4, 3]));
});

Deno.test("naturalSpline() reproduces a straight line exactly", () => {
  const s = naturalSpline([0, 1, 3, 4], [1, 3, 7, 9]);
  for (const x of grid(-1, 5, 25)) assert.ok(Math.abs(evaluateSpline(s, x) - (1 + 2 * x)) < 1e-12);
});

Deno.test("naturalSpline() has zero curvature at its end knots", () => {
  const s = naturalSpline([0, 1, 2, 3], [0, 2, -1, 1]);
  const h = 1e-4;
  for (const x of [0, 3]) {
    const x0 = x === 0 ? h : x - h; // one-sided second difference inside the interval
    const d2 = (evaluateSpline(s, x0 + h) - 2 * evaluateSpline(s, x0) + evaluateSpline(s, x0 - h)) /
      (h * h);
    assert.ok(Math.abs(d2) < 1e-2, `curvature at ${x}: ${d2}`);
  }
});

Deno.test("monotoneSpline() passes through its knots and never overshoots increasing data", () => {
  const xs = [0, 1, 2, 3, 4];
  const ys = [0, 0.1, 0.2, 5, 5.1];
  const s = monotoneSpline(xs, ys);
  assertThroughKnots(s);
  const v = grid(0, 4, 400).map((x) => evaluateSpline(s, x));
  for (let i = 1; i < v.length; i++) assert.ok(v[i]! >= v[i - 1]!, `decreases at ${i}`);
});

Deno.test("randomSpline() is deterministic for a seed", () => {
  const o = { knots: 7, from: -3, to: 3, monotone: false };
  assert.deepEqual(randomSpline(createRng(9, "s"), o), randomSpline(createRng(9, "s"), o));
  assert.notDeepEqual(randomSpline(createRng(9, "s"), o), randomSpline(createRng(10, "s"), o));
});

Deno.test("randomSpline() spans the interval and passes through its knots", () => {
  for (const monotone of [true, false]) {
    const s = randomSpline(createRng(4), { knots: 6, from: -2, to: 3, monotone });
    assert.equal(s.xs[0], -2);
    assert.equal(s.xs.at(-1), 3);
    assertThroughKnots(s);
  }
});

Deno.test("randomSpline() with monotone: true is strictly increasing for many seeds", () => {
  for (let seed = 0; seed < 20; seed++) {
    const s = randomSpline(createRng(seed), { knots: 7, from: -3, to: 3, monotone: true });
    const v = grid(-3.5, 3.5, 500).map((x) => evaluateSpline(s, x));
    for (let i = 1; i < v.length; i++) assert.ok(v[i]! > v[i - 1]!, `seed ${seed} at ${i}`);
  }
});
