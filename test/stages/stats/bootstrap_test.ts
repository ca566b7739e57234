import assert from "node:assert/strict";
import { createRng } from "../../../stages/data/random.ts";
import { bootstrapMeanCi, mean, quantile, std } from "../../../stages/stats/bootstrap.ts";

Deno.test("mean(), std() and quantile() agree with hand computations", () => {
  assert.equal(mean([1, 2, 3, 6]), 3);
  assert.equal(std([2, 4, 4, 4, 5, 5, 7, 9]), Math.sqrt(32 / 7));
  assert.equal(std([5]), 0);
  assert.equal(quantile([1, 2, 3, 4, 5], 0.25), 2);
  assert.equal(quantile([1, 2, 3, 4], 0.5), 2.5);
  assert.equal(quantile([1, 2, 3, 4], 1), 4);
});

/**
 * Fraction of simulated experiments whose 95 % interval covers the true mean. Each experiment
 * draws `draws` strata of `seeds` values from a known distribution (every stratum shifted by its
 * own offset, as data draws shift the metrics), so both the plain and the stratified bootstrap
 * are exercised.
 */
function coverage(
  opts: {
    seeds: number;
    draws: number;
    sample: (rng: ReturnType<typeof createRng>, draw: number) => number;
  },
  truth: number,
): number {
  const experiments = 600;
  const data = createRng(1, "coverage/data");
  let hits = 0;
  for (let e = 0; e < experiments; e++) {
    const values: number[] = [];
    const strata: number[] = [];
    for (let d = 0; d < opts.draws; d++) {
      for (let s = 0; s < opts.seeds; s++) {
        values.push(opts.sample(data, d));
        strata.push(d);
      }
    }
    const ci = bootstrapMeanCi(values, strata, {
      resamples: 1000,
      confidence: 0.95,
      rng: createRng(e, "coverage/resample"),
    });
    if (ci.low <= truth && truth <= ci.high) hits++;
  }
  return hits / experiments;
}

Deno.test("bootstrapMeanCi() covers the true mean about 95 % of the time", async (t) => {
  // The plain percentile bootstrap undercovers with few runs (about 85 % at 5 seeds × 3 draws);
  // the expansion (Hesterberg 2015) brings it back, which the first two steps pin down.
  await t.step("normal values, the design's 5 seeds × 3 draws (expanded, stratified)", () => {
    const offsets = [0, 2, -1];
    const sample = (r: ReturnType<typeof createRng>, d: number) => offsets[d]! + r.normal();
    const c = coverage({ seeds: 5, draws: 3, sample }, mean(offsets));
    assert.ok(c >= 0.93 && c <= 0.985, `coverage ${c}`);
  });
  await t.step("normal values, ten runs in one stratum (expanded)", () => {
    const c = coverage({ seeds: 10, draws: 1, sample: (r) => 3 + 2 * r.normal() }, 3);
    assert.ok(c >= 0.93 && c <= 0.985, `coverage ${c}`);
  });
  await t.step("normal values, one stratum (plain percentile bootstrap)", () => {
    const c = coverage({ seeds: 40, draws: 1, sample: (r) => 3 + 2 * r.normal() }, 3);
    assert.ok(c >= 0.91 && c <= 0.98, `coverage ${c}`);
  });
  await t.step("normal values, four strata of ten shifted by their draw (stratified)", () => {
    // The draws are fixed, as in the design: the target is the mean over these four draws.
    const offsets = [0, 1, 3, -2];
    const sample = (r: ReturnType<typeof createRng>, d: number) => offsets[d]! + r.normal();
    const c = coverage({ seeds: 10, draws: 4, sample }, mean(offsets));
    assert.ok(c >= 0.91 && c <= 0.98, `coverage ${c}`);
  });
  await t.step("skewed (exponential) values, one stratum of 60", () => {
    const c = coverage({ seeds: 60, draws: 1, sample: (r) => -Math.log(1 - r.uniform()) }, 1);
    assert.ok(c >= 0.9 && c <= 0.98, `coverage ${c}`);
  });
});

Deno.test("bootstrapMeanCi() is bit-identical for the same seed and differs for another", () => {
  const source = createRng(3, "values");
  const values = Array.from({ length: 20 }, () => source.uniform());
  const strata = values.map((_, i) => i % 2);
  const run = (seed: number) =>
    bootstrapMeanCi(values, strata, {
      resamples: 500,
      confidence: 0.95,
      rng: createRng(seed, "same"),
    });
  assert.deepEqual(run(7), run(7));
  assert.notDeepEqual(run(7), run(8));
});

Deno.test("bootstrapMeanCi() keeps the strata: strata that differ only by an offset give a tighter interval than pooling", () => {
  // Two draws, one far above the other: resampling within draws removes the between-draw spread.
  const values = [1, 1.1, 0.9, 1.05, 10, 10.1, 9.9, 10.05];
  const opts = { resamples: 2000, confidence: 0.95 };
  const stratified = bootstrapMeanCi(values, [0, 0, 0, 0, 1, 1, 1, 1], {
    ...opts,
    rng: createRng(0, "a"),
  });
  const pooled = bootstrapMeanCi(values, values.map(() => 0), { ...opts, rng: createRng(0, "a") });
  assert.ok(stratified.high - stratified.low < (pooled.high - pooled.low) / 5);
  assert.ok(stratified.low <= mean(values) && mean(values) <= stratified.high);
});

Deno.test("bootstrapMeanCi() falls back to one stratum when a stratum has a single value", () => {
  const values = [1, 2, 3];
  const ci = bootstrapMeanCi(values, [0, 1, 2], {
    resamples: 1000,
    confidence: 0.95,
    rng: createRng(0, "b"),
  });
  assert.ok(ci.high > ci.low, "one value per draw still varies when resampled together");
});
