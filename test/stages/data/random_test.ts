import assert from "node:assert/strict";
import { createRng, permutation } from "../../../stages/data/random.ts";

const draws = (seed: number, stream: string, n = 5) => {
  const r = createRng(seed, stream);
  return Array.from({ length: n }, () => r.uniform());
};

Deno.test("createRng() repeats its sequence for the same seed and stream", () => {
  assert.deepEqual(draws(7, "x"), draws(7, "x"));
});

Deno.test("createRng() gives unrelated sequences for other seeds or streams", () => {
  assert.notDeepEqual(draws(7, "x"), draws(8, "x"));
  assert.notDeepEqual(draws(7, "x"), draws(7, "y"));
  assert.notDeepEqual(draws(2 ** 32, ""), draws(0, ""));
});

Deno.test("createRng() uniform draws lie in [0, 1) and average one half", () => {
  const u = draws(1, "u", 20000);
  assert.ok(u.every((v) => v >= 0 && v < 1));
  const mean = u.reduce((a, b) => a + b) / u.length;
  assert.ok(Math.abs(mean - 0.5) < 0.01, `mean ${mean}`);
});

Deno.test("createRng() normal draws have mean 0 and variance 1", () => {
  const r = createRng(3, "n");
  const z = Array.from({ length: 20000 }, () => r.normal());
  const mean = z.reduce((a, b) => a + b) / z.length;
  const variance = z.reduce((a, b) => a + (b - mean) ** 2, 0) / z.length;
  assert.ok(Math.abs(mean) < 0.03, `mean ${mean}`);
  assert.ok(Math.abs(variance - 1) < 0.05, `variance ${variance}`);
});

Deno.test("permutation() returns every index once, in a seeded order", () => {
  const p = permutation(createRng(5, "p"), 50);
  assert.deepEqual(p.toSorted((a, b) => a - b), Array.from({ length: 50 }, (_, i) => i));
  assert.deepEqual(p, permutation(createRng(5, "p"), 50));
  assert.notDeepEqual(p, Array.from({ length: 50 }, (_, i) => i));
});
