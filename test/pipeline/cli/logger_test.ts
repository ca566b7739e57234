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

Deno.test("createLogger() shows downloads, folds repeated rejections, and counts uploads", () => {
  const { log, out, err } = capture({});
  const untrusted = "it is signed by ed25519:x, which keys.json does not list";
  const events: Event[] = [
    { kind: "stage-downloaded", stage: "a", key, bytes: 2500 },
    { kind: "remote-rejected", stage: "b", key, detail: untrusted },
    { kind: "remote-rejected", stage: "c", key, detail: untrusted },
    { kind: "remote-rejected", stage: "d", key, detail: "its bundle cas/1… is missing" },
    { kind: "stage-uploaded", stage: "b", key, bytes: 10 },
    {
      kind: "run-done",
      executed: 3,
      cached: 1,
      failed: 0,
      skipped: 0,
      interrupted: 0,
      seconds: 1,
      failures: [],
      downloaded: 1,
    },
  ];
  events.forEach(log.emit);
  assert.deepEqual(out, [
    "↓ a (2.5 kB)\n",
    "3 executed, 1 cached (1 downloaded), 0 failed, 1 uploaded in 1.0 s\n",
  ]);
  assert.deepEqual(err, [
    `! The remote's result of b was not used: ${untrusted}\n`,
    "! The remote's result of d was not used: its bundle cas/1… is missing\n",
    "! …and 1 more remote result(s) not used, for a reason shown above\n",
  ]);
});

Deno.test("createLogger() says a failing remote and a refused upload apart", () => {
  const { log, err } = capture({});
  log.emit({
    kind: "remote-unavailable",
    url: "https://h/c",
    detail: "GET ac/k: HTTP 502",
    uploadsOnly: false,
  });
  log.emit({
    kind: "remote-unavailable",
    url: "https://h/c",
    detail: "PUT cas/x: HTTP 403",
    uploadsOnly: true,
  });
  assert.deepEqual(err, [
    "! The remote https://h/c failed (GET ac/k: HTTP 502); going on without it\n",
    "! Uploads to https://h/c stopped (PUT cas/x: HTTP 403); results stay local: `deno task push` sends them later\n",
  ]);
});

Deno.test("createLogger() says once why keys differ from the remote's, then counts", () => {
  const { log, err } = capture({});
  const differs: Event = {
    kind: "remote-differs",
    stage: "train/a",
    changes: [{ kind: "code", files: [] }],
    deno: { before: "2.9.5", after: "2.9.6" },
  };
  log.emit(differs);
  log.emit({ ...differs, stage: "train/b" });
  log.emit({
    kind: "pull-done",
    url: "u",
    pulled: 0,
    present: 0,
    verified: 0,
    bytes: 0,
    missing: ["train/a", "train/b"],
    rejected: [],
    seconds: 1,
  });
  assert.deepEqual(err, [
    "? The remote has train/a only under another key (remote → here: code differs; Deno 2.9.5 → 2.9.6)\n",
    "? …and 1 more stage(s) on the remote under another key, for the same reason\n",
    "Not on the remote: train/a, train/b\n",
  ]);
});

Deno.test("createLogger() shows a note once however many stages say it", () => {
  const { log, err } = capture({});
  const message = "Training on the kernel's WebAssembly build (same numbers, slower): no compiler";
  log.emit({ kind: "stage-note", stage: "train/a", message });
  log.emit({ kind: "stage-note", stage: "train/b", message });
  log.emit({ kind: "stage-note", stage: "train/b", message: "something else" });
  assert.deepEqual(err.filter((l) => l.includes("Note")), [
    `Note (train/a): ${message}\n`,
    "Note (train/b): something else\n",
  ]);
});
