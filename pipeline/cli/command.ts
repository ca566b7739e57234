/**
 * The command line as a type: every command with the options it takes, as {@linkcode parseCommand}
 * (`args.ts`) produces it and the dispatcher (`cli.ts`) consumes it.
 *
 * @module
 */
import type { AuditArgs, GcRemoteArgs, RemoteCommand } from "./remote_args.ts";
import type { ResourceOverride, StageResources } from "../core/mod.ts";
import type { BatchPolicy } from "../slurm/mod.ts";

/** The commands, in the order `help` lists them. */
export const COMMANDS = [
  "reproduce",
  "status",
  "compare",
  "dag",
  "why",
  "gc",
  "accept",
  "verify",
  "push",
  "pull",
  "trust",
] as const;

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
    /** Stage ids named (their upstream stages run too); empty for all, and with `decide`. */
    readonly stages: readonly string[];
    /**
     * `--decide [targets…]`: rounds until the pipeline's decide hook has nothing to add; the
     * targets it is to decide (e.g. claim ids), all when empty.
     */
    readonly decide?: readonly string[];
    /** Execute the named stages (all when none are named) even when their result is cached. */
    readonly force: boolean;
    /** At most this many stages at once (SLURM: jobs in flight). */
    readonly jobs: number;
    readonly execution: Execution;
    /** The remote to fetch from and upload to (`--remote`, `PSINV_REMOTE`), if any. */
    readonly remote?: string;
  }
  | Common & {
    readonly kind: "status";
    readonly stages: readonly string[];
    /** Also ask this remote which stages not fresh here it holds (`--remote`, `PSINV_REMOTE`). */
    readonly remote?: string;
  }
  | Common & {
    readonly kind: "compare";
    /** The variant's parameters file (the `--set`s then apply to it); the project's when absent. */
    readonly params?: string;
    /** At most this many stages at once. */
    readonly jobs: number;
  }
  | Common & {
    readonly kind: "dag";
    /** Draw every stage instead of one node per family. */
    readonly all: boolean;
  }
  | Common & {
    readonly kind: "why";
    /** The file asked about, relative to `artifacts/`. */
    readonly path: string;
    /** List every upstream stage rather than a few of each family. */
    readonly all: boolean;
  }
  | Common & GcRemoteArgs & {
    readonly kind: "gc";
    /** Keep this many newest results of each stage besides the current ones. */
    readonly keep: number;
  }
  | Common & { readonly kind: "accept"; readonly stages: readonly string[] }
  | Common & AuditArgs & {
    readonly kind: "verify";
    /** With an audit: the stages (ids or patterns) to draw from, and what they need; all when empty. */
    readonly stages: readonly string[];
  }
  | Common & RemoteCommand
  | {
    readonly kind: "help";
    /** The command whose help was asked for (`<command> --help`); all when absent. */
    readonly command?: CommandName;
  };
