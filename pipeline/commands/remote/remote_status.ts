/**
 * `status --remote`: for each stage not fresh here, whether the remote holds a trusted result
 * for its key, counted per family and per reason, and what asking cost (one request per stage
 * not here).
 *
 * @module
 */
import { type RemoteStatus, stageFamily } from "../../core/mod.ts";
import { type ResolveOptions, resolveRemote } from "./remote_keys.ts";

/**
 * Asks the remote about every selected stage not fresh here.
 *
 * @example
 * ```ts ignore
 * ctx.emit(await remoteStatus({ plan, ids, code, store, remote }));
 * ```
 */
export async function remoteStatus(opts: ResolveOptions): Promise<RemoteStatus> {
  const { states, requests } = await resolveRemote(opts);
  const families = new Map<string, Record<Exclude<RemoteKind, "here">, number>>();
  const reasons = new Map<string, number>();
  let notHere = 0, available = 0;
  for (const [id, s] of states) {
    if (s.kind === "here") continue;
    notHere++;
    if (s.kind === "available") available++;
    const family = stageFamily(id);
    const counts = families.get(family) ??
      { available: 0, absent: 0, rejected: 0, waiting: 0, failed: 0 };
    counts[s.kind]++;
    families.set(family, counts);
    const reason = s.kind === "rejected" || s.kind === "failed"
      ? s.detail
      : s.kind === "waiting"
      ? `an input is neither here nor on the remote (${stageFamily(s.on)})`
      : undefined;
    if (reason !== undefined) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  return {
    kind: "remote-status",
    url: opts.remote.url,
    requests,
    notHere,
    available,
    families: [...families].map(([family, counts]) => ({ family, ...counts })),
    reasons: [...reasons].map(([detail, count]) => ({ detail, count })),
  };
}

type RemoteKind = "here" | "available" | "absent" | "rejected" | "waiting" | "failed";
