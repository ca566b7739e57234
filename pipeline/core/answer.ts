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
}

/** The answer of `dag`. */
export interface DagDrawn {
  readonly kind: "dag";
  /** One line per stage: `id ← inputs`. */
  readonly text: string;
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
