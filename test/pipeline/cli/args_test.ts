import assert from "node:assert/strict";
import { parseCommand } from "../../../pipeline/cli/args.ts";

const defaults = { jobs: 4, keep: 3 };

Deno.test("parseCommand() reads reproduce with stage ids, flags and repeated --set", () => {
  const c = parseCommand(
    ["reproduce", "train/a", "--force", "--jobs", "2", "--set", "a.b=1", "--set", "c=x"],
    defaults,
  );
  assert.deepEqual(c, {
    ok: true,
    value: {
      kind: "reproduce",
      stages: ["train/a"],
      force: true,
      jobs: 2,
      sets: ["a.b=1", "c=x"],
      json: false,
    },
  });
});

Deno.test("parseCommand() uses the machine's defaults for --jobs and gc --keep", () => {
  const r = parseCommand(["reproduce"], defaults);
  assert.ok(r.ok && r.value.kind === "reproduce" && r.value.jobs === 4);
  const g = parseCommand(["gc"], defaults);
  assert.ok(g.ok && g.value.kind === "gc" && g.value.keep === 3);
});

Deno.test("parseCommand() refuses zero, negative and non-numeric --jobs", () => {
  for (const jobs of ["0", "-1", "two", "1.5", ""]) {
    const r = parseCommand(["reproduce", "--jobs", jobs], defaults);
    assert.ok(!r.ok, jobs);
    assert.equal(r.error.reason, "usage");
  }
});

Deno.test("parseCommand() lists the valid commands for an unknown one", () => {
  const r = parseCommand(["reproduc"], defaults);
  assert.ok(!r.ok);
  assert.equal(r.error.hint, "valid commands are reproduce, status, dag, gc, accept, verify");
});

Deno.test("parseCommand() treats no arguments, help and --help as help", () => {
  for (const args of [[], ["help"], ["--help"], ["status", "--help"]]) {
    assert.deepEqual(parseCommand(args, defaults), { ok: true, value: { kind: "help" } });
  }
});
