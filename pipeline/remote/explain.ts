/**
 * Why a stage's key here differs from the one another machine uploaded for the same stage id:
 * its parameters, its code (which files, the Deno version, npm versions), its version or the
 * engine's format, named as `status` names them. Keys that silently differ between machines
 * would otherwise turn a shared cache into misses nobody can explain.
 *
 * @module
 */
import type { Change } from "../core/mod.ts";
import { type CodeFingerprint, diffFingerprints, type Fingerprint } from "../key/mod.ts";
import type { Hash } from "../core/mod.ts";
import type { Manifest } from "../store/mod.ts";
import type { RemoteCache } from "./remote_cache.ts";

/** What differs between the remote's result of a stage and the one asked for here. */
export interface KeyDifference {
  /** The changes from the remote's fingerprint to ours; input changes are left out. */
  readonly changes: readonly Change[];
  /** The Deno versions, when they differ (remote's, then ours). */
  readonly deno?: { readonly before: string; readonly after: string };
  /** npm packages whose resolved versions differ: `name before → after`. */
  readonly npm?: readonly string[];
}

/**
 * The difference from `theirs` (the remote's latest result of the stage) to the fingerprint and
 * code asked for here; `undefined` when only inputs differ (the stage upstream says why) or
 * nothing does.
 *
 * @example
 * ```ts ignore
 * explainDifference(theirs, fingerprint, code);
 * // { changes: [{ kind: "code", files: [] }], deno: { before: "2.9.5", after: "2.9.6" } }
 * ```
 */
export function explainDifference(
  theirs: Manifest,
  fingerprint: Fingerprint,
  code: CodeFingerprint,
): KeyDifference | undefined {
  const changes = diffFingerprints(theirs.fingerprint, fingerprint, {
    ...(theirs.code ? { before: theirs.code.files } : {}),
    after: code.files,
  }).filter((c) => c.kind !== "input");
  if (changes.length === 0) return undefined;
  const before = theirs.code;
  const npm = before
    ? [...new Set([...Object.keys(before.npm), ...Object.keys(code.npm)])].sort()
      .filter((name) => before.npm[name] !== code.npm[name])
      .map((name) => `${name} ${before.npm[name] ?? "(none)"} → ${code.npm[name] ?? "(none)"}`)
    : [];
  return {
    changes,
    ...(before && before.deno !== code.deno
      ? { deno: { before: before.deno, after: code.deno } }
      : {}),
    ...(npm.length > 0 ? { npm } : {}),
  };
}

/**
 * After a miss for `key`: what differs from the result the remote last received for the same
 * stage id, if it has one under another key (see {@linkcode explainDifference}).
 *
 * @example
 * ```ts ignore
 * const why = await whyMissed(remote, { stage: "train/a", key, fingerprint, code });
 * ```
 */
export async function whyMissed(
  remote: RemoteCache,
  asked: {
    readonly stage: string;
    readonly key: Hash;
    readonly fingerprint: Fingerprint;
    readonly code: CodeFingerprint;
  },
): Promise<KeyDifference | undefined> {
  const theirs = await remote.latest(asked.stage);
  return theirs && theirs.key !== asked.key
    ? explainDifference(theirs, asked.fingerprint, asked.code)
    : undefined;
}
