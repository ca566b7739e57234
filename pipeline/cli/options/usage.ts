/**
 * The help text, made from the option table: every command's forms, then the options that apply
 * to it, the options of every command, and the environment variables read.
 *
 * @module
 */
import { type CommandName, COMMANDS } from "../command.ts";
import { ENVIRONMENT } from "./environment.ts";
import {
  appliesTo,
  envOf,
  type Option,
  OPTION_NAMES,
  type OptionName,
  OPTIONS,
  optionsOf,
} from "./options.ts";

/** One way of calling a command: its arguments and what it does. */
interface Form {
  readonly args: string;
  readonly about: string;
}

/** Each command's forms, in the order the help lists them. */
const FORMS = {
  reproduce: [
    {
      args: "[stage-ids…]",
      about:
        "run the named stages (and what they need), or all; reuse cached results. After a failure the stages that do not need the failed one still run; the exit code is then 1",
    },
    {
      args: "--decide [targets…]",
      about:
        "run in rounds: after each, the experiment may add runs (claims: more seeds for each claim still undecided, until decided or at statistics.decide.maxSeeds); targets: claim ids, all when none named",
    },
  ],
  status: [{
    args: "[stage-ids…]",
    about: "say which stages are fresh, stale or missing, and why; store size",
  }],
  compare: [{
    args: "[--params F] [--set …]",
    about:
      "compare the current parameters with a variant (F, then each --set): which stages' keys differ and why, metric deltas, verdicts, figures; computes only what the store lacks; writes artifacts/compare/index.html",
  }],
  dag: [{
    args: "",
    about:
      "print the graph of stage families (train/* as one node with its count) and draw it into artifacts/dag.svg",
  }],
  why: [{
    args: "<artifact>",
    about:
      "how a file of artifacts/ was made: its stage, key, parameters, inputs, code, executor, host and times, back to the sources",
  }],
  gc: [{
    args: "",
    about:
      "drop stored results not needed by the current parameters, keeping the K newest of each stage; report bytes freed",
  }],
  accept: [{
    args: "<stage-ids…>",
    about:
      "re-key the latest results of stages whose only change is their code (cosmetic edits such as renaming a local), without rerunning them; ids may be patterns: 'evaluate/*' (* and ? stop at \"/\")",
  }],
  verify: [
    { args: "", about: "re-hash every stored result; exit 1 if any is damaged" },
    {
      args: "--remote URL [--sample N] [--seed S] [stage-ids…]",
      about:
        "re-run N random stages whose results came from the remote and compare bytes; a mismatch names its signer, is set aside here and replaced; the seed is printed",
    },
  ],
  push: [{
    args: "[stage-ids…]",
    about: "upload the current results of the stages (and what they need), signed",
  }],
  pull: [{
    args: "[stage-ids…]",
    about: "download and verify the current results of the stages, running none",
  }],
  trust: [
    {
      args: "[key]",
      about: "trust a public key's results (default: this machine's own key)",
    },
    {
      args: "--revoke KEY [--remote URL]",
      about: "stop trusting a key; with a remote, list its entries, which gc --remote then deletes",
    },
  ],
} as const satisfies Record<CommandName, readonly Form[]>;

const WIDTH = 100;
const COLUMN = 28;

/**
 * The help: of one command when named (its forms, its options, the options of every command and
 * the variables standing in for its options), else of all, with every environment variable read.
 * `experiment` lists the experiment's own variables, one line of help each.
 *
 * @example
 * ```ts
 * import { usage } from "./usage.ts";
 * usage("dag").includes("--all"); // true
 * usage().includes("PSINV_REMOTE_TOKEN"); // true
 * ```
 */
export function usage(
  command?: CommandName,
  experiment: Readonly<Record<string, string>> = {},
): string {
  const commands = command === undefined ? COMMANDS : [command];
  const lines = [
    `Usage: deno task <command> [arguments] [options]`,
    `       deno task <command> --help        that command's arguments and options`,
    `       deno task help                    every command, option and environment variable`,
    "",
    command === undefined ? "Commands:" : "Command:",
    ...commands.flatMap((c) => [
      ...FORMS[c].flatMap((f: Form) => entry(2, `${c} ${f.args}`.trim(), f.about)),
      ...optionsOf(c).filter((o) => OPTIONS[o].commands !== "every").flatMap((o) =>
        optionLines(o, c, 6)
      ),
    ]),
    "",
    "Options for every command:",
    ...OPTION_NAMES.filter((o) => OPTIONS[o].commands === "every").flatMap((o) =>
      optionLines(o, command, 2)
    ),
    ...section("Environment:", [
      ...standingIn(command),
      ...(command === undefined
        ? Object.entries(ENVIRONMENT).flatMap(([name, help]) => entry(2, name, help))
        : []),
    ]),
    ...section(
      "Environment of the experiment:",
      command === undefined
        ? Object.entries(experiment).flatMap(([name, help]) => entry(2, name, help))
        : [],
    ),
  ];
  return lines.join("\n");
}

/** `title` and its `lines` after a blank line, or nothing when there are no lines. */
function section(title: string, lines: readonly string[]): string[] {
  return lines.length === 0 ? [] : ["", title, ...lines];
}

/** The variables that stand in for flags (of `command`, else of any), one entry each. */
function standingIn(command: CommandName | undefined): string[] {
  return OPTION_NAMES.flatMap((o) => {
    const commands = command === undefined ? COMMANDS : [command];
    const readers = commands.filter((c) => envOf(o, c) !== undefined);
    if (readers.length === 0) return [];
    const not = COMMANDS.filter((c) => appliesTo(o, c) && envOf(o, c) === undefined);
    const help = `--${o} when the flag is absent${
      command === undefined && not.length > 0 ? ` (not for ${not.join(", ")})` : ""
    }${o === "remote" ? "; '' for none" : ""}`;
    return entry(2, envOf(o, readers[0]!)!, help);
  });
}

/** The help lines of option `o` as `command` reads it, indented by `indent`. */
function optionLines(o: OptionName, command: CommandName | undefined, indent: number): string[] {
  const spec: Option = OPTIONS[o];
  const flag = [
    `--${o}${spec.placeholder ? ` ${spec.placeholder}` : ""}`,
    ...(spec.short ? [`-${spec.short}`] : []),
  ].join(", ");
  const help = (command && spec.helpFor?.[command]) ?? spec.help;
  const env = command === undefined ? undefined : envOf(o, command);
  return entry(indent, flag, env ? `${help} [${env}]` : help);
}

/** `head` at `indent`, then `text` wrapped at the help's column (on the next line if `head` is long). */
function entry(indent: number, head: string, text: string): string[] {
  const words = text.split(" ");
  const lines: string[] = [];
  let line = " ".repeat(indent) + head;
  if (line.length > COLUMN - 2) {
    lines.push(line);
    line = "";
  }
  line = line.padEnd(COLUMN);
  let fresh = true;
  for (const w of words) {
    if (!fresh && line.length + 1 + w.length > WIDTH) {
      lines.push(line);
      line = " ".repeat(COLUMN);
      fresh = true;
    }
    line += (fresh ? "" : " ") + w;
    fresh = false;
  }
  lines.push(line);
  return lines;
}
