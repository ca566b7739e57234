import assert from "node:assert/strict";
import { createRng } from "../../../stages/data/random.ts";
import { clopperPearson, normalCdf, tQuantile } from "../../../stages/stats/distributions.ts";

Deno.test("tQuantile() and normalCdf() agree with published tables", () => {
  // R: qt(0.975, c(1, 14, 120)); pnorm(-1.959964)
  assert.ok(Math.abs(tQuantile(0.975, 1) - 12.7062) < 1e-4);
  assert.ok(Math.abs(tQuantile(0.975, 14) - 2.144787) < 1e-6);
  assert.ok(Math.abs(tQuantile(0.975, 120) - 1.979930) < 1e-6);
  assert.ok(Math.abs(normalCdf(-1.959964) - 0.025) < 1e-7);
});

/** The binomial probability of k in n at p, from logs (exact enough for n ≤ 200). */
function binomial(k: number, n: number, p: number): number {
  let log = k * Math.log(p) + (n - k) * Math.log1p(-p);
  for (let i = 0; i < k; i++) log += Math.log(n - i) - Math.log(i + 1);
  return Math.exp(log);
}

Deno.test("clopperPearson() matches R's binom.test and covers at least its level", async (t) => {
  await t.step("binom.test(4, 10)$conf.int is [0.1215523, 0.7376219]", () => {
    const ci = clopperPearson(4, 10, 0.95);
    assert.ok(Math.abs(ci.low - 0.1215523) < 1e-6 && Math.abs(ci.high - 0.7376219) < 1e-6);
  });
  await t.step("the ends: none or all of the runs", () => {
    assert.deepEqual(clopperPearson(0, 15, 0.95).low, 0);
    assert.deepEqual(clopperPearson(15, 15, 0.95).high, 1);
  });
  await t.step("exact coverage ≥ 95 % at every true rate of a grid, n = 10, 15, 40", () => {
    for (const n of [10, 15, 40]) {
      const cis = Array.from({ length: n + 1 }, (_, k) => clopperPearson(k, n, 0.95));
      for (let p = 0.01; p < 1; p += 0.01) {
        let covered = 0;
        cis.forEach((ci, k) => {
          if (ci.low <= p && p <= ci.high) covered += binomial(k, n, p);
        });
        assert.ok(covered >= 0.95 - 1e-9, `n = ${n}, p = ${p.toFixed(2)}: coverage ${covered}`);
      }
    }
  });
  await t.step("simulated: 2000 seeded experiments of 15 runs flipping with rate 0.4", () => {
    const rng = createRng(11, "flip-coverage");
    let hits = 0;
    for (let e = 0; e < 2000; e++) {
      let k = 0;
      for (let i = 0; i < 15; i++) if (rng.uniform() < 0.4) k++;
      const ci = clopperPearson(k, 15, 0.95);
      if (ci.low <= 0.4 && 0.4 <= ci.high) hits++;
    }
    assert.ok(hits / 2000 >= 0.95, `coverage ${hits / 2000}`);
  });
});
