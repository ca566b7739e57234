/**
 * A run's use of a remote. After a local miss the remote is asked; a hit is downloaded, checked
 * (signature, bundle, every file) and stored locally; a result the run executes is uploaded in
 * the background. The remote never fails the run: an entry that cannot be used is reported and
 * the stage computed, and the first failure of the remote itself is said once, after which the
 * run goes on without it (or, when only uploads were refused, without uploading).
 *
 * @module
 */
import type { Emit, Failure, Hash, Result, StageDecl } from "../core/mod.ts";
import { ok } from "../core/mod.ts";
import type { CodeFingerprint, Fingerprint } from "../key/mod.ts";
import {
  downloadResult,
  outputsMismatch,
  type RemoteCache,
  type StoredResult,
  type TransportError,
  whyMissed,
} from "../remote/mod.ts";
import type { Store } from "../store/mod.ts";

/** A stage as the remote is asked for it. */
export interface StageToFetch {
  readonly decl: StageDecl;
  readonly key: Hash;
  /** What the key was computed from, and the stage's code, to explain a miss. */
  readonly fingerprint: Fingerprint;
  readonly code: CodeFingerprint;
}

/** What a run asks of its remote. */
export interface RemoteSession {
  /**
   * After a local miss: the remote's result for the stage's key, verified and now in the local
   * store, or `undefined` when the remote has none that can be used (then, if it has the stage
   * under another key, what differs is said). Only a local store failure is an error.
   */
  fetch(stage: StageToFetch): Promise<Result<StoredResult | undefined, Failure>>;
  /** Starts uploading a result the run executed. */
  upload(stage: string, stored: StoredResult): void;
  /** Waits for every upload started. */
  settle(): Promise<void>;
}

/**
 * The session of one run against `remote`.
 *
 * @example
 * ```ts ignore
 * const session = remoteSession(remote, store, emit);
 * const found = await session.fetch(decl, key); // after store.get(key) missed
 * ```
 */
export function remoteSession(remote: RemoteCache, store: Store, emit: Emit): RemoteSession {
  let down = false;
  let uploadsOff = remote.signer === undefined;
  const pending: Promise<void>[] = [];

  const failed = (error: TransportError, uploading: boolean): void => {
    if (down) return;
    if (uploading && error.kind === "denied") {
      if (!uploadsOff) {
        emit({
          kind: "remote-unavailable",
          url: remote.url,
          detail: error.detail,
          uploadsOnly: true,
        });
      }
      uploadsOff = true;
      return;
    }
    down = true;
    emit({ kind: "remote-unavailable", url: remote.url, detail: error.detail, uploadsOnly: false });
  };

  return {
    async fetch({ decl, key, fingerprint, code }) {
      if (down) return ok(undefined);
      const found = await remote.lookup(key);
      const rejected = (detail: string) => {
        emit({ kind: "remote-rejected", stage: decl.id, key, detail });
        return ok(undefined);
      };
      switch (found.kind) {
        case "miss": {
          const why = await whyMissed(remote, { stage: decl.id, key, fingerprint, code });
          if (why) emit({ kind: "remote-differs", stage: decl.id, ...why });
          return ok(undefined);
        }
        case "failed":
          failed(found.error, false);
          return ok(undefined);
        case "rejected":
          return rejected(found.detail);
        case "hit":
          break;
      }
      const mismatch = outputsMismatch(found.entry, decl.outputs);
      if (mismatch !== undefined) return rejected(mismatch);
      const got = await downloadResult(store, decl.id, found);
      if (!got.ok) return got;
      const fetched = got.value;
      if (fetched.kind === "failed") {
        failed(fetched.error, false);
        return ok(undefined);
      }
      if (fetched.kind === "rejected") return rejected(fetched.detail);
      emit({ kind: "stage-downloaded", stage: decl.id, key, bytes: fetched.bytes });
      return ok(fetched.result);
    },
    upload(stage, stored) {
      if (down || uploadsOff) return;
      pending.push(
        remote.upload(stored, { replace: true }).then((r) => {
          if (r.ok) {
            if (r.value.kind === "uploaded") {
              emit({
                kind: "stage-uploaded",
                stage,
                key: stored.manifest.key,
                bytes: r.value.bytes,
              });
            }
          } else if (r.error.kind === "damaged") {
            // Not the remote's fault, but nothing more should go up until the disk is checked.
            failed(
              { kind: "denied", detail: `the local result of ${stage}: ${r.error.detail}` },
              true,
            );
          } else {
            failed(r.error, true);
          }
        }),
      );
    },
    async settle() {
      while (pending.length > 0) await Promise.all(pending.splice(0));
    },
  };
}
