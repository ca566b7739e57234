/**
 * `pull`: fills the local store from the remote with the current results of the selected stages
 * (and of what they need), without running any. A stage's key needs its inputs' content, so
 * stages are taken in graph order, each once its inputs are here. Every download is checked
 * (signature by a trusted key, bundle hash, every file) before it enters the store by the
 * store's atomic write path; with `--verify`, results already here are checked against the
 * remote too. The remote failing stops the pull with one line; what was stored is complete.
 *
 * @module
 */
import { type CodeFingerprint, stageKey } from "../../key/mod.ts";
import { err, type Failure, ok, type Result } from "../../core/mod.ts";
import {
  downloadResult,
  outputsMismatch,
  type RemoteCache,
  type TransportError,
  whyMissed,
} from "../../remote/mod.ts";
import { fingerprintOf, type Plan } from "../../run/mod.ts";
import type { Manifest } from "../../store/mod.ts";
import type { CommandContext } from "../context.ts";
import { locked } from "../locked.ts";

/** Options of {@linkcode pull}. */
export interface PullOptions {
  readonly plan: Plan;
  /** Stage ids to pull, topological order, closed under inputs. */
  readonly ids: readonly string[];
  readonly code: ReadonlyMap<string, CodeFingerprint>;
  readonly remote: RemoteCache;
  /** Also fetch and check the remote entries of results already here. */
  readonly verify: boolean;
}

/** How one stage of a pull ended. */
type Pulled =
  | { readonly kind: "present" | "verified" | "pulled"; readonly manifest: Manifest }
  | { readonly kind: "missing" | "rejected" | "stopped"; readonly manifest?: Manifest };

/**
 * Pulls under the store lock and emits `pull-done`; the exit code is 1 when a selected stage
 * could not be had (not on the remote, or its entry rejected).
 *
 * @example
 * ```ts ignore
 * import { pull } from "./pull.ts";
 * await pull(ctx, { plan, ids, code, remote, verify: false }); // ok(0)
 * ```
 */
export async function pull(
  ctx: CommandContext,
  opts: PullOptions,
): Promise<Result<number, Failure>> {
  return await locked(ctx, async (store) => {
    const started = ctx.now();
    let stopped: Failure | undefined;
    let bytes = 0;
    const stop = (f: Failure): Pulled => {
      stopped ??= f;
      return { kind: "stopped" };
    };
    const remoteDown = (e: TransportError): Pulled =>
      stop({
        reason: "remote-failed",
        url: opts.remote.url,
        detail: e.detail,
        hint: "what was pulled is complete and stays; rerun pull to finish",
      });

    const pending = new Map<string, Promise<Pulled>>();
    const one = async (id: string): Promise<Pulled> => {
      const decl = opts.plan.graph.byId.get(id)!;
      const inputs: Record<string, Manifest["content"]> = {};
      for (const [name, from] of Object.entries(decl.inputs)) {
        const up = await pending.get(from)!;
        if (up.manifest === undefined) return { kind: "missing" };
        inputs[name] = up.manifest.content;
      }
      if (stopped) return { kind: "stopped" };
      const code = opts.code.get(decl.module)!;
      const fingerprint = fingerprintOf(decl, opts.plan.params.get(id)!, inputs, code.hash);
      const key = await stageKey(fingerprint);
      const local = await store.get(key);
      const here = local.kind === "hit" ? local.manifest : undefined;
      if (here && !opts.verify) return { kind: "present", manifest: here };
      const rejected = (detail: string): Pulled => {
        ctx.emit({ kind: "remote-rejected", stage: id, key, detail });
        return { kind: "rejected", ...(here ? { manifest: here } : {}) };
      };
      const found = await opts.remote.lookup(key);
      if (found.kind === "failed") return remoteDown(found.error);
      if (found.kind === "miss") {
        const why = await whyMissed(opts.remote, { stage: id, key, fingerprint, code });
        if (why) ctx.emit({ kind: "remote-differs", stage: id, ...why });
        return { kind: "missing", ...(here ? { manifest: here } : {}) };
      }
      if (found.kind === "rejected") return rejected(found.detail);
      const mismatch = outputsMismatch(found.entry, decl.outputs);
      if (mismatch !== undefined) return rejected(mismatch);
      if (here) {
        // Checked in a scratch folder and dropped: the result here stays as it is.
        const out = await store.scratch();
        try {
          const fetched = await found.fetch(out);
          if (fetched.kind === "failed") return remoteDown(fetched.error);
          if (fetched.kind === "rejected") return rejected(fetched.detail);
        } finally {
          await store.discard(out);
        }
        return here.content === found.entry.manifest.content
          ? { kind: "verified", manifest: here }
          : rejected("its files differ from the result stored here for the same key");
      }
      const got = await downloadResult(store, id, found);
      if (!got.ok) return stop(got.error);
      const fetched = got.value;
      if (fetched.kind === "failed") return remoteDown(fetched.error);
      if (fetched.kind === "rejected") return rejected(fetched.detail);
      bytes += fetched.bytes;
      ctx.emit({ kind: "stage-downloaded", stage: id, key, bytes: fetched.bytes });
      return { kind: "pulled", manifest: fetched.result.manifest };
    };
    for (const id of opts.ids) pending.set(id, one(id));
    const results = new Map<string, Pulled>();
    for (const id of opts.ids) results.set(id, await pending.get(id)!);
    if (stopped) return err(stopped);

    const having = (kind: Pulled["kind"]) =>
      opts.ids.filter((id) => results.get(id)!.kind === kind);
    const missing = having("missing"), rejected = having("rejected");
    ctx.emit({
      kind: "pull-done",
      url: opts.remote.url,
      pulled: having("pulled").length,
      present: having("present").length + having("verified").length,
      verified: having("verified").length,
      bytes,
      missing,
      rejected,
      seconds: (ctx.now() - started) / 1000,
    });
    return ok(missing.length + rejected.length > 0 ? 1 : 0);
  });
}
