import assert from "node:assert/strict";
import { createKernelTrainer } from "../../../stages/model/kernel/trainer.ts";
import { parameterCount } from "../../../stages/model/architecture.ts";
import {
  kernelBytes,
  MAX_NATIVE_LANE_WIDTH,
  memoryIssues,
  tfjsBytes,
  WASM_LANE_WIDTH,
} from "../../../stages/model/footprint.ts";
import { BUILDS } from "./kernel/_builds.ts";
import type { Activation } from "../../../stages/params_schema.ts";

const params = JSON.parse(
  await Deno.readTextFile(new URL("../../../params.json", import.meta.url)),
);
const GiB = 2 ** 30;

// A fresh instance per training: a wasm instance's memory only grows.
const builds = BUILDS.map(([, make]) => make);

Deno.test("kernelBytes() is what each kernel build allocates, at the lane width it reports", () => {
  const shapes: [number[], Activation, number][] = [
    [[30, 30], "relu", 1000],
    [[30, 30], "silu", 1000],
    [[17, 5, 23], "tanh", 333],
    [[100, 100], "silu", 2000],
    [[128, 256], "relu", 300],
    [[1], "relu", 1],
  ];
  for (
    const [[layers, activation, n], calls] of shapes.flatMap((s) =>
      builds.map((b) => [s, b()] as const)
    )
  ) {
    const k = createKernelTrainer({
      layers,
      activation,
      x: new Array(n).fill(0),
      y: new Array(n).fill(0),
      lambda: 1,
      mu: 1,
      learningRate: 1e-3,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-8,
      initial: new Float32Array(2 * parameterCount(layers)),
    }, calls);
    const lanes = calls.lane_width();
    assert.ok(lanes <= MAX_NATIVE_LANE_WIDTH);
    if (calls.build === "wasm") assert.equal(lanes, WASM_LANE_WIDTH);
    const estimate = kernelBytes({ layers, activation, n, rows: n }, lanes);
    const extra = k.memoryBytes - estimate;
    assert.ok(
      extra >= 0 && extra < 256 * 1024,
      `${calls.build} [${layers}] ${activation}: ${extra} bytes off`,
    );
  }
});

Deno.test("tfjsBytes() grows with rows and widths, and with SiLU's extra tensors", () => {
  const base = { layers: [30, 30], activation: "relu" as const, n: 1000, rows: 1000 };
  assert.ok(tfjsBytes({ ...base, rows: 100 }) < tfjsBytes(base));
  assert.ok(tfjsBytes(base) < tfjsBytes({ ...base, layers: [100, 100] }));
  assert.ok(tfjsBytes(base) < tfjsBytes({ ...base, activation: "silu" }));
});

Deno.test("memoryIssues() accepts params.json and names where a network too large is set", async (t) => {
  const resolved = (edit: (p: typeof params) => void = () => {}) => {
    const p = structuredClone(params);
    edit(p);
    for (const c of Object.values(p.configs) as Record<string, unknown>[]) {
      c.layers ??= p.training.layers;
      c.activation ??= p.training.activation;
    }
    return p;
  };
  await t.step("params.json fits", () => {
    assert.deepEqual(memoryIssues(resolved(), 16 * GiB), []);
  });
  await t.step("a billion points: data.n, with the size and the limit", () => {
    const issues = memoryIssues(resolved((p) => (p.data.n = 1e9)), 16 * GiB);
    assert.equal(issues.length, 1);
    assert.equal(issues[0]!.path, "data.n");
    assert.match(
      issues[0]!.message,
      /needs 1\d{3} GiB in the kernel, more than WebAssembly's 4 GiB/,
    );
  });
  await t.step("a configuration's own network", () => {
    const issues = memoryIssues(
      resolved((p) => {
        p.data.n = 100_000;
        p.configs.lam1.layers = [1024, 1024, 1024, 1024];
      }),
      16 * GiB,
    );
    assert.deepEqual(issues.map((i) => i.path), ["configs.lam1.layers"]);
  });
  await t.step("a sweep's network", () => {
    const issues = memoryIssues(
      resolved((p) => {
        p.data.n = 100_000;
        p.sweeps = { wide: { lambda: [1], layers: [[10], [1024, 1024, 1024, 1024]] } };
      }),
      16 * GiB,
    );
    assert.deepEqual(issues.map((i) => i.path), ["sweeps.wide.layers.1"]);
  });
  await t.step("tfjs-cpu is held to the machine's memory", () => {
    const p = resolved((p) => (p.training.backend = "tfjs-cpu"));
    assert.deepEqual(memoryIssues(p, 16 * GiB), []);
    const issues = memoryIssues(p, 1e6);
    assert.match(issues[0]!.message, /in tfjs-cpu, more than this machine's memory/);
  });
});
