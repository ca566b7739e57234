/**
 * The command line's options as one table (as wireit's `cli-options.ts`): per option its type,
 * the commands it applies to, its help, the `PSINV_*` variable that stands in for it and the
 * check of its value. `parseArgs`' configuration, the refusal of an option where it does not
 * apply, and the help text are all read from here.
 *
 * @module
 */
import { ok, type Result } from "../../core/mod.ts";
import type { CommandName } from "../command.ts";
import {
  batch,
  type Check,
  duration,
  executor,
  resource,
  resourceOverride,
  seed,
  slurmName,
  wholeAtLeast,
} from "./checks.ts";

/** One option of the command line. */
export interface Option {
  /** `boolean`: a switch; `string`: one value; `multiple`: a value each time it is given. */
  readonly type: "boolean" | "string" | "multiple";
  /** What the value is called in the help (`--jobs N`). */
  readonly placeholder?: string;
  /** A one-letter alias (`-h`). */
  readonly short?: string;
  /** The environment variable read when the flag is absent, by every command but `flagOnly`. */
  readonly env?: `PSINV_${string}`;
  /** The commands that read only the flag, never `env` (a remote is never collected by chance). */
  readonly flagOnly?: readonly CommandName[];
  /** The commands it applies to; every other command refuses it. */
  readonly commands: "every" | readonly CommandName[];
  /** Its help, one sentence; `helpFor` words it for one command instead. */
  readonly help: string;
  readonly helpFor?: { readonly [C in CommandName]?: string };
  /** Turns its text into a value, or the message that refuses it. */
  readonly check?: Check<unknown>;
}

/** Every option, in the order the help lists them. */
export const OPTIONS = {
  force: {
    type: "boolean",
    commands: ["reproduce"],
    help: "execute the named stages (all when none named) even if cached",
  },
  decide: {
    type: "boolean",
    commands: ["reproduce"],
    help: "run in rounds, deciding the targets named (see above)",
  },
  jobs: {
    type: "string",
    placeholder: "N",
    commands: ["reproduce", "compare"],
    help: "run at most N stages at once (default: number of cores)",
    helpFor: {
      reproduce:
        "run at most N stages at once (default: number of cores; SLURM: N jobs pending or running, default 100)",
    },
    check: wholeAtLeast(1),
  },
  executor: {
    type: "string",
    placeholder: "E",
    env: "PSINV_EXECUTOR",
    commands: ["reproduce"],
    help: "local (default) or slurm",
    check: executor,
  },
  time: {
    type: "string",
    placeholder: "T",
    env: "PSINV_TIME",
    commands: ["reproduce"],
    help:
      "time limit of every stage (SLURM format, e.g. 30, 2:00:00, 1-00); a local stage past it is stopped as stage-timeout",
    check: resource("time"),
  },
  mem: {
    type: "string",
    placeholder: "M",
    env: "PSINV_MEM",
    commands: ["reproduce"],
    help: "memory of every SLURM job (e.g. 4G)",
    check: resource("mem"),
  },
  cpus: {
    type: "string",
    placeholder: "N",
    env: "PSINV_CPUS",
    commands: ["reproduce"],
    help: "CPUs of every SLURM job",
    check: resource("cpus"),
  },
  resource: {
    type: "multiple",
    placeholder: "S:F=V",
    commands: ["reproduce"],
    help: "one stage's (glob: train/*) time, mem or cpus, over the above; may be repeated",
    check: resourceOverride,
  },
  partition: {
    type: "string",
    placeholder: "P",
    env: "PSINV_PARTITION",
    commands: ["reproduce"],
    help: "SLURM partition",
    check: slurmName("partition"),
  },
  account: {
    type: "string",
    placeholder: "A",
    env: "PSINV_ACCOUNT",
    commands: ["reproduce"],
    help: "SLURM account",
    check: slurmName("account"),
  },
  batch: {
    type: "string",
    placeholder: "B",
    env: "PSINV_BATCH",
    commands: ["reproduce"],
    help:
      "stages per SLURM job (e.g. 20; 1: one stage per job) or seconds of work per job (e.g. 30s, 2m; default 2m)",
    check: batch,
  },
  deno: {
    type: "string",
    placeholder: "CMD",
    env: "PSINV_DENO",
    commands: ["reproduce"],
    help: "how compute nodes start Deno (default: this deno)",
  },
  keep: {
    type: "string",
    placeholder: "K",
    commands: ["gc"],
    help: "keep the K newest results of each stage besides the current ones (default 3)",
    check: wholeAtLeast(0),
  },
  remote: {
    type: "string",
    placeholder: "URL",
    env: "PSINV_REMOTE",
    flagOnly: ["gc"],
    commands: ["reproduce", "status", "gc", "verify", "push", "pull", "trust"],
    help: "the remote: https://…, http://… or file:///… (credentials from the environment)",
    helpFor: {
      reproduce:
        "also fetch results from, and upload executed ones to, a remote: https://…, http://… or file:///…; '' for none",
      status:
        "also ask the remote which stages not fresh here it holds, per family and reason (one request per stage not here)",
      gc:
        "collect the remote instead (only this flag names it, never PSINV_REMOTE): delete entries no current stage and none of the K newest per stage need, then the bundles no entry names, and file:// temporaries older than a day",
      verify: "the remote to audit (see above)",
      trust: "with --revoke: list the key's entries on the remote, which gc --remote then deletes",
    },
  },
  grace: {
    type: "string",
    placeholder: "D",
    commands: ["gc"],
    help:
      "with --remote: spare what is younger than D before the gc's start, by the remote's clock (e.g. 0, 30s, 10m; default 1h)",
    check: duration,
  },
  "dry-run": {
    type: "boolean",
    commands: ["gc"],
    help: "with --remote: list what would go and its size; delete nothing",
  },
  sample: {
    type: "string",
    placeholder: "N",
    commands: ["verify"],
    help: "how many stages to re-run (default 5)",
    check: wholeAtLeast(1),
  },
  seed: {
    type: "string",
    placeholder: "S",
    commands: ["verify"],
    help: "the seed of the sample (default: a random one, printed)",
    check: seed,
  },
  verify: {
    type: "boolean",
    commands: ["pull"],
    help: "also check the remote's entries of results already here",
  },
  name: {
    type: "string",
    placeholder: "N",
    commands: ["trust"],
    help: "whose key it is",
  },
  revoke: {
    type: "string",
    placeholder: "KEY",
    commands: ["trust"],
    help: "stop trusting KEY (see above)",
  },
  all: {
    type: "boolean",
    commands: ["dag", "why"],
    help: "every stage rather than one node per family",
    helpFor: { why: "list every upstream stage rather than a few of each family" },
  },
  params: {
    type: "string",
    placeholder: "F",
    commands: ["compare"],
    help: "the variant's parameters file (each --set then applies to it)",
  },
  set: {
    type: "multiple",
    placeholder: "path=value",
    commands: "every",
    help: "override a parameter (value parsed as JSON, else taken as a string); may be repeated",
  },
  json: {
    type: "boolean",
    commands: "every",
    help: "print events as JSON lines",
  },
  help: {
    type: "boolean",
    short: "h",
    commands: "every",
    help: "print the command's arguments and options, and run nothing",
  },
} as const satisfies Record<string, Option>;

/** An option's name, as the flag is spelled without its `--`. */
export type OptionName = keyof typeof OPTIONS;

/** The names of the options, in the help's order. */
export const OPTION_NAMES = Object.keys(OPTIONS) as OptionName[];

type Spec<N extends OptionName> = (typeof OPTIONS)[N];

/** The options of `C`: those naming it, and those of every command. */
export type OptionOf<C extends CommandName> = {
  [N in OptionName]: Spec<N>["commands"] extends "every" ? N
    : C extends Spec<N>["commands"][number] ? N
    : never;
}[OptionName];

/** The options every command takes. */
export type CommonOption = {
  [N in OptionName]: Spec<N>["commands"] extends "every" ? N : never;
}[OptionName];

/** What `parseArgs` gives for an option that was given: its text, texts, or `true`. */
export type Given<N extends OptionName> = Spec<N>["type"] extends "boolean" ? boolean
  : Spec<N>["type"] extends "multiple" ? string[]
  : string;

/** The options given on a command line, by name; absent when not given. */
export type Values<N extends OptionName = OptionName> = { readonly [K in N]?: Given<K> };

/** The value `N`'s check makes of its text. */
export type Checked<N extends OptionName> = Spec<N> extends { check: Check<infer T> } ? T
  : string;

/**
 * An option's value: the flag's text, else (when `env` is passed) the `PSINV_*` variable that
 * stands in for it, unless empty; then the row's check. `undefined` when neither is set.
 *
 * @example
 * ```ts
 * import { readOption } from "./options.ts";
 * readOption("jobs", "2"); // { ok: true, value: 2 }
 * readOption("time", undefined, (n) => (n === "PSINV_TIME" ? "soon" : undefined)).ok; // false
 * ```
 */
export function readOption<N extends OptionName>(
  name: N,
  flag: string | undefined,
  env?: (name: string) => string | undefined,
): Result<Checked<N> | undefined, string> {
  const o: Option = OPTIONS[name];
  let text = flag, from = `--${name}`;
  if (text === undefined && env !== undefined && o.env !== undefined) {
    const value = env(o.env);
    if (value !== undefined && value !== "") [text, from] = [value, o.env];
  }
  if (text === undefined) return ok(undefined);
  return (o.check ? o.check(text, from) : ok(text)) as Result<Checked<N>, string>;
}

/**
 * The variable that stands in for option `name` when `command` is not given its flag, if any.
 *
 * @example
 * ```ts
 * import { envOf } from "./options.ts";
 * envOf("remote", "push"); // "PSINV_REMOTE"
 * envOf("remote", "gc"); // undefined
 * ```
 */
export function envOf(name: OptionName, command: CommandName): string | undefined {
  const o: Option = OPTIONS[name];
  return appliesTo(name, command) && !o.flagOnly?.includes(command) ? o.env : undefined;
}

/**
 * Whether option `name` applies to `command`.
 *
 * @example
 * ```ts
 * import { appliesTo } from "./options.ts";
 * appliesTo("jobs", "compare"); // true
 * appliesTo("jobs", "gc"); // false
 * ```
 */
export function appliesTo(name: OptionName, command: CommandName): boolean {
  const commands: Option["commands"] = OPTIONS[name].commands;
  return commands === "every" || commands.includes(command);
}

/**
 * The options of `command`, in the help's order.
 *
 * @example
 * ```ts
 * import { optionsOf } from "./options.ts";
 * optionsOf("dag"); // ["all", "set", "json", "help"]
 * ```
 */
export function optionsOf(command: CommandName): OptionName[] {
  return OPTION_NAMES.filter((name) => appliesTo(name, command));
}

/**
 * The `options` of `node:util`'s `parseArgs`, one per row of the table; no defaults, so an option
 * not given is absent and a command can tell it from one given.
 */
export function parseArgsOptions(): Record<
  OptionName,
  { type: "boolean" | "string"; multiple?: boolean; short?: string }
> {
  const out = {} as Record<
    OptionName,
    { type: "boolean" | "string"; multiple?: boolean; short?: string }
  >;
  for (const name of OPTION_NAMES) {
    const o: Option = OPTIONS[name];
    out[name] = {
      type: o.type === "boolean" ? "boolean" : "string",
      ...(o.type === "multiple" ? { multiple: true } : {}),
      ...(o.short ? { short: o.short } : {}),
    };
  }
  return out;
}

/**
 * The compile-time proof that a command read every option it takes: given what is left of its
 * values after destructuring the ones it reads, it compiles only when nothing is left, so an
 * option added to a command's row and not read by it names this call.
 *
 * @example
 * ```ts
 * import { allRead } from "./options.ts";
 * const { jobs, ...rest } = { jobs: "2" };
 * allRead(rest);
 * ```
 */
export function allRead(_rest: { readonly [name: string]: never }): void {}
