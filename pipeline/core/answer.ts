/**
 * What each command answers when it is done (`status`, `dag`, `why`, `compare`, `gc`, `verify`,
 * `accept`, `push`, `pull`, `trust`): the last events of a command, rendered by the logger.
 *
 * @module
 */
import type { Hash } from "./hash.ts";
import type { Change } from "./event.ts";
import type { CodeProvenance, StageProvenance } from "./provenance.ts";
import type { Pipeline } from "./stage.ts";

/** Whether a stage's current result is in the store. */
export type Freshness = "fresh" | "stale" | "missing";

/** One stage as `status` sees it. */
export interface StageState {
  readonly id: string;
  readonly state: Freshness;
  /** The current key, when all its inputs are fresh (otherwise it cannot be known yet). */
  readonly key?: Hash;
  /** What changed since the stage's latest stored result (empty when fresh or missing). */
  readonly changes: readonly Change[];
  /** Inputs whose stage is not fresh: input name → stage id. */
  readonly waiting: Readonly<Record<string, string>>;
  /** True when the only change is the stage's code (`accept` can re-key it). */
  readonly codeOnly: boolean;
  /** Set when the stored result for the current key was damaged. */
  readonly damaged?: string;
}

/** The answer of `status`. */
export interface StatusReport {
  readonly kind: "status";
  readonly stages: readonly StageState[];
  readonly store: { readonly entries: number; readonly bytes: number };
  /** Stages whose results the graph waits on before it grows (see `Plan.pending`). */
  readonly pending?: readonly string[];
}

/** The answer of `status --remote`: what the remote holds of the stages not fresh here. */
export interface RemoteStatus {
  readonly kind: "remote-status";
  readonly url: string;
  /** Requests sent: one per stage not fresh here whose key could be known. */
  readonly requests: number;
  /** Stages not fresh here. */
  readonly notHere: number;
  /** Of those, how many the remote holds a trusted result for. */
  readonly available: number;
  /** Per family (`train/*`), in graph order: how many stages not here are in each case. */
  readonly families: readonly {
    readonly family: string;
    /** The remote holds a trusted result for its key. */
    readonly available: number;
    /** The remote has no entry for its key. */
    readonly absent: number;
    /** The remote's entry cannot be used (see `reasons`). */
    readonly rejected: number;
    /** Its key is unknown: an input is neither here nor on the remote. */
    readonly waiting: number;
    /** The remote failed when asked. */
    readonly failed: number;
  }[];
  /** Why entries were rejected, failed or waited, each with how many stages. */
  readonly reasons: readonly { readonly detail: string; readonly count: number }[];
}

/** The answer of `dag`. */
export interface DagDrawn {
  readonly kind: "dag";
  /** One line per stage: `id ← inputs`. */
  readonly text: string;
  /** Stages whose results the graph waits on before it grows (see `Plan.pending`). */
  readonly pending?: readonly string[];
  /** Path of the SVG, relative to the root. */
  readonly svg: string;
}

/** One stage of a `why` answer. */
export interface WhyStage {
  readonly id: string;
  /** Steps back from the artifact's stage along inputs (0 for that stage itself). */
  readonly depth: number;
  readonly record: StageProvenance;
  /** Whether `.psinv/` still holds the result of this key (`gc` may have dropped it). */
  readonly stored: boolean;
}

/** The answer of `why <artifact>`: how a published file was made, back to the sources. */
export interface WhyAnswer {
  readonly kind: "why";
  /** The file, relative to `artifacts/`. */
  readonly path: string;
  readonly hash: Hash;
  /** The stage that published it, then every stage upstream, nearest first. */
  readonly stages: readonly WhyStage[];
  /** The code of every stage listed, by code hash. */
  readonly code: Readonly<Record<string, CodeProvenance>>;
  /** List every upstream stage rather than a few of each family. */
  readonly all: boolean;
}

/** An experiment's comparison of two materialised sets of results (`Pipeline.compare`). */
export type CompareHook = Awaited<ReturnType<NonNullable<Pipeline["compare"]>>>;

/** What the engine hands a {@linkcode CompareHook}. */
export type CompareInput = Parameters<CompareHook>[0];

/** How one stage differs between the current parameters and a variant. */
export interface StageDiff {
  readonly id: string;
  /** `changed`: both have it with other keys; `added`/`removed`: only the variant/current has it. */
  readonly kind: "changed" | "added" | "removed";
  /** What differs in its key (empty for added and removed stages). */
  readonly changes: readonly Change[];
}

/** The answer of `compare`. */
export interface CompareDone {
  readonly kind: "compare";
  /** The stages whose keys differ, in topological order. */
  readonly stages: readonly StageDiff[];
  /** Stages with the same key on both sides. */
  readonly unchanged: number;
  /** Stages executed for either side (the store lacked them) and reused. */
  readonly executed: number;
  readonly cached: number;
  /** Published paths whose content differs. */
  readonly changed: readonly string[];
  /** The experiment's own summary (metric deltas, verdicts), when it has one. */
  readonly lines: readonly string[];
  /** The comparison page, relative to the root, when one was written. */
  readonly page?: string;
}

/** The answer of `gc`. */
export interface GcDone {
  readonly kind: "gc-done";
  readonly removed: number;
  readonly freedBytes: number;
  readonly keep: number;
  readonly store: { readonly entries: number; readonly bytes: number };
}

/** The answer of `gc --remote` (with `--dry-run`: what it would delete). */
export interface RemoteGcReport {
  readonly kind: "remote-gc-done";
  readonly url: string;
  readonly dryRun: boolean;
  readonly keep: number;
  /** Objects younger than this many seconds before the gc's start were spared. */
  readonly graceSeconds: number;
  /** What was deleted (would be, with `--dry-run`), entries first. */
  readonly deleted: readonly {
    readonly path: string;
    readonly size: number;
    readonly why: "unneeded" | "revoked" | "unreadable" | "orphan" | "temporary";
    readonly stage?: string;
  }[];
  /** Entries and bundles left. */
  readonly kept: { readonly entries: number; readonly bundles: number };
  /** Objects that changed between the listing and their deletion, and were spared. */
  readonly spared: number;
  /** Requests sent to decide (listings, entries read, the clock). */
  readonly requests: number;
}

/** The answer of `verify --remote --sample N`: a re-run of remote results, compared byte for byte. */
export interface AuditDone {
  readonly kind: "audit-done";
  readonly url: string;
  /** The sample's seed: `--seed` repeats the audit. */
  readonly seed: number;
  /** Stages the sample was drawn from (results here that came from the remote). */
  readonly candidates: number;
  /** Each stage re-run, in graph order. */
  readonly audited: readonly {
    readonly stage: string;
    readonly key: Hash;
    /** Who signed the remote's result. */
    readonly signer: string;
    /** `same` bytes, bytes that `differ` (then set aside here), or the re-run `failed`. */
    readonly verdict: "same" | "differs" | "failed";
    /** The files that differ. */
    readonly files?: readonly string[];
    /** Why the re-run failed. */
    readonly detail?: string;
  }[];
}

/** `trust --revoke` moved a key from the trusted keys to the revoked ones. */
export interface KeyRevoked {
  readonly kind: "key-revoked";
  readonly key: string;
  /** Its name in the file, or the one given. */
  readonly name: string;
  /** The trusted-keys file, relative to the root. */
  readonly file: string;
  /** With a remote: its entries signed by that key, which `gc --remote` will delete. */
  readonly entries?: readonly { readonly key: Hash; readonly stage: string }[];
  readonly url?: string;
}

/** The answer of `verify`. */
export interface VerifyDone {
  readonly kind: "verify-done";
  readonly checked: number;
  readonly damaged: readonly {
    readonly key: string;
    readonly stage: string;
    readonly detail: string;
  }[];
}

/** `accept` re-keyed a stage's latest result to its current code without rerunning it. */
export interface Accepted {
  readonly kind: "accepted";
  readonly stage: string;
  readonly from: Hash;
  readonly to: Hash;
  /** Edited modules, when known. */
  readonly files: readonly string[];
}

/** `accept` found the stage already fresh: nothing to do. */
export interface AcceptUnneeded {
  readonly kind: "accept-unneeded";
  readonly stage: string;
}

/** The answer of `push`. */
export interface PushDone {
  readonly kind: "push-done";
  readonly url: string;
  /** Results uploaded. */
  readonly pushed: number;
  /** Results the remote already had, validly signed. */
  readonly present: number;
  /** Bytes of the bundles uploaded. */
  readonly bytes: number;
  /** Selected stages with no current result here (nothing to push). */
  readonly missing: readonly string[];
  readonly seconds: number;
  /** Set when the project does not trust the key that signed the uploads (others reject them). */
  readonly untrusted?: { readonly key: string; readonly file: string };
}

/** The answer of `pull`. */
export interface PullDone {
  readonly kind: "pull-done";
  readonly url: string;
  /** Results downloaded and stored. */
  readonly pulled: number;
  /** Results the local store already had. */
  readonly present: number;
  /** With `--verify`: of those here already, how many were checked against the remote too. */
  readonly verified: number;
  /** Bytes of the bundles downloaded. */
  readonly bytes: number;
  /** Stages the remote has no entry for (or whose inputs are missing). */
  readonly missing: readonly string[];
  /** Stages whose remote entry was rejected (each reported by `remote-rejected`). */
  readonly rejected: readonly string[];
  readonly seconds: number;
}

/** `trust` added a public key to the project's trusted keys. */
export interface KeyTrusted {
  readonly kind: "key-trusted";
  readonly key: string;
  readonly name: string;
  /** The trusted-keys file, relative to the root. */
  readonly file: string;
  /** The key was listed already: nothing was written. */
  readonly already: boolean;
}
