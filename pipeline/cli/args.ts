/**
 * The command line, parsed into one typed command (with `node:util` `parseArgs`, strict: an
 * unknown flag or a bad value is a `usage` failure, never a guess).
 *
 * @module
 */
import { parseArgs } from "node:util";
import {
  parseAudit,
  parseGcRemote,
  parseRemoteCommand,
  REMOTE_FLAGS,
  remoteOf,
} from "./remote_args.ts";
import { type Command, type CommandName, COMMANDS, type Execution, EXECUTORS } from "./command.ts";
import {
  checkResource,
  err,
  ok,
  parseResourceOverride,
  type ResourceOverride,
  type Result,
  type Usage,
} from "../core/mod.ts";
import { parseBatch } from "../slurm/mod.ts";

/** Defaults that depend on the machine, passed in so parsing stays pure. */
export interface ArgDefaults {
  /** `--jobs` when not given (the number of cores). */
  readonly jobs: number;
  /** `gc --keep` when not given. */
  readonly keep: number;
  /** `--jobs` when not given and stages go to a cluster (jobs in flight). */
  readonly clusterJobs?: number;
  /** Reads the `PSINV_*` environment variables that stand in for absent flags. */
  readonly env?: (name: string) => string | undefined;
}

export { USAGE } from "./usage.ts";

const valid = COMMANDS.join(", ");

/**
 * Parses `args` (without the program name) into a {@linkcode Command}.
 *
 * @example
 * ```ts
 * import { parseCommand } from "./args.ts";
 * const c = parseCommand(["reproduce", "--jobs", "2"], { jobs: 4, keep: 3 });
 * c.ok && c.value.kind === "reproduce" && c.value.jobs; // 2
 * ```
 */
export function parseCommand(
  args: readonly string[],
  defaults: ArgDefaults,
): Result<Command, Usage> {
  const [name, ...rest] = args;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    return ok({ kind: "help" });
  }
  if (!(COMMANDS as readonly string[]).includes(name)) {
    return err({
      reason: "usage",
      detail: `Unknown command "${name}"`,
      hint: `valid commands are ${valid}`,
    });
  }
  const command = name as CommandName;
  let parsed;
  try {
    parsed = parseArgs({
      args: [...rest],
      allowPositionals: true,
      strict: true,
      options: {
        json: { type: "boolean", default: false },
        set: { type: "string", multiple: true, default: [] },
        force: { type: "boolean", default: false },
        decide: { type: "boolean", default: false },
        jobs: { type: "string" },
        "keep-going": { type: "boolean", default: true },
        keep: { type: "string" },
        executor: { type: "string" },
        time: { type: "string" },
        mem: { type: "string" },
        cpus: { type: "string" },
        resource: { type: "string", multiple: true, default: [] },
        partition: { type: "string" },
        account: { type: "string" },
        deno: { type: "string" },
        remote: { type: "string" },
        verify: { type: "boolean", default: false },
        name: { type: "string" },
        all: { type: "boolean", default: false },
        params: { type: "string" },
        batch: { type: "string" },
        "dry-run": { type: "boolean", default: false },
        grace: { type: "string" },
        sample: { type: "string" },
        seed: { type: "string" },
        revoke: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (e) {
    return usage(`${(e as Error).message.split("\n")[0]}`, command);
  }
  const { values, positionals } = parsed;
  if (values.help) return ok({ kind: "help" });
  const common = { json: values.json, sets: values.set };
  const only = (allowed: readonly string[]): Usage | undefined => {
    for (const flag of [...FLAGS, ...EXECUTION_FLAGS] as const) {
      if (
        values[flag] !== undefined && !allowed.includes(flag) && !isDefault(flag, values[flag])
      ) {
        return {
          reason: "usage",
          detail: `Option "--${flag}" does not apply to "${command}"`,
          hint: `run "help" to see each command's options`,
        };
      }
    }
    return undefined;
  };
  const noStages = (): Usage | undefined =>
    positionals.length > 0
      ? {
        reason: "usage",
        detail: `Command "${command}" takes no stage ids, got "${positionals[0]}"`,
        hint: `run "help" to see each command's arguments`,
      }
      : undefined;

  switch (command) {
    case "reproduce": {
      const bad = only(["force", "decide", "jobs", "keep-going", "remote", ...EXECUTION_FLAGS]);
      if (bad) return err(bad);
      if (values.decide && values.force) {
        return usage(
          '"--decide" and "--force" do not go together: run them one after the other',
          command,
        );
      }
      const execution = parseExecution(values, defaults.env ?? (() => undefined));
      const remote = remoteOf(values.remote, defaults.env);
      if (!execution.ok) return usage(execution.error, command);
      const jobs = values.jobs === undefined
        ? (execution.value.executor === "local"
          ? defaults.jobs
          : defaults.clusterJobs ?? defaults.jobs)
        : wholeAtLeast1(values.jobs);
      if (jobs === undefined) {
        return usage(
          `--jobs must be a whole number of at least 1, got "${values.jobs}"`,
          command,
        );
      }
      return ok({
        kind: "reproduce",
        ...common,
        // With --decide the positionals name what to decide, not stages.
        stages: values.decide ? [] : positionals,
        ...(values.decide ? { decide: positionals } : {}),
        force: values.force,
        jobs,
        execution: execution.value,
        ...(remote !== undefined ? { remote } : {}),
      });
    }
    case "status": {
      const bad = only(["remote"]);
      if (bad) return err(bad);
      const remote = remoteOf(values.remote, defaults.env);
      return ok({
        kind: "status",
        ...common,
        stages: positionals,
        ...(remote !== undefined ? { remote } : {}),
      });
    }
    case "compare": {
      const bad = only(["jobs", "params"]) ?? noStages();
      if (bad) return err(bad);
      if (values.params === undefined && values.set.length === 0) {
        return usage(`"compare" needs a variant: --set path=value or --params <file>`, command);
      }
      const jobs = values.jobs === undefined ? defaults.jobs : wholeAtLeast1(values.jobs);
      if (jobs === undefined) {
        return usage(`--jobs must be a whole number of at least 1, got "${values.jobs}"`, command);
      }
      return ok({
        kind: "compare",
        ...common,
        jobs,
        ...(values.params === undefined ? {} : { params: values.params }),
      });
    }
    case "dag": {
      const bad = only(["all"]) ?? noStages();
      return bad ? err(bad) : ok({ kind: "dag", ...common, all: values.all });
    }
    case "why": {
      const bad = only(["all"]);
      if (bad) return err(bad);
      if (positionals.length !== 1) {
        return usage(
          `"why" needs exactly one path of artifacts/ (e.g. figures/lam1/fit.svg), got ${positionals.length}`,
          command,
        );
      }
      return ok({ kind: "why", ...common, path: positionals[0]!, all: values.all });
    }
    case "gc": {
      const bad = only(["keep", "remote", "dry-run", "grace"]) ?? noStages();
      if (bad) return err(bad);
      const keep = values.keep === undefined ? defaults.keep : wholeAtLeast0(values.keep);
      if (keep === undefined) {
        return usage(`--keep must be a whole number of at least 0, got "${values.keep}"`, command);
      }
      const remote = parseGcRemote(values);
      return remote.ok
        ? ok({ kind: "gc", ...common, keep, ...remote.value })
        : usage(remote.error, command);
    }
    case "accept": {
      const bad = only([]);
      if (bad) return err(bad);
      if (positionals.length === 0) {
        return usage(
          `"accept" needs the ids (or patterns, e.g. 'evaluate/*') of the stages to accept`,
          command,
        );
      }
      return ok({ kind: "accept", ...common, stages: positionals });
    }
    case "verify": {
      const bad = only(["remote", "sample", "seed"]);
      if (bad) return err(bad);
      const audit = parseAudit(values, defaults.env);
      if (!audit.ok) return usage(audit.error, command);
      // Stage ids narrow an audit; the local check covers the whole store.
      const stages = audit.value.audit ? undefined : noStages();
      if (stages) return err(stages);
      return ok({ kind: "verify", ...common, ...audit.value, stages: positionals });
    }
    case "push":
    case "pull":
    case "trust": {
      const bad = only(REMOTE_FLAGS[command]);
      if (bad) return err(bad);
      const parsed = parseRemoteCommand(command, values, positionals, defaults.env);
      return parsed.ok ? ok({ ...common, ...parsed.value }) : usage(parsed.error, command);
    }
  }
}

const FLAGS = [
  "dry-run",
  "grace",
  "sample",
  "seed",
  "revoke",
  "force",
  "decide",
  "jobs",
  "keep",
  "keep-going",
  "remote",
  "verify",
  "name",
  "all",
  "params",
] as const;
const EXECUTION_FLAGS = [
  "executor",
  "time",
  "mem",
  "cpus",
  "resource",
  "partition",
  "account",
  "deno",
  "batch",
] as const;

function isDefault(
  flag: (typeof FLAGS)[number] | (typeof EXECUTION_FLAGS)[number],
  value: unknown,
): boolean {
  if (flag === "resource") return Array.isArray(value) && value.length === 0;
  return value ===
    (flag === "force" || flag === "decide" || flag === "verify" || flag === "all" ||
        flag === "dry-run"
      ? false
      : flag === "keep-going"
      ? true
      : undefined);
}

type ExecutionValues = {
  [F in (typeof EXECUTION_FLAGS)[number]]?: F extends "resource" ? string[] : string;
};

/** Reads the execution flags, each falling back to its `PSINV_*` environment variable. */
function parseExecution(
  values: ExecutionValues,
  env: (name: string) => string | undefined,
): Result<Execution, string> {
  const pick = (flag: Exclude<(typeof EXECUTION_FLAGS)[number], "resource">) => {
    const name = `PSINV_${flag.toUpperCase()}`;
    const given = values[flag];
    if (given !== undefined) return { value: given, from: `--${flag}` };
    const fromEnv = env(name);
    return fromEnv === undefined || fromEnv === "" ? undefined : { value: fromEnv, from: name };
  };
  const executor = pick("executor");
  if (executor && !(EXECUTORS as readonly string[]).includes(executor.value)) {
    return err(
      `Unknown executor "${executor.value}" (${executor.from}): valid executors are ${
        EXECUTORS.join(", ")
      }`,
    );
  }
  const resources: { time?: string; mem?: string; cpus?: number } = {};
  for (const field of ["time", "mem", "cpus"] as const) {
    const v = pick(field);
    if (v === undefined) continue;
    const bad = checkResource(field, v.value);
    if (bad !== undefined) return err(`${v.from}: ${bad}`);
    if (field === "cpus") resources.cpus = Number(v.value);
    else resources[field] = v.value.trim();
  }
  const overrides: ResourceOverride[] = [];
  for (const arg of values.resource ?? []) {
    const o = parseResourceOverride(arg);
    if (!o.ok) return err(`Invalid --resource "${arg}": ${o.error}`);
    overrides.push(o.value);
  }
  const names: { partition?: string; account?: string } = {};
  for (const field of ["partition", "account"] as const) {
    const v = pick(field);
    if (v === undefined) continue;
    if (!/^[A-Za-z0-9_.-]+(,[A-Za-z0-9_.-]+)*$/.test(v.value)) {
      return err(
        `${v.from} must be a SLURM ${field} name (letters, digits, _ . -, comma-separated), got "${v.value}"`,
      );
    }
    names[field] = v.value;
  }
  const deno = pick("deno");
  const batchText = pick("batch");
  const batch = batchText === undefined ? undefined : parseBatch(batchText.value);
  if (batch !== undefined && !batch.ok) return err(`${batchText!.from} ${batch.error}`);
  return ok({
    executor: (executor?.value ?? "local") as Execution["executor"],
    ...names,
    ...(deno ? { deno: deno.value } : {}),
    ...(batch?.ok ? { batch: batch.value } : {}),
    resources,
    overrides,
  });
}

function wholeAtLeast1(text: string): number | undefined {
  const n = wholeAtLeast0(text);
  return n === undefined || n < 1 ? undefined : n;
}

function wholeAtLeast0(text: string): number | undefined {
  if (!/^\d{1,6}$/.test(text.trim())) return undefined;
  return Number(text.trim());
}

function usage(detail: string, command: CommandName): Result<never, Usage> {
  return err({ reason: "usage", detail, hint: `run "${command} --help" for its options` });
}
