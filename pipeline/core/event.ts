/**
 * Everything that happens during a command, as typed data. The engine emits events; the logger
 * (`logger.ts`) is the one place that turns them into text, and `--json` prints them as they are.
 *
 * @module
 */
import type { DependencyFailed, Failure } from "./failure.ts";
import type { Hash } from "./hash.ts";
import type {
  Accepted,
  AcceptUnneeded,
  AuditDone,
  CompareDone,
  DagDrawn,
  GcDone,
  KeyRevoked,
  KeyTrusted,
  PullDone,
  PushDone,
  RemoteGcReport,
  RemoteStatus,
  StatusReport,
  VerifyDone,
  WhyAnswer,
} from "./answer.ts";

/** One reason two fingerprints differ. */
export type Change =
  | {
    readonly kind: "param";
    /** Dotted path of the changed value (descends into objects, e.g. `training.epochs`). */
    readonly path: string;
    /** `undefined` when the parameter was not declared before. */
    readonly before: unknown;
    /** `undefined` when the parameter is no longer declared. */
    readonly after: unknown;
  }
  | {
    readonly kind: "input";
    readonly name: string;
    readonly before: Hash | undefined;
    readonly after: Hash | undefined;
  }
  | {
    readonly kind: "code";
    /** Local modules (paths relative to the root) added, removed or edited, when known. */
    readonly files: readonly string[];
  }
  | { readonly kind: "version"; readonly before: number; readonly after: number }
  | { readonly kind: "format"; readonly before: number; readonly after: number };

/**
 * How a stage ended in one run (also the `status` field of `artifacts/run.json`); `interrupted`:
 * stopped, or never started, because a signal interrupted the run (not a failure of the stage).
 */
export type StageOutcomeStatus = "executed" | "cached" | "failed" | "skipped" | "interrupted";

/** A command started on a set of stages. */
export interface RunStart {
  readonly kind: "run-start";
  readonly command: string;
  /** Ids of the stages the command will consider, in topological order. */
  readonly stages: readonly string[];
  readonly jobs: number;
}

/** Another process holds the store lock; this one waits. */
export interface LockWait {
  readonly kind: "lock-wait";
  readonly pid: number;
  readonly since: string;
}

/** Scratch folders left by killed runs were removed. */
export interface StoreSwept {
  readonly kind: "store-swept";
  readonly removed: number;
}

/** A stage's result was found in the store: no work. */
export interface StageCached {
  readonly kind: "stage-cached";
  readonly stage: string;
  readonly key: Hash;
}

/** A stage started executing in a worker. */
export interface StageStart {
  readonly kind: "stage-start";
  readonly stage: string;
  readonly key: Hash;
  /** Why it runs: no result for its key, `--force`, or the stored result was damaged. */
  readonly why: "missing" | "forced" | "damaged";
  /** A stage with progress continuing a stored state instead of starting over. */
  readonly resumed?: ResumedFrom;
}

/**
 * Where a stage with progress started: the stored result it continues (`key`), the progress of
 * that state, and the parameter measuring it (its dotted path, or a literal's local name).
 */
export interface ResumedFrom {
  readonly key: Hash;
  readonly progress: number;
  readonly param: string;
}

/** A running stage reported progress (e.g. epoch `done` of `total`). */
export interface StageProgress {
  readonly kind: "stage-progress";
  readonly stage: string;
  readonly done: number;
  readonly total: number;
}

/** A stage said something about how it ran (a fallback taken); the logger shows each once. */
export interface StageNote {
  readonly kind: "stage-note";
  readonly stage: string;
  readonly message: string;
}

/** A stage executed and its result entered the store. */
export interface StageExecuted {
  readonly kind: "stage-executed";
  readonly stage: string;
  readonly key: Hash;
  readonly seconds: number;
  /** It continued a stored state (see {@linkcode StageStart}). */
  readonly resumed?: ResumedFrom;
  /** Where it ran in the executor, when the executor says (`worker 2`, a SLURM job's worker). */
  readonly lane?: string;
}

/** A stage failed; its result did not enter the store. */
export interface StageFailedEvent {
  readonly kind: "stage-failed";
  readonly stage: string;
  readonly failure: Failure;
  /** The failure rendered as one line. */
  readonly message: string;
}

/** A stage was stopped, or not started, because the run was interrupted (counted, not listed). */
export interface StageInterrupted {
  readonly kind: "stage-interrupted";
  readonly stage: string;
  /** The signal that interrupted the run. */
  readonly signal: string;
}

/** A stage was not run because an upstream stage failed. */
export interface StageSkipped {
  readonly kind: "stage-skipped";
  readonly stage: string;
  readonly failure: DependencyFailed;
}

/** A stored result did not match its hashes; it was set aside and is recomputed. */
export interface StoreDamaged {
  readonly kind: "store-damaged";
  readonly stage: string;
  readonly key: Hash;
  readonly detail: string;
}

/** A published output was written into `artifacts/`. */
export interface ArtifactWritten {
  readonly kind: "artifact-written";
  readonly stage: string;
  /** Path relative to `artifacts/`. */
  readonly path: string;
}

/** A file a previous run published, and this one no longer does, was removed from `artifacts/`. */
export interface ArtifactRemoved {
  readonly kind: "artifact-removed";
  readonly path: string;
}

/** A round of `reproduce --decide` ended: what it adds for the next round, or nothing (done). */
export interface DecideRound {
  readonly kind: "decide-round";
  readonly round: number;
  /** The `--set` overrides the next round adds; empty when the rounds are over. */
  readonly added: readonly string[];
}

/**
 * The graph grew during a run: the results of `after` (stages the declaration was waiting on)
 * declared `stages`, which the run goes on to run.
 */
export interface GraphGrew {
  readonly kind: "graph-grew";
  readonly after: readonly string[];
  readonly stages: readonly string[];
}

/** A `reproduce` finished (successfully or not). */
export interface RunDone {
  readonly kind: "run-done";
  readonly executed: number;
  readonly cached: number;
  readonly failed: number;
  readonly skipped: number;
  /** Stages stopped or never started because a signal interrupted the run. */
  readonly interrupted: number;
  readonly seconds: number;
  /** Ids of the failed stages (interrupted ones are not failures). */
  readonly failures: readonly string[];
  /** How many of the cached stages were downloaded from the remote (absent without one). */
  readonly downloaded?: number;
  /** How many of the executed stages continued a stored state (absent when none did). */
  readonly resumed?: number;
}

/** The command ended with a failure. */
export interface CommandFailed {
  readonly kind: "command-failed";
  readonly failure: Failure;
  /** The failure rendered as one line. */
  readonly message: string;
  readonly exitCode: number;
}

/** Batches of stages went to SLURM as one job array (array task i runs `batches[i]`). */
export interface ClusterSubmitted {
  readonly kind: "cluster-submitted";
  /** The array's job id; array task i is job `<job>_<i>`. */
  readonly job: string;
  /** The stage ids of each batch, one batch per array task. */
  readonly batches: readonly (readonly string[])[];
}

/**
 * Stages were handed to a job of the run that had finished its batch and was waiting for more,
 * instead of being queued as a new job.
 */
export interface ClusterOffered {
  readonly kind: "cluster-offered";
  /** The job (`<array>_<index>`). */
  readonly job: string;
  readonly stages: readonly string[];
}

/**
 * A batch's job was lost to the cluster (`NODE_FAIL`, `PREEMPTED`, `BOOT_FAIL`): the stages it
 * had not finished go back to be submitted again.
 */
export interface ClusterResubmitted {
  readonly kind: "cluster-resubmitted";
  /** The stages resubmitted (those of the batch without a result). */
  readonly stages: readonly string[];
  /** The job that was lost (`<array>_<task>`). */
  readonly job: string;
  readonly state: string;
  /** Which resubmission this is (1 for the first). */
  readonly attempt: number;
}

/** Jobs submitted by an earlier run that died (e.g. `kill -9`) were found and cancelled. */
export interface ClusterLeftovers {
  readonly kind: "cluster-leftovers";
  /** Their job ids. */
  readonly jobs: readonly string[];
}

/**
 * The run was interrupted by a signal: running stages are being stopped (their SLURM jobs
 * cancelled), nothing new starts. A later signal (`again`) only stops waiting for them to end.
 */
export interface RunInterrupted {
  readonly kind: "run-interrupted";
  readonly signal: string;
  /** A repeated signal: the run stops waiting for cancelled jobs to end. */
  readonly again: boolean;
}

/** A stage's result came from the remote, verified (signature, bundle, every file) and stored. */
export interface StageDownloaded {
  readonly kind: "stage-downloaded";
  readonly stage: string;
  readonly key: Hash;
  /** Size of the bundle downloaded. */
  readonly bytes: number;
}

/** The remote's entry for a stage was not used (untrusted, unsigned, bundle bad or missing). */
export interface RemoteRejected {
  readonly kind: "remote-rejected";
  readonly stage: string;
  readonly key: Hash;
  readonly detail: string;
}

/** The remote has a stage's id under another key only: what differs (remote's, then ours). */
export interface RemoteDiffers {
  readonly kind: "remote-differs";
  readonly stage: string;
  readonly changes: readonly Change[];
  /** The Deno versions, when they differ. */
  readonly deno?: { readonly before: string; readonly after: string };
  /** npm packages whose versions differ: `name before → after`. */
  readonly npm?: readonly string[];
}

/** The remote failed during a run, which goes on without it (or without uploading). */
export interface RemoteUnavailable {
  readonly kind: "remote-unavailable";
  readonly url: string;
  readonly detail: string;
  /** Only uploads were refused; lookups go on. */
  readonly uploadsOnly: boolean;
}

/** A stage's result went to the remote: its bundle, then its signed entry. */
export interface StageUploaded {
  readonly kind: "stage-uploaded";
  readonly stage: string;
  readonly key: Hash;
  /** Size of the bundle uploaded. */
  readonly bytes: number;
}

/** This machine's signing key was created (on its first upload). */
export interface SigningKeyCreated {
  readonly kind: "signing-key-created";
  /** Where the private key is kept. */
  readonly file: string;
  /** The public key, as a trusted-keys file lists it (`ed25519:…`). */
  readonly key: string;
  /** The project's trusted-keys file (`""` when the pipeline names none). */
  readonly trustedKeys: string;
}

/** Every event a command can emit. */
export type Event =
  | RunStart
  | LockWait
  | StoreSwept
  | StageCached
  | StageStart
  | StageProgress
  | StageNote
  | StageExecuted
  | StageFailedEvent
  | StageSkipped
  | StageInterrupted
  | StoreDamaged
  | ArtifactWritten
  | ArtifactRemoved
  | RunDone
  | DecideRound
  | GraphGrew
  | StatusReport
  | RemoteStatus
  | DagDrawn
  | WhyAnswer
  | CompareDone
  | GcDone
  | RemoteGcReport
  | VerifyDone
  | AuditDone
  | KeyRevoked
  | Accepted
  | AcceptUnneeded
  | CommandFailed
  | ClusterSubmitted
  | ClusterOffered
  | ClusterResubmitted
  | ClusterLeftovers
  | RunInterrupted
  | StageDownloaded
  | RemoteRejected
  | RemoteDiffers
  | RemoteUnavailable
  | StageUploaded
  | SigningKeyCreated
  | PushDone
  | PullDone
  | KeyTrusted;

/** Receives events as they happen. */
export type Emit = (event: Event) => void;
