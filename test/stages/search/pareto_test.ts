import assert from "node:assert/strict";
import fc from "fast-check";
import {
  crowdingDistances,
  dominates,
  nonDominatedRanks,
  type Objectives,
  selectBest,
} from "../../../stages/search/pareto.ts";

/** Point sets of 1–40 points with 1–3 objectives, small integers so that ties occur. */
const pointSets = fc.integer({ min: 1, max: 3 }).chain((m) =>
  fc.array(fc.array(fc.integer({ min: 0, max: 6 }), { minLength: m, maxLength: m }), {
    minLength: 1,
    maxLength: 40,
  })
);

/**
 * Point sets without ties: each objective a column of distinct values, so no two points share a
 * value in any objective.
 */
const distinctPointSets = fc.record({
  n: fc.integer({ min: 1, max: 30 }),
  m: fc.integer({ min: 2, max: 3 }),
})
  .chain(({ n, m }) =>
    fc.array(fc.uniqueArray(fc.integer({ min: 0, max: 1000 }), { minLength: n, maxLength: n }), {
      minLength: m,
      maxLength: m,
    }).map((columns) => Array.from({ length: n }, (_, i) => columns.map((c) => c[i]!)))
  );

/** `points` permuted by `order` (new position p holds old point order[p]). */
function permute(points: readonly Objectives[], order: readonly number[]): Objectives[] {
  return order.map((i) => points[i]!);
}

Deno.test("dominates()", async (t) => {
  await t.step("dominates() needs no worse in every objective and better in one", () => {
    assert.equal(dominates([1, 2], [1, 3]), true);
    assert.equal(dominates([1, 2], [2, 3]), true);
    assert.equal(dominates([1, 3], [2, 1]), false);
    assert.equal(dominates([2, 1], [1, 3]), false);
  });
  await t.step("dominates() is false both ways for equal points", () => {
    assert.equal(dominates([1, 2, 3], [1, 2, 3]), false);
  });
  await t.step("dominates() counts a NaN objective as worse than any number", () => {
    assert.equal(dominates([1e9, 1], [NaN, 1]), true);
    assert.equal(dominates([NaN, 1], [1e9, 1]), false);
    assert.equal(dominates([NaN, 1], [Infinity, 1]), false);
  });
  await t.step("dominates() refuses points of different lengths", () => {
    assert.throws(() => dominates([1], [1, 2]), RangeError);
  });
});

Deno.test("nonDominatedRanks()", async (t) => {
  await t.step("nonDominatedRanks() peels hand-made fronts in order", () => {
    const points = [[1, 4], [2, 2], [3, 3], [4, 1], [5, 5], [4, 4], [6, 6]];
    assert.deepEqual(nonDominatedRanks(points), [0, 0, 1, 0, 3, 2, 4]);
  });
  await t.step("nonDominatedRanks() gives equal points the same rank", () => {
    assert.deepEqual(nonDominatedRanks([[1, 1], [1, 1], [2, 2], [2, 2]]), [0, 0, 1, 1]);
  });
  await t.step("nonDominatedRanks() ranks a diverged (NaN) trial behind the finite ones", () => {
    assert.deepEqual(nonDominatedRanks([[NaN, NaN], [3, 1], [1, 3]]), [1, 0, 0]);
  });
  await t.step("nonDominatedRanks() handles no points and one objective", () => {
    assert.deepEqual(nonDominatedRanks([]), []);
    assert.deepEqual(nonDominatedRanks([[3], [1], [2], [1]]), [2, 0, 1, 0]);
  });
  await t.step("nonDominatedRanks() is consistent with dominance (property)", () => {
    fc.assert(fc.property(pointSets, (points) => {
      const ranks = nonDominatedRanks(points);
      points.forEach((a, i) =>
        points.forEach((b, j) => {
          if (dominates(a, b)) assert.ok(ranks[i]! < ranks[j]!);
          if (ranks[i] === ranks[j]) assert.ok(!dominates(a, b));
        })
      );
      // Every point of rank r > 0 is dominated by one of rank r − 1.
      points.forEach((b, j) => {
        if (ranks[j]! > 0) {
          assert.ok(points.some((a, i) => ranks[i] === ranks[j]! - 1 && dominates(a, b)));
        }
      });
    }));
  });
});

Deno.test("crowdingDistances()", async (t) => {
  await t.step(
    "crowdingDistances() sums the neighbours' normalised gaps, boundaries at Infinity",
    () => {
      const points = [[0, 4], [1, 2], [3, 1], [4, 0]];
      const d = crowdingDistances(points, [0, 1, 2, 3]);
      // Objective 0: range 4, gaps (3 − 0)/4 and (4 − 1)/4; objective 1: (4 − 1)/4 and (2 − 0)/4.
      assert.deepEqual([...d], [[0, Infinity], [1, 1.5], [2, 1.25], [3, Infinity]]);
    },
  );
  await t.step("crowdingDistances() reads only the members, by their indices", () => {
    const points = [[9, 9], [0, 2], [1, 1], [2, 0]];
    assert.deepEqual(
      crowdingDistances(points, [3, 2, 1]),
      new Map([[3, Infinity], [2, 2], [1, Infinity]]),
    );
  });
  await t.step(
    "crowdingDistances() adds nothing for an objective in which all members are equal",
    () => {
      const points = [[0, 5], [1, 5], [3, 5]];
      assert.deepEqual([...crowdingDistances(points, [0, 1, 2]).values()], [Infinity, 1, Infinity]);
      assert.deepEqual([...crowdingDistances([[1, 1], [1, 1]], [0, 1]).values()], [0, 0]);
      assert.deepEqual([...crowdingDistances([[1, 1]], [0]).values()], [0]);
    },
  );
  await t.step(
    "crowdingDistances() treats tied values as one: all tied at an extreme are boundaries",
    () => {
      const points = [[0, 3], [0, 3], [1, 2], [2, 1], [2, 1], [3, 0]];
      const d = crowdingDistances(points, [0, 1, 2, 3, 4, 5]);
      // Distinct values 0..3 in both objectives, range 3: the middle values have gap 2/3 twice.
      assert.deepEqual([...d.values()], [Infinity, Infinity, 4 / 3, 4 / 3, 4 / 3, Infinity]);
    },
  );
  await t.step("crowdingDistances() does not depend on the order of members (property)", () => {
    fc.assert(fc.property(
      pointSets.chain((p) => fc.tuple(fc.constant(p), fc.shuffledSubarray(p.map((_, i) => i)))),
      ([points, members]) => {
        const d = crowdingDistances(points, members);
        const sorted = crowdingDistances(points, members.toSorted((a, b) => a - b));
        for (const i of members) assert.equal(d.get(i), sorted.get(i));
      },
    ));
  });
  await t.step("crowdingDistances() handles no members", () => {
    assert.equal(crowdingDistances([[1, 2]], []).size, 0);
  });
});

Deno.test("selectBest()", async (t) => {
  await t.step("selectBest() takes whole fronts by rank, then the least crowded", () => {
    const points = [[5, 5], [1, 4], [2, 3], [3, 2], [4, 1], [6, 6]];
    assert.deepEqual(selectBest(points, 2), [1, 4]); // the front's two ends
    assert.deepEqual(selectBest(points, 4), [1, 2, 3, 4]); // the whole front
    assert.deepEqual(selectBest(points, 5), [0, 1, 2, 3, 4]); // and the next front
  });
  await t.step("selectBest() prefers the member of the last front in the emptier region", () => {
    // Front of five on x + y = 10; the middle ones at 2, 3 and 8: 8 has the widest gap.
    const points = [[0, 10], [2, 8], [3, 7], [8, 2], [10, 0]];
    assert.deepEqual(selectBest(points, 3), [0, 3, 4]);
  });
  await t.step("selectBest() breaks remaining ties by lower index", () => {
    assert.deepEqual(selectBest([[1, 1], [1, 1], [1, 1]], 2), [0, 1]);
    const corners = [[0, 3], [1, 2], [2, 1], [3, 0]];
    assert.deepEqual(selectBest(corners, 1), [0]);
  });
  await t.step("selectBest() returns all for k at or above the count, none for 0", () => {
    assert.deepEqual(selectBest([[2], [1], [3]], 3), [0, 1, 2]);
    assert.deepEqual(selectBest([[2], [1], [3]], 7), [0, 1, 2]);
    assert.deepEqual(selectBest([[2], [1], [3]], 0), []);
  });
  await t.step("selectBest() refuses a negative or fractional k", () => {
    assert.throws(() => selectBest([[1]], -1), RangeError);
    assert.throws(() => selectBest([[1]], 1.5), RangeError);
  });
  await t.step("selectBest() never leaves out a point that beats a selected one (property)", () => {
    fc.assert(fc.property(pointSets, fc.nat(45), (points, k) => {
      const chosen = selectBest(points, k);
      assert.equal(chosen.length, Math.min(k, points.length));
      assert.deepEqual(chosen, [...new Set(chosen)].sort((a, b) => a - b));
      const ranks = nonDominatedRanks(points);
      const out = points.map((_, i) => i).filter((i) => !chosen.includes(i));
      for (const i of chosen) {
        for (const j of out) {
          assert.ok(!dominates(points[j]!, points[i]!));
          assert.ok(ranks[j]! >= ranks[i]!);
        }
      }
    }));
  });
  await t.step("selectBest() of all points is all of them (property)", () => {
    fc.assert(fc.property(pointSets, (points) => {
      assert.deepEqual(selectBest(points, points.length), points.map((_, i) => i));
    }));
  });
  await t.step(
    "selectBest() picks the same points from any order when the cut is not a tie (property)",
    () => {
      fc.assert(fc.property(
        distinctPointSets.chain((p) =>
          fc.tuple(
            fc.constant(p),
            fc.integer({ min: 0, max: p.length }),
            fc.shuffledSubarray(p.map((_, i) => i), { minLength: p.length }),
          )
        ),
        ([points, k, order]) => {
          // Where the last front is cut between equal crowding distances (two boundary points at
          // Infinity, say), the index decides, and so the order: that case is left out.
          const ranks = nonDominatedRanks(points);
          const chosen = selectBest(points, k);
          const last = Math.max(-1, ...chosen.map((i) => ranks[i]!));
          const front = points.map((_, i) => i).filter((i) => ranks[i] === last);
          const d = crowdingDistances(points, front);
          const inside = front.filter((i) => chosen.includes(i)).map((i) => d.get(i)!);
          const outside = front.filter((i) => !chosen.includes(i)).map((i) => d.get(i)!);
          fc.pre(outside.length === 0 || Math.min(...inside) > Math.max(...outside));
          const permuted = selectBest(permute(points, order), k).map((p) => order[p]!);
          assert.deepEqual(permuted.sort((a, b) => a - b), chosen);
        },
      ));
    },
  );
});
