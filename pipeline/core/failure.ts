/**
 * Every way a command can fail, as data. Each failure has a stable `reason`; the CLI renders it
 * once (one `switch` ending in `unreachable`), so a new reason will not compile without a message.
 *
 * @module
 */
import type { ParamIssue } from "./stage.ts";

/** The parameters file could not be read. */
export interface ParamsUnreadable {
  readonly reason: "params-unreadable";
  readonly file: string;
  readonly detail: string;
}

/** The parameters file is not valid JSON. */
export interface ParamsSyntax {
  readonly reason: "params-syntax";
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly detail: string;
}

/** The parameters document (after overrides) does not fit the experiment's schema. */
export interface ParamInvalid {
  readonly reason: "param-invalid";
  readonly issues: readonly ParamIssue[];
}

/** A `--set key=value` argument is malformed or names no place in the document. */
export interface OverrideInvalid {
  readonly reason: "override-invalid";
  readonly arg: string;
  readonly detail: string;
}

/** The command line is wrong (unknown command, bad flag value). */
export interface Usage {
  readonly reason: "usage";
  readonly detail: string;
  readonly hint: string;
}

/** A stage id given on the command line does not exist (or a pattern matches none). */
export interface UnknownStage {
  readonly reason: "unknown-stage";
  readonly id: string;
  readonly known: readonly string[];
  /** `id` is a glob pattern (`evaluate/*`) that matched no stage. */
  readonly pattern?: boolean;
}

/** The declared graph is not a DAG, or names inputs that do not exist. */
export interface GraphInvalid {
  readonly reason: "graph-invalid";
  readonly detail: string;
  /** For a cycle: the ids along it. */
  readonly trail: readonly string[];
}

/** A stage's run function failed (threw, or reported a {@linkcode StageError}). */
export interface StageFailed {
  readonly reason: "stage-failed";
  readonly stage: string;
  /** The stage's own code (e.g. `stage-diverged`) or `stage-threw` for an unexpected throw. */
  readonly code: string;
  readonly detail: string;
  readonly hint: string;
}

/** A stage finished without writing a declared output. */
export interface OutputMissing {
  readonly reason: "output-missing";
  readonly stage: string;
  readonly file: string;
}

/** A stage was not run because a stage it depends on failed. */
export interface DependencyFailed {
  readonly reason: "dependency-failed";
  readonly stage: string;
  readonly dependency: string;
}

/** A file system operation failed (disk full, permission denied, …). */
export interface IoFailed {
  readonly reason: "io-failed";
  readonly path: string;
  readonly detail: string;
  readonly hint: string;
}

/** Another run holds the store's lock and did not release it in time. */
export interface LockTimeout {
  readonly reason: "lock-timeout";
  readonly holder: string;
}

/** Every failure a command can end with. */
export type Failure =
  | ParamsUnreadable
  | ParamsSyntax
  | ParamInvalid
  | OverrideInvalid
  | Usage
  | UnknownStage
  | GraphInvalid
  | StageFailed
  | OutputMissing
  | DependencyFailed
  | IoFailed
  | LockTimeout;
