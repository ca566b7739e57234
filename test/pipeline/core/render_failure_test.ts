import assert from "node:assert/strict";
import type { Failure } from "../../../pipeline/core/failure.ts";
import { renderFailure } from "../../../pipeline/core/render_failure.ts";

const input: Failure[] = [
  { reason: "params-unreadable", file: "params.json", detail: "No such file" },
  { reason: "params-syntax", file: "params.json", line: 3, column: 7, detail: "unexpected }" },
  { reason: "param-invalid", issues: [{ path: "training.epochs", message: "expected > 0" }] },
  { reason: "override-invalid", arg: "a.b", detail: "expected path=value" },
  { reason: "usage", detail: 'Unknown command "x"', hint: "valid commands are a, b" },
  { reason: "unknown-stage", id: "x", known: ["a", "b"] },
  { reason: "graph-invalid", detail: "stages form a cycle: a → b → a", trail: ["a", "b", "a"] },
  { reason: "executor-invalid", executor: "slurm", detail: "no sbatch", hint: "use a login node" },
  {
    reason: "remote-invalid",
    url: "ftp://h/c",
    detail: 'unknown scheme "ftp:"',
    hint: "use https",
  },
  { reason: "key-file-invalid", file: "keys.json", detail: "not JSON", hint: "fix it" },
];
const working: Failure[] = [
  {
    reason: "stage-failed",
    stage: "train/a",
    code: "stage-diverged",
    detail: "NaN",
    hint: "lower lr",
  },
  { reason: "output-missing", stage: "train/a", file: "weights.json" },
  { reason: "dependency-failed", stage: "eval/a", dependency: "train/a" },
  { reason: "io-failed", path: "artifacts/x.svg", detail: "No space left", hint: "free disk" },
  { reason: "lock-timeout", holder: "process 12" },
  { reason: "stage-timeout", stage: "train/a", limit: "0:00:02" },
  { reason: "stage-cancelled", stage: "train/a", signal: "SIGINT" },
  {
    reason: "cluster-job-failed",
    stage: "train/a",
    job: "7_1",
    state: "OUT_OF_MEMORY",
    detail: "x",
    hint: "raise --mem",
  },
  { reason: "cluster-job-lost", stage: "train/a", job: "7_1", detail: "no exit status" },
  { reason: "remote-failed", url: "http://h/c", detail: "HTTP 500", hint: "rerun push" },
];

Deno.test("renderFailure() gives bad input exit 2 and failures while working exit 1, on one line", () => {
  for (const f of input) {
    const r = renderFailure(f);
    assert.equal(r.exitCode, 2, f.reason);
    assert.ok(!r.message.includes("\n"), f.reason);
  }
  for (const f of working) {
    const r = renderFailure(f);
    assert.equal(r.exitCode, 1, f.reason);
    assert.ok(!r.message.includes("\n"), f.reason);
  }
});

Deno.test("renderFailure() names the subject and the value", () => {
  assert.equal(
    renderFailure(input[1]!).message,
    'Cannot parse parameters file "params.json" at line 3, column 7: unexpected }',
  );
  assert.equal(
    renderFailure(working[0]!).message,
    'Stage "train/a" failed (stage-diverged): NaN (lower lr)',
  );
  assert.equal(
    renderFailure(input[2]!).message,
    'Invalid parameters: "training.epochs": expected > 0',
  );
});

Deno.test("renderFailure() suggests the nearest stage id for a typo", () => {
  const known = ["generate", "train/lam1", "train/lam10", "summarise"];
  assert.equal(
    renderFailure({ reason: "unknown-stage", id: "trian/lam1", known }).message,
    'Unknown stage "trian/lam1": did you mean "train/lam1"? valid stages are ' + known.join(", "),
  );
  assert.ok(
    !renderFailure({ reason: "unknown-stage", id: "plot", known }).message.includes("did you mean"),
  );
});

Deno.test("renderFailure() names the limit and how to raise it for a timeout, locally and on SLURM", () => {
  assert.equal(
    renderFailure({ reason: "stage-timeout", stage: "train/a", limit: "0:00:02" }).message,
    'Stage "train/a" timed out at its limit of 0:00:02: raise it with --time or --resource train/a:time=…',
  );
  assert.match(
    renderFailure({ reason: "stage-timeout", stage: "t", limit: "1:00:00", job: "7_1" }).message,
    /\(SLURM job 7_1, TIMEOUT\)/,
  );
});
