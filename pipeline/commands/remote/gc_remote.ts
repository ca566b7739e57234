/**
 * `gc --remote <url> [--keep K] [--grace D] [--dry-run]`: deletes from the remote what no
 * current stage and none of the K newest results of each stage id need (`remote/remote_gc.ts`
 * states the rules, and why a concurrent upload is never lost). The current keys are resolved
 * here and on the remote, so a clone that holds nothing still keeps what it would pull.
 *
 * @module
 */
import type { CodeFingerprint } from "../../key/mod.ts";
import {
  err,
  type Failure,
  type Hash,
  ok,
  type RemoteGcReport,
  type Result,
} from "../../core/mod.ts";
import {
  type Doomed,
  planRemoteGc,
  type RemoteCache,
  runRemoteGc,
  type TransportError,
} from "../../remote/mod.ts";
import type { Plan } from "../../run/mod.ts";
import type { CommandContext } from "../context.ts";
import { locked } from "../locked.ts";
import { resolveRemote } from "./remote_keys.ts";

/** Options of {@linkcode gcRemote}. */
export interface GcRemoteOptions {
  readonly plan: Plan;
  /** Stage ids whose current results stay, topological order, closed under inputs. */
  readonly ids: readonly string[];
  readonly code: ReadonlyMap<string, CodeFingerprint>;
  readonly remote: RemoteCache;
  /** Keep this many newest results of each stage id besides the current ones. */
  readonly keep: number;
  /** Objects younger than this many seconds before the gc's start stay. */
  readonly graceSeconds: number;
  /** Only say what would go. */
  readonly dryRun: boolean;
}

/**
 * Collects the remote's garbage and emits `remote-gc-done`.
 *
 * @example
 * ```ts ignore
 * await gcRemote(ctx, { plan, ids, code, remote, keep: 0, graceSeconds: 3600, dryRun: true });
 * ```
 */
export async function gcRemote(
  ctx: CommandContext,
  opts: GcRemoteOptions,
): Promise<Result<number, Failure>> {
  return await locked(ctx, async (store) => {
    const { remote } = opts;
    const { states, requests } = await resolveRemote({ ...opts, store });
    const live = new Set<Hash>();
    for (const s of states.values()) {
      if (s.kind === "failed") return err(failed(remote.url, s.detail));
      if (s.kind !== "waiting") live.add(s.key);
    }
    const plan = await planRemoteGc(remote, {
      live,
      keep: opts.keep,
      graceMs: opts.graceSeconds * 1000,
    });
    if (!plan.ok) return err(refused(remote.url, plan.error));
    const report = {
      kind: "remote-gc-done" as const,
      url: remote.url,
      dryRun: opts.dryRun,
      keep: opts.keep,
      graceSeconds: opts.graceSeconds,
      requests: requests + plan.value.requests,
    };
    if (opts.dryRun) {
      ctx.emit({
        ...report,
        deleted: plan.value.doomed.map(shown),
        kept: plan.value.kept,
        spared: 0,
      });
      return ok(0);
    }
    const done = await runRemoteGc(remote, plan.value);
    if (!done.ok) return err(refused(remote.url, done.error));
    const gone = new Set(done.value.deleted.map((d) => d.path));
    ctx.emit({
      ...report,
      deleted: plan.value.doomed.filter((d) => gone.has(d.path)).map(shown),
      kept: {
        entries: plan.value.kept.entries +
          plan.value.doomed.filter((d) => isEntry(d) && !gone.has(d.path)).length,
        bundles: plan.value.kept.bundles +
          plan.value.doomed.filter((d) => d.why === "orphan" && !gone.has(d.path)).length,
      },
      spared: done.value.spared,
    });
    return ok(0);
  });
}

/** Whether gc dooms it as an entry (not a bundle or a temporary file). */
function isEntry(d: Doomed): boolean {
  return d.why === "unneeded" || d.why === "revoked" || d.why === "unreadable";
}

function shown(d: Doomed): RemoteGcReport["deleted"][number] {
  const { modified: _, ...rest } = d;
  return rest;
}

function failed(url: string, detail: string): Failure {
  return {
    reason: "remote-failed",
    url,
    detail,
    hint: "nothing was deleted; run gc again once the remote answers",
  };
}

/** A server that will not list or delete is bad input (exit 2); any other error, a failure. */
function refused(url: string, e: TransportError): Failure {
  if (e.kind === "unsupported" || e.kind === "denied") {
    const listing = e.detail.includes("does not list");
    return {
      reason: "remote-invalid",
      url,
      detail: listing
        ? e.detail
        : e.kind === "denied"
        ? `it refuses to delete (${e.detail})`
        : `it does not take DELETE (${e.detail})`,
      hint: listing
        ? "gc --remote needs folder listings"
        : e.kind === "denied"
        ? "set credentials that may delete"
        : "allow it: nginx `dav_methods PUT DELETE;`",
    };
  }
  return {
    reason: "remote-failed",
    url,
    detail: e.detail,
    hint: "what was deleted stays deleted, every entry left has its bundle; run gc again",
  };
}
