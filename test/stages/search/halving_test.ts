import assert from "node:assert/strict";
import { rungSizes, searchEpochs } from "../../../stages/search/halving.ts";

Deno.test("rungSizes()", async (t) => {
  await t.step("rungSizes() keeps 1/eta of the trials at each rung", () => {
    assert.deepEqual(rungSizes(27, 3, 3), [27, 9, 3]);
    assert.deepEqual(rungSizes(81, 5, 3), [81, 27, 9, 3, 1]);
    assert.deepEqual(rungSizes(16, 4, 2), [16, 8, 4, 2]);
  });
  await t.step("rungSizes() rounds down and keeps at least one trial", () => {
    assert.deepEqual(rungSizes(10, 4, 3), [10, 3, 1, 1]);
    assert.deepEqual(rungSizes(2, 3, 4), [2, 1, 1]);
    assert.deepEqual(rungSizes(10, 3, 2.5), [10, 4, 1]);
  });
  await t.step("rungSizes() of one rung is all the trials", () => {
    assert.deepEqual(rungSizes(7, 1, 3), [7]);
  });
  await t.step("rungSizes() refuses no trials, no rungs and eta ≤ 1", () => {
    assert.throws(() => rungSizes(0, 3, 3), RangeError);
    assert.throws(() => rungSizes(2.5, 3, 3), RangeError);
    assert.throws(() => rungSizes(9, 0, 3), RangeError);
    assert.throws(() => rungSizes(9, 3, 1), RangeError);
    assert.throws(() => rungSizes(9, 3, NaN), RangeError);
  });
});

Deno.test("searchEpochs()", async (t) => {
  await t.step("searchEpochs() counts resumed and from-scratch epochs by hand", () => {
    // Resumed: (27·50 + 9·100 + 3·350)·3 = 9900; from scratch: (27·50 + 9·150 + 3·500)·3 = 12600.
    assert.deepEqual(searchEpochs(27, [50, 150, 500], 3, 3), { spent: 9900, fromScratch: 12600 });
    assert.deepEqual(searchEpochs(8, [10, 20], 2, 1), { spent: 120, fromScratch: 160 });
  });
  await t.step("searchEpochs() of one rung costs the same either way", () => {
    assert.deepEqual(searchEpochs(5, [500], 3, 2), { spent: 5000, fromScratch: 5000 });
  });
  await t.step("searchEpochs() costs no more than training every trial to the last rung", () => {
    const { spent } = searchEpochs(27, [50, 150, 500], 3, 1);
    assert.ok(spent < 27 * 500);
  });
  await t.step("searchEpochs() refuses rungs that do not increase and bad replicates", () => {
    assert.throws(() => searchEpochs(9, [50, 50], 3, 1), RangeError);
    assert.throws(() => searchEpochs(9, [0, 50], 3, 1), RangeError);
    assert.throws(() => searchEpochs(9, [50, 40.5], 3, 1), RangeError);
    assert.throws(() => searchEpochs(9, [], 3, 1), RangeError);
    assert.throws(() => searchEpochs(9, [50], 3, 0), RangeError);
  });
});
