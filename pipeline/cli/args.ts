/**
 * The command line, parsed into one typed command (with `node:util` `parseArgs`, strict: an
 * unknown flag or a bad value is a `usage` failure, never a guess). The options, where each
 * applies and how its value is checked come from the table in `options/options.ts`.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { parseAudit, parseGcRemote, parseRemoteCommand, remoteOf } from "./remote_args.ts";
import { type Command, type CommandName, COMMANDS, type Execution } from "./command.ts";
import { err, ok, type ResourceOverride, type Result, type Usage } from "../core/mod.ts";
import {
  allRead,
  appliesTo,
  type CommonOption,
  OPTION_NAMES,
  type OptionOf,
  parseArgsOptions,
  readOption,
  type Values,
} from "./options/mod.ts";

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

const valid = COMMANDS.join(", ");

/** The options of `C` besides those every command takes. */
type Own<C extends CommandName> = Values<Exclude<OptionOf<C>, CommonOption>>;

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
      options: parseArgsOptions(),
    });
  } catch (e) {
    // parseArgs goes on about positionals after "--"; the option is what the user needs.
    const message = (e as Error).message;
    const unknown = /^Unknown option '([^']+)'/.exec(message);
    return usage(unknown ? `Unknown option '${unknown[1]}'` : message.split("\n")[0]!, command);
  }
  const values = parsed.values as Values;
  const { positionals } = parsed;
  if (values.help) return ok({ kind: "help", command });
  const common = { json: values.json ?? false, sets: values.set ?? [] };
  const env = defaults.env ?? (() => undefined);
  /** The options given to `c`, or the first given that does not apply to it. */
  const own = <C extends CommandName>(c: C): Result<Own<C>, Usage> => {
    const wrong = OPTION_NAMES.find((o) => values[o] !== undefined && !appliesTo(o, c));
    return wrong === undefined
      ? ok(values as Own<C>)
      : usage(`Option "--${wrong}" does not apply to "${c}"`, c);
  };
  const noStages = (): Result<never, Usage> | undefined =>
    positionals.length > 0
      ? usage(`Command "${command}" takes no stage ids, got "${positionals[0]}"`, command)
      : undefined;

  switch (command) {
    case "reproduce": {
      const v = own(command);
      if (!v.ok) return v;
      const { force = false, decide = false, jobs, remote, ...executionValues } = v.value;
      if (decide && force) {
        return usage(
          '"--decide" and "--force" do not go together: run them one after the other',
          command,
        );
      }
      const execution = parseExecution(executionValues, env);
      if (!execution.ok) return usage(execution.error, command);
      const n = readOption("jobs", jobs);
      if (!n.ok) return usage(n.error, command);
      return ok({
        kind: "reproduce",
        ...common,
        // With --decide the positionals name what to decide, not stages.
        stages: decide ? [] : positionals,
        ...(decide ? { decide: positionals } : {}),
        force,
        jobs: n.value ??
          (execution.value.executor === "local"
            ? defaults.jobs
            : defaults.clusterJobs ?? defaults.jobs),
        execution: execution.value,
        ...withRemote(remoteOf(remote, env)),
      });
    }
    case "status": {
      const v = own(command);
      if (!v.ok) return v;
      const { remote, ...rest } = v.value;
      allRead(rest);
      return ok({
        kind: "status",
        ...common,
        stages: positionals,
        ...withRemote(remoteOf(remote, env)),
      });
    }
    case "compare": {
      const v = own(command);
      if (!v.ok) return v;
      const { jobs, params, ...rest } = v.value;
      allRead(rest);
      const bad = noStages();
      if (bad) return bad;
      if (params === undefined && common.sets.length === 0) {
        return usage(`"compare" needs a variant: --set path=value or --params <file>`, command);
      }
      const n = readOption("jobs", jobs);
      if (!n.ok) return usage(n.error, command);
      return ok({
        kind: "compare",
        ...common,
        jobs: n.value ?? defaults.jobs,
        ...(params === undefined ? {} : { params }),
      });
    }
    case "dag": {
      const v = own(command);
      if (!v.ok) return v;
      const { all = false, ...rest } = v.value;
      allRead(rest);
      return noStages() ?? ok({ kind: "dag", ...common, all });
    }
    case "why": {
      const v = own(command);
      if (!v.ok) return v;
      const { all = false, ...rest } = v.value;
      allRead(rest);
      if (positionals.length !== 1) {
        return usage(
          `"why" needs exactly one path of artifacts/ (e.g. figures/lam1/fit.svg), got ${positionals.length}`,
          command,
        );
      }
      return ok({ kind: "why", ...common, path: positionals[0]!, all });
    }
    case "gc": {
      const v = own(command);
      if (!v.ok) return v;
      const { keep, remote, grace, "dry-run": dryRun, ...rest } = v.value;
      allRead(rest);
      const bad = noStages();
      if (bad) return bad;
      const k = readOption("keep", keep);
      if (!k.ok) return usage(k.error, command);
      const side = parseGcRemote({ remote, grace, dryRun: dryRun ?? false });
      return side.ok
        ? ok({ kind: "gc", ...common, keep: k.value ?? defaults.keep, ...side.value })
        : usage(side.error, command);
    }
    case "accept": {
      const v = own(command);
      if (!v.ok) return v;
      allRead(v.value);
      if (positionals.length === 0) {
        return usage(
          `"accept" needs the ids (or patterns, e.g. 'evaluate/*') of the stages to accept`,
          command,
        );
      }
      return ok({ kind: "accept", ...common, stages: positionals });
    }
    case "verify": {
      const v = own(command);
      if (!v.ok) return v;
      const { remote, sample, seed, ...rest } = v.value;
      allRead(rest);
      const audit = parseAudit({ remote, sample, seed }, env);
      if (!audit.ok) return usage(audit.error, command);
      // Stage ids narrow an audit; the local check covers the whole store.
      const bad = audit.value.audit ? undefined : noStages();
      return bad ?? ok({ kind: "verify", ...common, ...audit.value, stages: positionals });
    }
    case "push": {
      const v = own(command);
      if (!v.ok) return v;
      const { remote, ...rest } = v.value;
      allRead(rest);
      return remoteCommand(parseRemoteCommand(command, { remote }, positionals, env));
    }
    case "pull": {
      const v = own(command);
      if (!v.ok) return v;
      const { remote, verify, ...rest } = v.value;
      allRead(rest);
      return remoteCommand(parseRemoteCommand(command, { remote, verify }, positionals, env));
    }
    case "trust": {
      const v = own(command);
      if (!v.ok) return v;
      const { name, revoke, remote, ...rest } = v.value;
      allRead(rest);
      return remoteCommand(
        parseRemoteCommand(command, { name, revoke, remote }, positionals, env),
      );
    }
  }
  function remoteCommand(
    r: ReturnType<typeof parseRemoteCommand>,
  ): Result<Command, Usage> {
    return r.ok ? ok({ ...common, ...r.value }) : usage(r.error, command);
  }
}

/** `{ remote }` when there is one, else nothing (`exactOptionalPropertyTypes`). */
function withRemote(remote: string | undefined): { remote?: string } {
  return remote === undefined ? {} : { remote };
}

/** Reads the execution options, each falling back to its `PSINV_*` environment variable. */
function parseExecution(
  values: Omit<Own<"reproduce">, "force" | "decide" | "jobs" | "remote">,
  env: (name: string) => string | undefined,
): Result<Execution, string> {
  const { executor, time, mem, cpus, resource = [], partition, account, deno, batch, ...rest } =
    values;
  allRead(rest);
  const e = readOption("executor", executor, env);
  if (!e.ok) return e;
  const resources: { time?: string; mem?: string; cpus?: number } = {};
  const t = readOption("time", time, env);
  if (!t.ok) return t;
  if (t.value !== undefined) resources.time = t.value;
  const m = readOption("mem", mem, env);
  if (!m.ok) return m;
  if (m.value !== undefined) resources.mem = m.value;
  const c = readOption("cpus", cpus, env);
  if (!c.ok) return c;
  if (c.value !== undefined) resources.cpus = c.value;
  const overrides: ResourceOverride[] = [];
  for (const arg of resource) {
    const o = readOption("resource", arg);
    if (!o.ok) return o;
    overrides.push(o.value!);
  }
  const p = readOption("partition", partition, env);
  if (!p.ok) return p;
  const a = readOption("account", account, env);
  if (!a.ok) return a;
  const d = readOption("deno", deno, env);
  if (!d.ok) return d;
  const b = readOption("batch", batch, env);
  if (!b.ok) return b;
  return ok({
    executor: e.value ?? "local",
    ...(p.value !== undefined ? { partition: p.value } : {}),
    ...(a.value !== undefined ? { account: a.value } : {}),
    ...(d.value !== undefined ? { deno: d.value } : {}),
    ...(b.value !== undefined ? { batch: b.value } : {}),
    resources,
    overrides,
  });
}

/** A usage failure of `command`, with the one way to ask for its help. */
function usage(detail: string, command: CommandName): Result<never, Usage> {
  return err({ reason: "usage", detail, hint: helpHint(command) });
}

/**
 * The hint of every usage failure of a command: how to see its arguments and options.
 *
 * @example
 * ```ts
 * import { helpHint } from "./args.ts";
 * helpHint("gc"); // 'run "gc --help" for its arguments and options'
 * ```
 */
export function helpHint(command: CommandName): string {
  return `run "${command} --help" for its arguments and options`;
}
