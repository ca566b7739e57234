import assert from "node:assert/strict";
import { ranks, spearman } from "../../../stages/stats/rank_correlation.ts";

Deno.test("ranks() gives tied values the mean of their ranks", () => {
  assert.deepEqual(ranks([3, 1, 2]), [3, 1, 2]);
  assert.deepEqual(ranks([5, 5, 1, 5]), [3, 3, 1, 3]);
});

Deno.test("spearman() is ±1 for monotone relations, 0 with a constant side", () => {
  assert.equal(spearman([0.01, 0.1, 1, 10, 100], [1, 2, 3, 40, 500]), 1);
  assert.equal(spearman([0.01, 0.1, 1, 10, 100], [5, 4, 3, 2, 1]), -1);
  assert.equal(spearman([1, 2, 3], [7, 7, 7]), 0);
  // One swap among five: 1 − 6·Σd²/(n(n² − 1)) = 1 − 6·2/120.
  assert.ok(Math.abs(spearman([1, 2, 3, 4, 5], [1, 3, 2, 4, 5]) - 0.9) < 1e-12);
});
