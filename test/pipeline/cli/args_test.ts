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
      execution: { executor: "local", resources: {}, overrides: [] },
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
  assert.equal(
    r.error.hint,
    "valid commands are reproduce, status, compare, dag, why, gc, accept, verify, push, pull, trust",
  );
});

Deno.test("parseCommand() takes the remote from --remote, else PSINV_REMOTE; empty unsets it", async (t) => {
  const env = (name: string) => (name === "PSINV_REMOTE" ? "file:///mnt/c" : undefined);
  await t.step("reproduce uses a remote only when one is named", () => {
    const none = parseCommand(["reproduce"], defaults);
    assert.ok(none.ok && none.value.kind === "reproduce" && none.value.remote === undefined);
    const fromEnv = parseCommand(["reproduce"], { ...defaults, env });
    assert.ok(fromEnv.ok && fromEnv.value.kind === "reproduce");
    assert.equal(fromEnv.value.remote, "file:///mnt/c");
    const flag = parseCommand(["reproduce", "--remote", "https://h/c"], { ...defaults, env });
    assert.ok(flag.ok && flag.value.kind === "reproduce" && flag.value.remote === "https://h/c");
    const off = parseCommand(["reproduce", "--remote", ""], { ...defaults, env });
    assert.ok(off.ok && off.value.kind === "reproduce" && off.value.remote === undefined);
  });
  await t.step("push and pull need a remote, and take stage patterns", () => {
    const missing = parseCommand(["push"], defaults);
    assert.ok(!missing.ok);
    assert.equal(missing.error.detail, '"push" needs a remote: --remote <url> or PSINV_REMOTE');
    assert.deepEqual(parseCommand(["pull", "train/*", "--verify"], { ...defaults, env }), {
      ok: true,
      value: {
        kind: "pull",
        json: false,
        sets: [],
        stages: ["train/*"],
        remote: "file:///mnt/c",
        verify: true,
      },
    });
  });
  await t.step("flags of one remote command are refused by the others", () => {
    const r = parseCommand(["push", "--verify", "--remote", "file:///c"], defaults);
    assert.ok(!r.ok);
    assert.equal(r.error.detail, 'Option "--verify" does not apply to "push"');
    assert.equal(parseCommand(["dag", "--remote", "file:///c"], defaults).ok, false);
    assert.equal(parseCommand(["push", "--dry-run", "--remote", "file:///c"], defaults).ok, false);
  });
  await t.step("status asks the remote from --remote or PSINV_REMOTE", () => {
    const s = parseCommand(["status"], { ...defaults, env });
    assert.ok(s.ok && s.value.kind === "status" && s.value.remote === "file:///mnt/c");
    const off = parseCommand(["status", "--remote", ""], { ...defaults, env });
    assert.ok(off.ok && off.value.kind === "status" && off.value.remote === undefined);
  });
  await t.step(
    "gc collects a remote only when --remote names it, with --grace and --dry-run",
    () => {
      const local = parseCommand(["gc"], { ...defaults, env });
      assert.ok(local.ok && local.value.kind === "gc" && local.value.remote === undefined);
      const g = parseCommand(
        ["gc", "--remote", "file:///c", "--grace", "10m", "--dry-run"],
        defaults,
      );
      assert.ok(g.ok && g.value.kind === "gc");
      assert.deepEqual([g.value.remote, g.value.graceSeconds, g.value.dryRun], [
        "file:///c",
        600,
        true,
      ]);
      const bad = parseCommand(["gc", "--remote", "file:///c", "--grace", "soon"], defaults);
      assert.ok(!bad.ok);
      assert.equal(
        bad.error.detail,
        '--grace must be a duration such as 0, 90, 30s, 10m, 1h or 2d, got "soon"',
      );
      const alone = parseCommand(["gc", "--dry-run"], defaults);
      assert.ok(!alone.ok && alone.error.detail.includes('apply to "gc --remote <url>"'));
    },
  );
  await t.step("verify --sample audits the remote, with a seed", () => {
    const v = parseCommand(["verify", "--sample", "5", "--seed", "42"], { ...defaults, env });
    assert.ok(v.ok && v.value.kind === "verify");
    assert.deepEqual(v.value.audit, { remote: "file:///mnt/c", sample: 5, seed: 42 });
    const plain = parseCommand(["verify"], { ...defaults, env });
    assert.ok(plain.ok && plain.value.kind === "verify" && plain.value.audit === undefined);
    const none = parseCommand(["verify", "--sample", "5"], defaults);
    assert.ok(!none.ok && none.error.detail.includes("needs a remote"));
    const zero = parseCommand(["verify", "--remote", "file:///c", "--sample", "0"], defaults);
    assert.ok(!zero.ok && zero.error.detail.startsWith("--sample must be a whole number"));
  });
  await t.step("trust --revoke takes the key, and --remote only with it", () => {
    const r = parseCommand(["trust", "--revoke", "ed25519:x", "--remote", "file:///c"], defaults);
    assert.ok(r.ok && r.value.kind === "trust");
    assert.deepEqual([r.value.revoke, r.value.remote], ["ed25519:x", "file:///c"]);
    assert.equal(parseCommand(["trust", "--remote", "file:///c"], defaults).ok, false);
    assert.equal(parseCommand(["trust", "k", "--revoke", "ed25519:x"], defaults).ok, false);
  });
  await t.step("trust takes at most one key and a name", () => {
    assert.deepEqual(parseCommand(["trust"], defaults), {
      ok: true,
      value: { kind: "trust", json: false, sets: [] },
    });
    const k = parseCommand(["trust", "ed25519:x", "--name", "ci"], defaults);
    assert.ok(k.ok && k.value.kind === "trust" && k.value.key === "ed25519:x");
    assert.equal(parseCommand(["trust", "a", "b"], defaults).ok, false);
  });
});

Deno.test("parseCommand() treats no arguments, help and --help as help, of one command after it", () => {
  for (const args of [[], ["help"], ["--help"], ["-h"]]) {
    assert.deepEqual(parseCommand(args, defaults), { ok: true, value: { kind: "help" } });
  }
  for (const args of [["status", "--help"], ["gc", "-h", "--dry-run"], ["dag", "--force", "-h"]]) {
    assert.deepEqual(parseCommand(args, defaults), {
      ok: true,
      value: { kind: "help", command: args[0] },
    });
  }
});

Deno.test("parseCommand() points every usage failure of a command at that command's --help", () => {
  const cases = [
    ["dag", "--force"],
    ["dag", "train/a"],
    ["reproduce", "--jobs", "0"],
    ["reproduce", "--bogus"],
    ["gc", "--dry-run"],
    ["push"],
  ];
  for (const args of cases) {
    const r = parseCommand(args, defaults);
    assert.ok(!r.ok, args.join(" "));
    assert.equal(r.error.hint, `run "${args[0]} --help" for its arguments and options`);
  }
});

Deno.test("parseCommand() refuses --keep-going: independent stages always finish", () => {
  const r = parseCommand(["reproduce", "--keep-going"], defaults);
  assert.ok(!r.ok);
  assert.equal(r.error.detail, "Unknown option '--keep-going'");
});

Deno.test("parseCommand() reads the executor and resources from flags, then PSINV_* variables", async (t) => {
  const env = (vars: Record<string, string>) => (name: string) => vars[name];
  await t.step("flags win over the environment", () => {
    const r = parseCommand(
      ["reproduce", "--executor", "slurm", "--time", "2:00:00", "--resource", "train/*:mem=4G"],
      { ...defaults, env: env({ PSINV_TIME: "5", PSINV_PARTITION: "gpu", PSINV_CPUS: "2" }) },
    );
    assert.ok(r.ok && r.value.kind === "reproduce");
    assert.deepEqual(r.value.execution, {
      executor: "slurm",
      partition: "gpu",
      resources: { time: "2:00:00", cpus: 2 },
      overrides: [{ stage: "train/*", field: "mem", value: "4G" }],
    });
  });
  await t.step("--batch takes stages per job or seconds of work per job", () => {
    const batchOf = (args: string[], vars: Record<string, string> = {}) => {
      const r = parseCommand(["reproduce", "--executor", "slurm", ...args], {
        ...defaults,
        env: env(vars),
      });
      return r.ok && r.value.kind === "reproduce" ? r.value.execution.batch : "refused";
    };
    assert.deepEqual(batchOf(["--batch", "1"]), { kind: "stages", stages: 1 });
    assert.deepEqual(batchOf(["--batch", "30s"]), { kind: "seconds", seconds: 30 });
    assert.deepEqual(batchOf([], { PSINV_BATCH: "2m" }), { kind: "seconds", seconds: 120 });
    assert.equal(batchOf([]), undefined);
  });
  await t.step("a cluster run defaults --jobs to the jobs in flight", () => {
    const r = parseCommand(["reproduce"], {
      ...defaults,
      clusterJobs: 100,
      env: env({ PSINV_EXECUTOR: "slurm" }),
    });
    assert.ok(r.ok && r.value.kind === "reproduce" && r.value.jobs === 100);
  });
  await t.step("bad values name the flag or variable and the fix", () => {
    const cases: [string[], Record<string, string>, string][] = [
      [
        ["--executor", "pbs"],
        {},
        'Unknown executor "pbs" (--executor): valid executors are local, slurm',
      ],
      [[], { PSINV_EXECUTOR: "k8s" }, 'Unknown executor "k8s" (PSINV_EXECUTOR)'],
      [["--time", "1:2:3:4"], {}, "--time: time must be SLURM's format"],
      [[], { PSINV_MEM: "lots" }, "PSINV_MEM: mem must be a whole number"],
      [["--partition", "a b"], {}, "--partition must be a SLURM partition name"],
      [["--resource", "train/a=5"], {}, 'Invalid --resource "train/a=5"'],
      [["--cpus", "0"], {}, "--cpus: cpus must be a whole number of at least 1"],
      [["--batch", "0"], {}, "--batch must be a number of stages per job"],
      [["--batch", "1.5"], {}, "--batch must be a number of stages per job"],
      [["--batch", "30x"], {}, "--batch must be a number of stages per job"],
      [[], { PSINV_BATCH: "-2m" }, "PSINV_BATCH must be a number of stages per job"],
    ];
    for (const [args, vars, message] of cases) {
      const r = parseCommand(["reproduce", ...args], { ...defaults, env: env(vars) });
      assert.ok(!r.ok && r.error.detail.startsWith(message), `${args}: ${JSON.stringify(r)}`);
    }
  });
  await t.step("execution flags do not apply to other commands", () => {
    const r = parseCommand(["status", "--executor", "slurm"], defaults);
    assert.ok(!r.ok && r.error.detail.includes('"--executor" does not apply to "status"'));
  });
});
