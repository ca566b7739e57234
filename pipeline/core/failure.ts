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

/** A stage ran past its time limit and was stopped (locally, or by SLURM's `TIMEOUT`). */
export interface StageTimeout {
  readonly reason: "stage-timeout";
  readonly stage: string;
  /** The limit, as `[D-]H:MM:SS`. */
  readonly limit: string;
  /** The SLURM job (`<array>_<task>`) when it ran on a cluster. */
  readonly job?: string;
}

/** A stage was stopped because the run was interrupted (Ctrl-C, SIGTERM). */
export interface StageCancelled {
  readonly reason: "stage-cancelled";
  readonly stage: string;
  /** The signal that interrupted the run. */
  readonly signal: string;
}

/** A stage's SLURM job ended without an exit status (`FAILED`, `OUT_OF_MEMORY`, `CANCELLED`, …). */
export interface ClusterJobFailed {
  readonly reason: "cluster-job-failed";
  readonly stage: string;
  /** `<array job id>_<task>`, or `-` when the submission itself failed. */
  readonly job: string;
  /** SLURM's job state, or `SUBMIT` when `sbatch` refused. */
  readonly state: string;
  readonly detail: string;
  readonly hint: string;
}

/** A stage's SLURM job left no readable exit status in the store in the time allowed. */
export interface ClusterJobLost {
  readonly reason: "cluster-job-lost";
  readonly stage: string;
  readonly job: string;
  readonly detail: string;
}

/** The chosen executor cannot run here (no `sbatch`, an unknown partition, a local-only store). */
export interface ExecutorInvalid {
  readonly reason: "executor-invalid";
  readonly executor: string;
  readonly detail: string;
  readonly hint: string;
}

/**
 * The remote named by `--remote` or `PSINV_REMOTE` cannot be used as given: a bad URL, an unknown
 * scheme, credentials missing or refused, a missing folder. Bad input: nothing has run.
 */
export interface RemoteInvalid {
  readonly reason: "remote-invalid";
  /** The remote as given, credentials left out. */
  readonly url: string;
  readonly detail: string;
  readonly hint: string;
}

/** The remote failed while `push` or `pull` worked (unreachable, a server error, a timeout). */
export interface RemoteFailed {
  readonly reason: "remote-failed";
  readonly url: string;
  readonly detail: string;
  readonly hint: string;
}

/** A signing key or trusted-keys file exists but cannot be used (unreadable, malformed). */
export interface KeyFileInvalid {
  readonly reason: "key-file-invalid";
  readonly file: string;
  readonly detail: string;
  readonly hint: string;
}

/** `why` was asked about a path `artifacts/provenance.json` does not list. */
export interface UnknownArtifact {
  readonly reason: "unknown-artifact";
  readonly path: string;
  /** The paths the record lists (empty when there is no record: nothing was reproduced yet). */
  readonly known: readonly string[];
}

/** How an executor reports a stage that ended other than by its own run function's verdict. */
export type ExecutorFailure = StageTimeout | StageCancelled | ClusterJobFailed | ClusterJobLost;

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
  | LockTimeout
  | ExecutorFailure
  | ExecutorInvalid
  | RemoteInvalid
  | RemoteFailed
  | KeyFileInvalid
  | UnknownArtifact;
