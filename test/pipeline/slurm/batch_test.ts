import assert from "node:assert/strict";
import {
  balanceBatches,
  jobRequest,
  maxStages,
  maxWidth,
  parseBatch,
  planBatches,
  splitBatches,
  TIME_MARGIN_SECONDS,
} from "../../../pipeline/slurm/batch.ts";

const seconds = (s: number) => s;

Deno.test("parseBatch() reads stages per job or seconds of work with a unit, and refuses the rest", () => {
  assert.deepEqual(parseBatch("1"), { ok: true, value: { kind: "stages", stages: 1 } });
  assert.deepEqual(parseBatch(" 40 "), { ok: true, value: { kind: "stages", stages: 40 } });
  assert.deepEqual(parseBatch("30s"), { ok: true, value: { kind: "seconds", seconds: 30 } });
  assert.deepEqual(parseBatch("1.5m"), { ok: true, value: { kind: "seconds", seconds: 90 } });
  assert.deepEqual(parseBatch("2h"), { ok: true, value: { kind: "seconds", seconds: 7200 } });
  for (const bad of ["0", "-1", "1.5", "0s", "30x", "2 min", "", "m"]) {
    const r = parseBatch(bad);
    assert.ok(!r.ok && r.error.endsWith(`got "${bad}"`), `${bad}: ${JSON.stringify(r)}`);
  }
});

Deno.test("splitBatches() cuts full batches by count, by seconds of work or at the cap, and leaves the rest", async (t) => {
  await t.step("stages per job", () => {
    const r = splitBatches([1, 1, 1, 1, 1], seconds, { kind: "stages", stages: 2 }, Infinity);
    assert.deepEqual(r, { full: [[1, 1], [1, 1]], rest: [1] });
  });
  await t.step("seconds of work per job: a batch is full once its work reaches the target", () => {
    const r = splitBatches([10, 50, 70, 5, 5], seconds, { kind: "seconds", seconds: 60 }, Infinity);
    assert.deepEqual(r, { full: [[10, 50], [70]], rest: [5, 5] });
  });
  await t.step("at most `cap` stages whatever the policy", () => {
    const r = splitBatches([1, 1, 1], seconds, { kind: "seconds", seconds: 600 }, 2);
    assert.deepEqual(r, { full: [[1, 1]], rest: [1] });
  });
  await t.step("--batch 1 makes every stage its own batch", () => {
    const r = splitBatches([3, 4, 5], seconds, { kind: "stages", stages: 1 }, Infinity);
    assert.deepEqual(r, { full: [[3], [4], [5]], rest: [] });
  });
});

Deno.test("balanceBatches() uses as few batches as the policy allows, of about equal work", () => {
  const hundred = Array.from({ length: 180 }, () => 1);
  const split = balanceBatches(hundred, seconds, { kind: "seconds", seconds: 120 }, Infinity);
  assert.deepEqual(split.map((b) => b.length), [90, 90]);
  const byCount = balanceBatches([1, 1, 1, 1, 1], seconds, { kind: "stages", stages: 2 }, Infinity);
  assert.deepEqual(byCount.map((b) => b.length), [2, 2, 1]);
  assert.ok(byCount.every((b) => b.length <= 2));
  assert.deepEqual(balanceBatches([5], seconds, { kind: "seconds", seconds: 1 }, Infinity), [[5]]);
  const capped = balanceBatches([1, 1, 1, 1, 1], seconds, { kind: "seconds", seconds: 99 }, 2);
  assert.ok(capped.every((b) => b.length <= 2) && capped.flat().length === 5, `${capped}`);
  assert.deepEqual(balanceBatches([], seconds, { kind: "stages", stages: 3 }, Infinity), []);
});

Deno.test("jobRequest() sizes the pool to the node and asks for the CPUs, memory and time of its stages", async (t) => {
  const node = { cpus: 2, memMb: 24000 };
  await t.step("a pool as wide as the node's CPUs, never wider than the batch", () => {
    const r = jobRequest({ time: "1:00:00", mem: "2G", cpus: 1 }, 90, node);
    assert.equal(r.width, 2);
    // 45 rounds of one hour for two workers, plus the start-up margin.
    assert.deepEqual(r.resources, {
      time: `1-21:01:00`,
      mem: "4096M",
      cpus: 2,
    });
    assert.equal(jobRequest({ cpus: 1 }, 1, node).width, 1);
  });
  await t.step("one stage asks what the stage asks (plus the margin on its time)", () => {
    assert.deepEqual(jobRequest({ time: "10", mem: "2G" }, 1, node), {
      width: 1,
      resources: { time: "0:11:00", mem: "2G" },
    });
    assert.deepEqual(jobRequest({}, 1, node), { width: 1, resources: {} });
  });
  await t.step("memory and MAX_WIDTH bound the pool too", () => {
    assert.equal(maxWidth({ mem: "10G" }, { cpus: 64, memMb: 25_000 }), 2);
    assert.equal(maxWidth({}, { cpus: 128 }), 8);
    assert.equal(maxWidth({ cpus: 4 }, { cpus: 2 }), 1);
  });
  await t.step("a partition's time limit caps the stages of one batch", () => {
    const limited = { cpus: 2, maxTimeSeconds: 4 * 3600 + TIME_MARGIN_SECONDS };
    assert.equal(maxStages({ time: "1:00:00" }, limited), 8);
    assert.equal(maxStages({ time: "1:00:00" }, { cpus: 2 }), Infinity);
    assert.equal(maxStages({}, limited), Infinity);
  });
});

Deno.test("planBatches() sends full batches, holds small groups while work runs, never for long", async (t) => {
  const train = (since = 0) => ({ since, resources: { time: "10", cpus: 1 } });
  const small = (since = 0) => ({ since, resources: {} });
  const options = {
    policy: { kind: "stages", stages: 4 } as const,
    node: { cpus: 2 },
    seconds: () => 1,
    now: 1000,
    holdMs: 500,
  };
  const sizes = (r: ReturnType<typeof planBatches>) => r.plans.map((p) => p.tasks.length);
  await t.step("while jobs run: full batches go, the rest waits for company", () => {
    const r = planBatches(Array.from({ length: 6 }, () => small(900)), { ...options, busy: true });
    assert.deepEqual(sizes(r), [4]);
    assert.equal(r.held.length, 2);
  });
  await t.step("nothing running: a group with enough for a batch goes whole, balanced", () => {
    const r = planBatches(Array.from({ length: 6 }, () => small(900)), { ...options, busy: false });
    assert.deepEqual(sizes(r), [3, 3]);
    assert.deepEqual(r.held, []);
  });
  await t.step("nothing running: a small group waits while a large one is sent", () => {
    const pending = [...Array.from({ length: 5 }, () => train(900)), small(900)];
    const r = planBatches(pending, { ...options, busy: false });
    assert.deepEqual(sizes(r), [3, 2]);
    assert.ok(r.plans.every((p) => p.request.resources.time !== undefined));
    assert.equal(r.held.length, 1);
  });
  await t.step("nothing running nor sent: every stage goes", () => {
    const r = planBatches([train(900), small(900)], { ...options, busy: false });
    assert.deepEqual(sizes(r), [1, 1]);
  });
  await t.step("a stage held for holdMs goes, even while jobs run", () => {
    const r = planBatches([small(400), small(900)], { ...options, busy: true });
    assert.deepEqual(sizes(r), [2]);
  });
  await t.step("different resources never share a batch", () => {
    const r = planBatches([train(0), small(0), train(0)], { ...options, busy: false });
    assert.deepEqual(r.plans.map((p) => p.tasks.map((x) => x.resources)), [
      [train().resources, train().resources],
      [{}],
    ]);
  });
});
