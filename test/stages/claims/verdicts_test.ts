import assert from "node:assert/strict";
import { type ClaimSubject, decideClaims, verdictOf } from "../../../stages/claims/verdicts.ts";
import type { ReplicateRow } from "../../../stages/stats/replicates_format.ts";
import { flippedText } from "../../../stages/claims/claims_markdown.ts";

const statistics = {
  resamples: 1000,
  confidence: 0.95,
  seed: 0,
  nearlyLinearR2: 0.99,
  minRuns: 15,
  decide: { maxSeeds: 40 },
};

/** The configurations, each on 5 seeds × 3 draws (so every claim plans four looks, 5 → 40). */
const SUBJECTS: ClaimSubject[] = [
  { id: "lam0p01", lambda: 0.01, mu: 0.01, activation: "relu" },
  { id: "lam0p1", lambda: 0.1, mu: 0.1, activation: "relu" },
  { id: "lam1", lambda: 1, mu: 1, activation: "relu" },
  { id: "lam10", lambda: 10, mu: 10, activation: "relu" },
  { id: "lam100", lambda: 100, mu: 100, activation: "relu" },
  { id: "free-relu", lambda: 0, mu: 0, activation: "relu" },
  { id: "free-silu", lambda: 0, mu: 0, activation: "silu" },
].map((s) => ({ ...s, seeds: 5, draws: 3 }));

/** Every row: the configurations, and a sweep's larger network. */
const ROWS: ClaimSubject[] = [
  ...SUBJECTS,
  { id: "capacity/h100x2-l0-m0-relu", lambda: 0, mu: 0, activation: "relu", layers: [100, 100] },
];

const big = (s: ClaimSubject): boolean => s.layers !== undefined;

/** A deterministic wobble in [-1, 1] per (seed, draw, salt). */
const wobble = (seed: number, draw: number, salt: number): number =>
  Math.sin(12.9898 * (seed + 1) + 78.233 * (draw + 1) + 37.719 * salt);

/** Metrics of a subject per replicate, from functions of (λ, activation, seed, draw). */
interface World {
  fit(s: ClaimSubject, seed: number, draw: number): number;
  inv(s: ClaimSubject, seed: number, draw: number): number;
  r2(s: ClaimSubject, seed: number, draw: number): number;
  /** f's slope through the data points (the data's is 0.9); 0.9 when absent. */
  slope?(s: ClaimSubject, seed: number, draw: number): number;
}

function runs(world: World, seeds = 5, draws = 3): ReplicateRow[] {
  return ROWS.flatMap((s) =>
    Array.from(
      { length: draws },
      (_, draw) =>
        Array.from({ length: seeds }, (_, seed): ReplicateRow => {
          const fit = world.fit(s, seed, draw), inv = world.inv(s, seed, draw);
          const r2 = world.r2(s, seed, draw);
          return {
            id: s.id,
            lambda: s.lambda,
            mu: s.mu,
            activation: s.activation,
            seed,
            draw,
            metrics: {
              fit_mse_f: fit / 2,
              fit_mse_g: fit / 2,
              inv_mse_x: inv / 2,
              inv_mse_y: inv / 2,
              inv_mse_x_margin: inv,
              inv_mse_y_margin: inv,
              lin_r2_f: r2,
              lin_r2_g: r2 + 0.001,
              lin_slope_f: 1,
              lin_slope_g: 1,
              flipped: 0,
              trend_slope_f: world.slope?.(s, seed, draw) ?? 0.9,
              trend_slope_data: 0.9,
            },
          };
        }),
    ).flat()
  );
}

const verdicts = (w: World) =>
  Object.fromEntries(
    decideClaims(runs(w), { statistics, subjects: SUBJECTS, rows: ROWS }).map((
      c,
    ) => [c.id, c.verdict]),
  );

Deno.test("verdictOf() reads the interval against the claimed sign", () => {
  assert.equal(verdictOf({ low: 0.1, high: 0.5 }, "positive"), "supported");
  assert.equal(verdictOf({ low: -0.5, high: -0.1 }, "positive"), "contradicted");
  assert.equal(verdictOf({ low: -0.5, high: -0.1 }, "negative"), "supported");
  assert.equal(verdictOf({ low: -0.1, high: 0.5 }, "negative"), "inconclusive");
  assert.equal(verdictOf({ low: 0, high: 0.5 }, "positive"), "inconclusive", "zero is spanned");
});

Deno.test("decideClaims() supports every claim in a world where the post is right", () => {
  const world: World = {
    // Fit error grows with λ, a clear margin per level; SiLU, λ = 0 and the larger network fit
    // best; at λ = 100 f is flatter than the data.
    fit: (s, seed, draw) =>
      0.1 + 0.02 * Math.log10(1 + 100 * s.lambda) - (s.activation === "silu" ? 0.02 : 0) -
      (big(s) ? 0.03 : 0) + 0.002 * wobble(seed, draw, 1),
    inv: (s, seed, draw) => 0.01 / (1 + 10 * s.lambda) * (1 + 0.05 * wobble(seed, draw, 2)),
    r2: (s, seed, draw) => (s.lambda >= 100 ? 0.998 : 0.9) + 0.0005 * wobble(seed, draw, 3),
    slope: (s, seed, draw) => (s.lambda >= 100 ? 0.5 : 0.9) + 0.01 * wobble(seed, draw, 4),
  };
  assert.deepEqual(verdicts(world), {
    "fit-rises": "supported",
    "inversion-falls": "supported",
    "nearly-linear": "supported",
    "unconstrained-fits-best": "supported",
    "silu-fits-better": "supported",
    "too-simple": "supported",
    "misses-trend": "supported",
  });
});

Deno.test("decideClaims() contradicts every claim in a world where the post is wrong", () => {
  const world: World = {
    fit: (s, seed, draw) =>
      0.2 - 0.02 * Math.log10(1 + 100 * s.lambda) + (s.activation === "silu" ? 0.02 : 0) +
      (s.lambda === 0 ? 0.05 : 0) + (big(s) ? 0.03 : 0) + 0.002 * wobble(seed, draw, 1),
    inv: (s, seed, draw) => 0.01 * (1 + s.lambda) * (1 + 0.05 * wobble(seed, draw, 2)),
    r2: (_s, seed, draw) => 0.9 + 0.01 * wobble(seed, draw, 3),
    slope: (s, seed, draw) => (s.lambda >= 100 ? 1.2 : 0.9) + 0.01 * wobble(seed, draw, 4),
  };
  assert.deepEqual(verdicts(world), {
    "fit-rises": "contradicted",
    "inversion-falls": "contradicted",
    "nearly-linear": "contradicted",
    "unconstrained-fits-best": "contradicted",
    "silu-fits-better": "contradicted",
    "too-simple": "contradicted",
    "misses-trend": "contradicted",
  });
});

Deno.test("decideClaims() is inconclusive where the differences are noise", () => {
  // Every metric is pure noise around the same value: the intervals straddle zero.
  const world: World = {
    fit: (s, seed, draw) =>
      0.1 + 0.01 * wobble(seed, draw, s.lambda + (s.activation === "silu" ? 7 : 0)),
    inv: (s, seed, draw) => 0.01 + 0.001 * wobble(seed, draw, 11 + s.lambda),
    r2: (_s, seed, draw) => 0.99 + 0.005 * wobble(seed, draw, 5),
    slope: (s, seed, draw) => 0.9 + 0.05 * wobble(seed, draw, 13 + s.lambda),
  };
  assert.deepEqual(verdicts(world), {
    "fit-rises": "inconclusive",
    "inversion-falls": "inconclusive",
    "nearly-linear": "inconclusive",
    "unconstrained-fits-best": "inconclusive",
    "silu-fits-better": "inconclusive",
    "too-simple": "inconclusive",
    "misses-trend": "inconclusive",
  });
});

Deno.test("decideClaims() names the missing configuration instead of deciding", () => {
  const subjects = SUBJECTS.filter((s) => s.activation !== "silu");
  const claims = decideClaims([], { statistics, subjects });
  const silu = claims.find((c) => c.id === "silu-fits-better")!;
  assert.equal(silu.verdict, "undecided");
  assert.equal(silu.estimate, null);
  assert.match(silu.summary, /no configuration with λ = μ = 0, SiLU/);
});

Deno.test("decideClaims() states each claim with its numbers, pairing runs by seed and draw", () => {
  const world: World = {
    fit: (s, seed, draw) => 0.1 + 0.01 * s.lambda + 0.001 * seed + 0.01 * draw,
    inv: (s) => 0.01 / (1 + s.lambda),
    r2: () => 0.995,
  };
  const claims = decideClaims(runs(world), { statistics, subjects: SUBJECTS });
  const best = claims.find((c) => c.id === "unconstrained-fits-best")!;
  // Paired: seed and draw effects cancel, so every difference is exactly 0 − 0.01 × 0.01.
  assert.ok(Math.abs(best.estimate! + 1e-4) < 1e-15);
  assert.ok(Math.abs(best.ci![0] + 1e-4) < 1e-15 && Math.abs(best.ci![1] + 1e-4) < 1e-15);
  assert.equal(best.n, 15);
  // One of four planned looks: 1 − 0.05/4.
  assert.match(best.summary, /over 15 runs: -1e-4 \(98.75 % CI -1e-4 to -1e-4\)/);
  assert.equal(best.level, 0.9875);
  assert.equal(best.looks, 4);
  const rises = claims.find((c) => c.id === "fit-rises")!;
  assert.equal(rises.estimate, 1);
  assert.deepEqual(rises.evidence.map((e) => e.label), [
    "λ = μ = 0.01",
    "λ = μ = 0.1",
    "λ = μ = 1",
    "λ = μ = 10",
    "λ = μ = 100",
  ]);
});

Deno.test("flippedText() names each flipped run by configuration, seed and draws", () => {
  const text = flippedText([
    { id: "lam10", seed: 3, draw: 0 },
    { id: "lam10", seed: 3, draw: 2 },
    { id: "grid/l100-m1-relu", seed: 3, draw: 0 },
  ], 195);
  assert.match(text, /^In 3 of 195 runs f and g came out as mutual inverses/);
  assert.match(
    text,
    /Flipped: lam10 \(seed 3, draws 0, 2\); grid\/l100-m1-relu \(seed 3, draw 0\)\.$/,
  );
  assert.equal(
    flippedText([], 195),
    "None: in all 195 runs f slopes the same way as the data.",
  );
});

Deno.test("decideClaims() gives no verdict below 10 runs, and says when the cap is reached", () => {
  const world: World = {
    fit: (s, seed, draw) => 0.1 + 0.01 * s.lambda + 0.001 * wobble(seed, draw, 1),
    inv: (s) => 0.01 / (1 + s.lambda),
    r2: () => 0.995,
  };
  const few = decideClaims(runs(world, 3, 3), { statistics, subjects: SUBJECTS });
  const best = few.find((c) => c.id === "unconstrained-fits-best")!;
  assert.equal(best.verdict, "undecided");
  assert.equal(best.ci, null);
  assert.equal(best.n, 9);
  assert.match(best.summary, /too few runs for an interval: 9 of the 10 needed/);
  assert.equal(best.cap, false, "40 seeds per draw may still decide it");
  const capped = decideClaims(runs(world, 3, 3), {
    statistics: { ...statistics, decide: { maxSeeds: 5 } },
    subjects: SUBJECTS,
  });
  assert.equal(capped.find((c) => c.id === "unconstrained-fits-best")!.cap, true);
});

Deno.test("decideClaims() at λ = μ = 100 states the flip rate and decides the typical run", () => {
  const world: World = {
    fit: () => 0.1,
    inv: () => 0.01,
    r2: (s, seed) => (s.lambda === 100 && seed < 2 ? 0.5 : 0.995),
    // Runs with seed 0 or 1 of λ = μ = 100 slope against the data (flipped).
    slope: (s, seed, draw) =>
      s.lambda === 100 && seed < 2 ? -0.9 : 0.9 * (1.1 + 0.01 * wobble(seed, draw, 2)),
  };
  const all = runs(world, 8, 3).map((r) =>
    r.id === "lam100" && r.seed < 2 ? { ...r, metrics: { ...r.metrics, flipped: 1 } } : r
  );
  const claims = decideClaims(all, { statistics, subjects: SUBJECTS, rows: ROWS });
  const trend = claims.find((c) => c.id === "misses-trend")!;
  assert.deepEqual(
    { flipped: trend.flips?.flipped, runs: trend.flips?.runs },
    { flipped: 6, runs: 24 },
  );
  assert.ok(trend.flips!.low > 0 && trend.flips!.high < 0.5);
  // The 18 typical runs slope 10 % steeper than the data: the typical f is not flatter.
  assert.equal(trend.n, 18);
  assert.equal(trend.verdict, "contradicted");
  assert.match(trend.summary, /holds as a rate: in 6 of 24 runs/);
  const linear = claims.find((c) => c.id === "nearly-linear")!;
  assert.equal(linear.verdict, "supported", "the flipped runs' low R² does not count");
});
