import assert from "node:assert/strict";
import type { Event } from "../../../pipeline/core/event.ts";
import { createLogger } from "../../../pipeline/cli/logger.ts";
import type { Hash } from "../../../pipeline/core/hash.ts";

const key = "0".repeat(64) as Hash;

function capture(opts: { json?: boolean; progress?: boolean }) {
  const out: string[] = [], err: string[] = [];
  let t = 0;
  const log = createLogger({
    json: opts.json ?? false,
    progress: opts.progress ?? false,
    out: (s) => out.push(s),
    err: (s) => err.push(s),
    now: () => (t += 1000),
  });
  return { log, out, err };
}

const run: Event[] = [
  { kind: "run-start", command: "reproduce", stages: ["a", "b"], jobs: 2 },
  { kind: "stage-cached", stage: "a", key },
  { kind: "stage-start", stage: "b", key, why: "missing" },
  { kind: "stage-progress", stage: "b", done: 10, total: 500 },
  { kind: "stage-executed", stage: "b", key, seconds: 12.34 },
  {
    kind: "run-done",
    executed: 1,
    cached: 1,
    failed: 0,
    skipped: 0,
    interrupted: 0,
    seconds: 12.5,
    failures: [],
  },
];

Deno.test("createLogger() prints one line per executed stage and a summary, no progress off a terminal", () => {
  const { log, out, err } = capture({});
  run.forEach(log.emit);
  assert.deepEqual(out, ["✓ b (12 s)\n", "1 executed, 1 cached, 0 failed in 13 s\n"]);
  assert.deepEqual(err, []);
});

Deno.test("createLogger() draws and clears a progress line on a terminal", () => {
  const { log, out, err } = capture({ progress: true });
  run.forEach(log.emit);
  log.close();
  assert.ok(err.some((s) => s.includes("running: b 10/500")), err.join("|"));
  assert.equal(err.at(-1), "\r\x1b[2K");
  assert.equal(out.length, 2);
});

Deno.test("createLogger() with json prints each event as one JSON line", () => {
  const { log, out } = capture({ json: true });
  run.forEach(log.emit);
  assert.deepEqual(out.map((l) => JSON.parse(l)), run);
});

Deno.test("createLogger() counts interrupted stages in the summary without listing them as failed", () => {
  const { log, out, err } = capture({});
  log.emit({ kind: "run-interrupted", signal: "SIGINT", again: false });
  for (const stage of ["train/a", "train/b", "train/c"]) {
    log.emit({ kind: "stage-interrupted", stage, signal: "SIGINT" });
  }
  log.emit({
    kind: "stage-failed",
    stage: "flaky",
    failure: { reason: "stage-failed", stage: "flaky", code: "stage-threw", detail: "x", hint: "" },
    message: 'Stage "flaky" failed (stage-threw): x',
  });
  log.emit({
    kind: "run-done",
    executed: 2,
    cached: 0,
    failed: 1,
    skipped: 0,
    interrupted: 3,
    seconds: 3,
    failures: ["flaky"],
  });
  assert.deepEqual(out, ["2 executed, 0 cached, 1 failed, 3 interrupted in 3.0 s\n"]);
  assert.match(
    err[0]!,
    /^Interrupted \(SIGINT\): stopping running stages \(and any cluster jobs\)/,
  );
  assert.deepEqual(err.slice(1), ['✗ Stage "flaky" failed (stage-threw): x\n', "Failed: flaky\n"]);
  assert.ok(!err.join("").includes("train/"), err.join(""));
});

Deno.test("createLogger() renders status reasons: parameter change, waiting input, code-only", () => {
  const { log, out } = capture({});
  log.emit({
    kind: "status",
    stages: [
      {
        id: "train/a",
        state: "stale",
        changes: [{ kind: "param", path: "configs.a.lambda", before: 1, after: 10 }],
        waiting: {},
        codeOnly: false,
      },
      { id: "eval/a", state: "stale", changes: [], waiting: { model: "train/a" }, codeOnly: false },
      {
        id: "plot",
        state: "stale",
        changes: [{ kind: "code", files: ["stages/plot.ts"] }],
        waiting: {},
        codeOnly: true,
      },
      { id: "data", state: "fresh", changes: [], waiting: {}, codeOnly: false },
    ],
    store: { entries: 3, bytes: 2_500_000 },
  });
  const text = out.join("");
  assert.match(text, /stale +train\/a +configs\.a\.lambda 1 → 10/);
  assert.match(text, /stale +eval\/a +waits on train\/a \(input "model"\)/);
  assert.match(text, /only its code changed \(stages\/plot\.ts\): run `deno task accept plot`/);
  assert.match(text, /1 fresh, 3 stale, 0 missing; store: 3 results, 2\.5 MB/);
});
