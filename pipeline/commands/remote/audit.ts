/**
 * `verify --remote <url> --sample N [--seed S]`: re-runs a seeded random sample of the stages
 * whose results here came from the remote (a trusted entry another key signed, with the same
 * content as the result here), each into a scratch folder from the inputs here, and compares
 * the bytes with the remote's signed manifest. A signature says who wrote an entry, not that it
 * is right; training here is bit-reproducible, so a re-run must give the same bytes.
 *
 * A mismatch is reported with the signer's key, and the result here is set aside (`corrupt/`)
 * and replaced by the recomputed one, so later runs here use the right bytes. The remote entry
 * stays until `trust --revoke <key>`: then it is never used again, and `gc --remote` deletes
 * that key's entries.
 *
 * @module
 */
import type { CodeFingerprint } from "../../key/mod.ts";
import { type AuditDone, entryDir, type Failure, ok, outDir, type Result } from "../../core/mod.ts";
import type { RemoteCache } from "../../remote/mod.ts";
import type { Executor, Plan } from "../../run/mod.ts";
import { hashFile } from "../../store/mod.ts";
import type { CommandContext } from "../context.ts";
import { locked } from "../locked.ts";
import { resolveRemote } from "./remote_keys.ts";

/** Options of {@linkcode audit}. */
export interface AuditOptions {
  readonly plan: Plan;
  /** Stage ids to draw from, topological order, closed under inputs. */
  readonly ids: readonly string[];
  readonly code: ReadonlyMap<string, CodeFingerprint>;
  readonly remote: RemoteCache;
  /** How many stages to re-run. */
  readonly sample: number;
  /** The sample's seed (printed, so the audit can be repeated). */
  readonly seed: number;
  /** This machine's own public key, if it has one: results it signed need no audit here. */
  readonly ownKey?: string;
  /** Where the stages re-run. */
  readonly executor: () => Executor;
}

/**
 * Audits the sample under the store lock and emits `audit-done`; the exit code is 1 when a
 * re-run differs from the remote's result or could not be done.
 *
 * @example
 * ```ts ignore
 * await audit(ctx, { plan, ids, code, remote, sample: 5, seed: 42, executor: localExecutor });
 * ```
 */
export async function audit(
  ctx: CommandContext,
  opts: AuditOptions,
): Promise<Result<number, Failure>> {
  return await locked(ctx, async (store) => {
    const { states } = await resolveRemote({ ...opts, store });
    // Candidates: results here whose inputs are here too, and whose remote entry is theirs.
    const candidates: { id: string; key: AuditDone["audited"][number]["key"] }[] = [];
    const entries = new Map<
      string,
      Extract<
        Awaited<ReturnType<RemoteCache["lookup"]>>,
        { kind: "hit" }
      >["entry"]
    >();
    await Promise.all([...states].map(async ([id, s]) => {
      if (s.kind !== "here") return;
      const decl = opts.plan.graph.byId.get(id)!;
      if (Object.values(decl.inputs).some((from) => states.get(from)?.kind !== "here")) return;
      const found = await opts.remote.lookup(s.key);
      if (found.kind !== "hit" || found.entry.manifest.content !== s.manifest.content) return;
      if (found.entry.signer === opts.ownKey) return;
      entries.set(id, found.entry);
    }));
    for (const id of opts.ids) {
      const s = states.get(id)!;
      if (entries.has(id) && s.kind === "here") candidates.push({ id, key: s.key });
    }
    const chosen = sample(candidates, opts.sample, opts.seed);
    const executor = opts.executor();
    const audited: AuditDone["audited"][number][] = [];
    try {
      for (const { id, key } of chosen) {
        const decl = opts.plan.graph.byId.get(id)!;
        const entry = entries.get(id)!;
        const inputs: Record<string, string> = {};
        for (const [name, from] of Object.entries(decl.inputs)) {
          const up = states.get(from)!;
          if (up.kind === "here") inputs[name] = outDir(entryDir(store.dir, up.key));
        }
        const out = await store.scratch();
        const started = ctx.now();
        const ran = await executor.run({
          decl,
          params: opts.plan.params.get(id)!.byName,
          inputs,
          outDir: out,
          onProgress: () => {},
        });
        const base = { stage: id, key, signer: entry.signer };
        if (!ran.ok) {
          await store.discard(out);
          const detail = "reason" in ran.error ? ran.error.reason : ran.error.detail;
          audited.push({ ...base, verdict: "failed", detail });
          continue;
        }
        const differing: string[] = [];
        for (const [file, rec] of Object.entries(entry.manifest.files)) {
          const got = await hashFile(`${out}/${file}`).catch(() => undefined);
          if (got?.hash !== rec.hash || got.size !== rec.size) differing.push(file);
        }
        if (differing.length === 0) {
          await store.discard(out);
          audited.push({ ...base, verdict: "same" });
          continue;
        }
        // The bytes here are the remote's wrong ones: put the recomputed result in their place.
        await store.setAside(key);
        const m = entry.manifest;
        const put = await store.put({
          stage: id,
          fingerprint: m.fingerprint,
          key,
          dir: out,
          outputs: decl.outputs,
          seconds: (ctx.now() - started) / 1000,
          created: new Date(started).toISOString(),
          code: opts.code.get(decl.module)!,
        });
        if (!put.ok) return put;
        audited.push({ ...base, verdict: "differs", files: differing });
      }
    } finally {
      await executor.close();
    }
    ctx.emit({
      kind: "audit-done",
      url: opts.remote.url,
      seed: opts.seed,
      candidates: candidates.length,
      audited,
    });
    return ok(audited.every((a) => a.verdict === "same") ? 0 : 1);
  });
}

/**
 * `n` items drawn without replacement, by a seeded generator (mulberry32), in their order:
 * the same seed and items give the same sample on every machine.
 *
 * @example
 * ```ts
 * import { sample } from "./audit.ts";
 * sample([1, 2, 3, 4, 5], 2, 7).length; // 2
 * ```
 */
export function sample<T>(items: readonly T[], n: number, seed: number): T[] {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const order = items.map((_, i) => i);
  const take = Math.min(n, items.length);
  for (let i = 0; i < take; i++) {
    const j = i + Math.floor(next() * (order.length - i));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order.slice(0, take).sort((a, b) => a - b).map((i) => items[i]!);
}
