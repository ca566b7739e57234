/**
 * The command line, parsed into one typed command (with `node:util` `parseArgs`, strict: an
 * unknown flag or a bad value is a `usage` failure, never a guess).
 *
 * @module
 */
import { parseArgs } from "node:util";
import {
  checkResource,
  err,
  ok,
  parseResourceOverride,
  type ResourceOverride,
  type Result,
  type StageResources,
  type Usage,
} from "../core/mod.ts";
import { type BatchPolicy, parseBatch } from "../slurm/mod.ts";

/** The commands, in the order `help` lists them. */
export const COMMANDS = ["reproduce", "status", "dag", "gc", "accept", "verify"] as const;

/** A command's name. */
export type CommandName = (typeof COMMANDS)[number];

/** Options every command takes. */
interface Common {
  /** Print events as JSON lines instead of text. */
  readonly json: boolean;
  /** `--set path=value` overrides of the parameters file, in order. */
  readonly sets: readonly string[];
}

/** Where stages execute. */
export const EXECUTORS = ["local", "slurm"] as const;

/** How `reproduce` executes its stages (flags first, then `PSINV_*` environment variables). */
export interface Execution {
  readonly executor: (typeof EXECUTORS)[number];
  /** SLURM partition(s) (`--partition`, `PSINV_PARTITION`). */
  readonly partition?: string;
  /** SLURM account (`--account`, `PSINV_ACCOUNT`). */
  readonly account?: string;
  /** Command that starts Deno on the compute nodes (`--deno`, `PSINV_DENO`). */
  readonly deno?: string;
  /** Stages per SLURM job, or seconds of work per job (`--batch`, `PSINV_BATCH`). */
  readonly batch?: BatchPolicy;
  /** Run-wide time, memory, CPUs, over each stage's declared resources. */
  readonly resources: StageResources;
  /** `--resource <stage-glob>:<field>=<value>`, in order, over everything else. */
  readonly overrides: readonly ResourceOverride[];
}

/** A parsed command line. */
export type Command =
  | Common & {
    readonly kind: "reproduce";
    /** Stage ids named (their upstream stages run too); empty for all. */
    readonly stages: readonly string[];
    /** Execute the named stages (all when none are named) even when their result is cached. */
    readonly force: boolean;
    /** At most this many stages at once (SLURM: jobs in flight). */
    readonly jobs: number;
    readonly execution: Execution;
  }
  | Common & { readonly kind: "status"; readonly stages: readonly string[] }
  | Common & { readonly kind: "dag" }
  | Common & {
    readonly kind: "gc";
    /** Keep this many newest results of each stage besides the current ones. */
    readonly keep: number;
  }
  | Common & { readonly kind: "accept"; readonly stages: readonly string[] }
  | Common & { readonly kind: "verify" }
  | { readonly kind: "help" };

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

/** The one-paragraph help text. */
export const USAGE = `Usage: <task> <command> [options]

Commands:
  reproduce [stage-ids…]  run the named stages (and what they need), or all; reuse cached results
      --force             execute the named stages (all when none named) even if cached
      --jobs N            run at most N stages at once (default: number of cores; SLURM:
                          N jobs pending or running, default 100)
      --keep-going        finish independent stages after a failure (always on)
      --executor E        local (default) or slurm                        [PSINV_EXECUTOR]
      --time T            time limit of every stage (SLURM format, e.g. 30, 2:00:00, 1-00);
                          a local stage past it is stopped as stage-timeout  [PSINV_TIME]
      --mem M, --cpus N   memory (e.g. 4G) and CPUs of every SLURM job    [PSINV_MEM, PSINV_CPUS]
      --resource S:F=V    one stage's (glob: train/*) time, mem or cpus, over the above
      --partition P       SLURM partition                                 [PSINV_PARTITION]
      --account A         SLURM account                                   [PSINV_ACCOUNT]
      --batch B           stages per SLURM job (e.g. 20; 1: one stage per job) or seconds of
                          work per job (e.g. 30s, 2m; default 2m)         [PSINV_BATCH]
      --deno CMD          how compute nodes start Deno (default: this deno) [PSINV_DENO]
  status [stage-ids…]     say which stages are fresh, stale or missing, and why; store size
  dag                     print the stage graph; draw it into artifacts/dag.svg
  gc [--keep K]           drop stored results not needed by the current parameters, keeping the
                          K newest of each stage (default 3); report bytes freed
  accept <stage-ids…>     re-key the latest results of stages whose only change is their code
                          (cosmetic edits such as renaming a local), without rerunning them;
                          ids may be patterns: 'evaluate/*' (* and ? stop at "/")
  verify                  re-hash every stored result; exit 1 if any is damaged

Options for every command:
  --set path=value        override a parameter (value parsed as JSON, else taken as a string)
  --json                  print events as JSON lines`;

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
        batch: { type: "string" },
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
      const bad = only(["force", "jobs", "keep-going", ...EXECUTION_FLAGS]);
      if (bad) return err(bad);
      const execution = parseExecution(values, defaults.env ?? (() => undefined));
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
        stages: positionals,
        force: values.force,
        jobs,
        execution: execution.value,
      });
    }
    case "status": {
      const bad = only([]);
      return bad ? err(bad) : ok({ kind: "status", ...common, stages: positionals });
    }
    case "dag": {
      const bad = only([]) ?? noStages();
      return bad ? err(bad) : ok({ kind: "dag", ...common });
    }
    case "gc": {
      const bad = only(["keep"]) ?? noStages();
      if (bad) return err(bad);
      const keep = values.keep === undefined ? defaults.keep : wholeAtLeast0(values.keep);
      if (keep === undefined) {
        return usage(`--keep must be a whole number of at least 0, got "${values.keep}"`, command);
      }
      return ok({ kind: "gc", ...common, keep });
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
      const bad = only([]) ?? noStages();
      return bad ? err(bad) : ok({ kind: "verify", ...common });
    }
  }
}

const FLAGS = ["force", "jobs", "keep", "keep-going"] as const;
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
  return value === (flag === "force" ? false : flag === "keep-going" ? true : undefined);
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
