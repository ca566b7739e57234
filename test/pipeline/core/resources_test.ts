import assert from "node:assert/strict";
import {
  formatTimeLimit,
  parseMemory,
  parseResourceOverride,
  parseTimeLimit,
  resolveResources,
} from "../../../pipeline/core/resources.ts";

Deno.test("parseTimeLimit() reads every SLURM time format and refuses the rest", () => {
  const cases: [string, number | undefined][] = [
    ["30", 1800],
    ["1:30", 90],
    ["2:00:00", 7200],
    ["1-0", 86400],
    ["1-02:03", 93780],
    ["1-02:03:04", 93784],
    ["0", undefined],
    ["0:00", undefined],
    ["1:2:3:4", undefined],
    ["1h", undefined],
    ["-5", undefined],
    ["", undefined],
  ];
  for (const [text, seconds] of cases) assert.equal(parseTimeLimit(text), seconds, text);
});

Deno.test("formatTimeLimit() writes what parseTimeLimit() reads back", () => {
  for (const s of [1, 59, 61, 3600, 86399, 86400, 93784]) {
    assert.equal(parseTimeLimit(formatTimeLimit(s)), s, String(s));
  }
  assert.equal(formatTimeLimit(93784), "1-02:03:04");
});

Deno.test("parseMemory() reads megabytes with K, M, G and T units", () => {
  assert.equal(parseMemory("512"), 512);
  assert.equal(parseMemory("4G"), 4096);
  assert.equal(parseMemory("1t"), 1048576);
  assert.equal(parseMemory("2048K"), 2);
  for (const bad of ["", "4GB", "-1", "0", "1.5G"]) assert.equal(parseMemory(bad), undefined, bad);
});

Deno.test("parseResourceOverride() splits stage glob, field and value", () => {
  assert.deepEqual(parseResourceOverride("train/*:time=1:00:00"), {
    ok: true,
    value: { stage: "train/*", field: "time", value: "1:00:00" },
  });
  for (const bad of ["train/a=5", "train/a:disk=5", ":mem=1G", "train/a:time=soon"]) {
    assert.ok(!parseResourceOverride(bad).ok, bad);
  }
});

Deno.test("resolveResources() layers declaration, run-wide values and matching overrides", () => {
  const declared = { time: "10", mem: "1G", cpus: 1 };
  assert.deepEqual(resolveResources("train/a", declared, {}, []), declared);
  assert.deepEqual(resolveResources("train/a", declared, { time: "20" }, []), {
    time: "20",
    mem: "1G",
    cpus: 1,
  });
  const overrides = [
    { stage: "train/*", field: "cpus", value: "4" },
    { stage: "train/b", field: "time", value: "99" },
  ] as const;
  assert.deepEqual(resolveResources("train/a", declared, { time: "20" }, overrides), {
    time: "20",
    mem: "1G",
    cpus: 4,
  });
  assert.deepEqual(resolveResources("train/b", undefined, {}, overrides), { cpus: 4, time: "99" });
  assert.deepEqual(resolveResources("evaluate/a", undefined, {}, overrides), {});
});
