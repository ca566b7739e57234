/**
 * `push`: uploads the current results of the selected stages (and of what they need) to the
 * remote, each as a bundle and then its signed entry, several at once. Results the remote holds
 * already, validly signed and whole, are left. The remote failing stops the push with one line;
 * what went up before is complete, and a rerun finishes the rest.
 *
 * @module
 */
import type { CodeFingerprint } from "../../key/mod.ts";
import {
  entryDir,
  err,
  type Failure,
  type Hash,
  limiter,
  ok,
  outDir,
  type Result,
} from "../../core/mod.ts";
import type { RemoteCache, RemoteUpload, UploadError } from "../../remote/mod.ts";
import type { Plan } from "../../run/mod.ts";
import type { CommandContext } from "../context.ts";
import { locked } from "../locked.ts";
import { stageStates } from "../status.ts";

/** Results uploading at once (each is a few requests; the remote bounds requests too). */
const PUSH_CONCURRENCY = 8;

/** Options of {@linkcode push}. */
export interface PushOptions {
  readonly plan: Plan;
  /** Stage ids to push, topological order, closed under inputs. */
  readonly ids: readonly string[];
  readonly code: ReadonlyMap<string, CodeFingerprint>;
  /** The remote, with a signing key. */
  readonly remote: RemoteCache;
}

/**
 * Pushes under the store lock and emits `push-done`; the exit code is 1 when a selected stage
 * has no current result to push.
 *
 * @example
 * ```ts ignore
 * import { push } from "./push.ts";
 * await push(ctx, { plan, ids, code, remote }); // ok(0)
 * ```
 */
export async function push(
  ctx: CommandContext,
  opts: PushOptions,
): Promise<Result<number, Failure>> {
  return await locked(ctx, async (store) => {
    const started = ctx.now();
    const states = await stageStates({ plan: opts.plan, ids: opts.ids, code: opts.code, store });
    const missing: string[] = [];
    const byKey = new Map<Hash, Promise<Result<RemoteUpload, UploadError> | undefined>>();
    let stopped: UploadError | undefined;
    const limit = limiter(PUSH_CONCURRENCY);
    let pushed = 0, present = 0, bytes = 0;
    const uploads = [...states.values()].map(async ({ state, fresh }) => {
      if (fresh === undefined) {
        missing.push(state.id);
        return;
      }
      // Two ids can share one result: it goes up once.
      let upload = byKey.get(fresh.key);
      const first = upload === undefined;
      if (upload === undefined) {
        upload = limit(() =>
          // After a failure, what has not started is not tried.
          stopped ? Promise.resolve(undefined) : opts.remote.upload({
            manifest: fresh,
            dir: outDir(entryDir(store.dir, fresh.key)),
          })
        );
        byKey.set(fresh.key, upload);
      }
      const r = await upload;
      if (r === undefined || !first) return;
      if (!r.ok) {
        stopped ??= r.error;
      } else if (r.value.kind === "present") {
        present++;
      } else {
        pushed++;
        bytes += r.value.bytes;
        ctx.emit({ kind: "stage-uploaded", stage: state.id, key: fresh.key, bytes: r.value.bytes });
      }
    });
    await Promise.all(uploads);
    if (stopped !== undefined) return err(uploadFailure(opts.remote.url, stopped, pushed));
    const signer = opts.remote.signer?.id;
    const trusted = opts.remote.trusted;
    ctx.emit({
      kind: "push-done",
      url: opts.remote.url,
      pushed,
      present,
      bytes,
      missing: opts.ids.filter((id) => missing.includes(id)),
      seconds: (ctx.now() - started) / 1000,
      ...(signer !== undefined && !trusted.keys.some((k) => k.key === signer)
        ? { untrusted: { key: signer, file: trusted.file } }
        : {}),
    });
    return ok(missing.length > 0 ? 1 : 0);
  });
}

/** The failure a push stops with. */
function uploadFailure(url: string, e: UploadError, pushed: number): Failure {
  const done = `${pushed} result(s) went up complete before it stopped; rerun push to finish`;
  switch (e.kind) {
    case "denied":
      return {
        reason: "remote-invalid",
        url,
        detail: `it refused an upload (${e.detail})`,
        hint:
          "set credentials that may write: PSINV_REMOTE_TOKEN, or PSINV_REMOTE_USER and PSINV_REMOTE_PASSWORD",
      };
    case "damaged":
      return {
        reason: "io-failed",
        path: url,
        detail: `a local result changed while it was pushed: ${e.detail}`,
        hint: "run `deno task verify`, then push again",
      };
    case "unreachable":
    case "unsupported":
    case "failed":
      return { reason: "remote-failed", url, detail: e.detail, hint: done };
  }
}
