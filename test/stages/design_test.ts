import assert from "node:assert/strict";
import { designRows, designRuns, replicatesText, runInput } from "../../stages/design.ts";
import type { ConfigParams } from "../../stages/params_schema.ts";

const lam1: ConfigParams = {
  lambda: 1,
  mu: 1,
  activation: "relu",
  layers: [30, 30],
  group: "equal",
};
const network = { layers: [30, 30], activation: "relu" } as const;

Deno.test("designRows() expands a sweep into every λ × μ × activation cell, λ ≠ μ included", () => {
  const rows = designRows({
    configs: { lam1 },
    replicates: { seeds: 5, draws: 3 },
    sweeps: {
      grid: {
        lambda: [0.1, 10],
        mu: [0.1, 10],
        activation: ["relu", "silu"],
        replicates: { seeds: 2, draws: 1 },
      },
    },
    ...network,
  });
  assert.deepEqual(rows.map((r) => r.id), [
    "lam1",
    "grid/l0.1-m0.1-relu",
    "grid/l0.1-m0.1-silu",
    "grid/l0.1-m10-relu",
    "grid/l0.1-m10-silu",
    "grid/l10-m0.1-relu",
    "grid/l10-m0.1-silu",
    "grid/l10-m10-relu",
    "grid/l10-m10-silu",
  ]);
  assert.deepEqual([rows[0]!.seeds, rows[0]!.draws], [5, 3]);
  assert.deepEqual([rows[1]!.seeds, rows[1]!.draws], [2, 1], "the sweep's own replicates");
});

Deno.test("designRows() gives a sweep without replicates the top-level ones", () => {
  const [cell] = designRows({
    configs: {},
    replicates: { seeds: 4, draws: 2 },
    sweeps: { s: { lambda: [1e-7], mu: [0], activation: ["silu"] } },
    ...network,
  });
  assert.deepEqual(cell, {
    id: "s/l1e-7-m0-silu",
    sweep: "s",
    lambda: 1e-7,
    mu: 0,
    activation: "silu",
    layers: [30, 30],
    seeds: 4,
    draws: 2,
  });
});

Deno.test("designRuns() lists seeds within draws and points repeated runs at the first", () => {
  const runs = designRuns(designRows({
    configs: { lam1 },
    replicates: { seeds: 2, draws: 2 },
    sweeps: {
      grid: { lambda: [1], mu: [1, 3], activation: ["relu"], replicates: { seeds: 3, draws: 1 } },
    },
    ...network,
  }));
  assert.deepEqual(runs.map((r) => `${runInput(r)} → ${r.stage}`), [
    "lam1/s0-d0 → lam1/s0-d0",
    "lam1/s1-d0 → lam1/s1-d0",
    "lam1/s0-d1 → lam1/s0-d1",
    "lam1/s1-d1 → lam1/s1-d1",
    // The diagonal cell repeats lam1's runs where they exist; its third seed is its own.
    "grid/l1-m1-relu/s0-d0 → lam1/s0-d0",
    "grid/l1-m1-relu/s1-d0 → lam1/s1-d0",
    "grid/l1-m1-relu/s2-d0 → grid/l1-m1-relu/s2-d0",
    "grid/l1-m3-relu/s0-d0 → grid/l1-m3-relu/s0-d0",
    "grid/l1-m3-relu/s1-d0 → grid/l1-m3-relu/s1-d0",
    "grid/l1-m3-relu/s2-d0 → grid/l1-m3-relu/s2-d0",
  ]);
});

Deno.test("replicatesText() counts in words", () => {
  assert.equal(replicatesText({ seeds: 5, draws: 3 }), "5 seeds × 3 data draws");
  assert.equal(replicatesText({ seeds: 1, draws: 1 }), "1 seed × 1 data draw");
});

Deno.test("designRows() expands any listed run parameter, μ = λ when mu is absent, the rest from training", () => {
  const rows = designRows({
    configs: { big: { lambda: 0, mu: 0, layers: [100, 100] } },
    replicates: { seeds: 1, draws: 1 },
    sweeps: {
      capacity: { layers: [[10, 10], [17, 5, 23]], lambda: [0, 1], activation: ["relu", "tanh"] },
      plain: { lambda: [2] },
    },
    layers: [30, 30],
    activation: "silu",
  });
  assert.deepEqual(rows.map((r) => `${r.id} ${r.mu} ${r.activation} [${r.layers}]`), [
    "big 0 silu [100,100]",
    "capacity/h10x2-l0-m0-relu 0 relu [10,10]",
    "capacity/h10x2-l0-m0-tanh 0 tanh [10,10]",
    "capacity/h10x2-l1-m1-relu 1 relu [10,10]",
    "capacity/h10x2-l1-m1-tanh 1 tanh [10,10]",
    "capacity/h17_5_23-l0-m0-relu 0 relu [17,5,23]",
    "capacity/h17_5_23-l0-m0-tanh 0 tanh [17,5,23]",
    "capacity/h17_5_23-l1-m1-relu 1 relu [17,5,23]",
    "capacity/h17_5_23-l1-m1-tanh 1 tanh [17,5,23]",
    "plain/l2-m2 2 silu [30,30]",
  ]);
});

Deno.test("designRuns() reuses a run only when the network is the same too", () => {
  const runs = designRuns(designRows({
    configs: { free: { lambda: 0, mu: 0 } },
    replicates: { seeds: 1, draws: 1 },
    sweeps: { capacity: { layers: [[30, 30], [10, 10]], lambda: [0] } },
    ...network,
  }));
  assert.deepEqual(runs.map((r) => r.stage), [
    "free/s0-d0",
    "free/s0-d0",
    "capacity/h10x2-l0-m0/s0-d0",
  ]);
});
