/**
 * `gc`: drops stored results the current parameters and code do not need, keeping the newest few
 * of each stage so stepping back a parameter value does not recompute.
 *
 * @module
 */
import type { CodeFingerprint } from "../key/mod.ts";
import { type Failure, type Hash, ok, type Result } from "../core/mod.ts";
import type { Plan } from "../run/mod.ts";
import type { CommandContext } from "./context.ts";
import { locked } from "./locked.ts";
import { stageStates } from "./status.ts";

/** Options of {@linkcode gc}. */
export interface GcOptions {
  /** The parameters and graph the current results belong to. */
  readonly plan: Plan;
  /** Stage ids whose current results stay, topological order, closed under inputs. */
  readonly ids: readonly string[];
  /** Module URL → code fingerprint, for every module of `ids`. */
  readonly code: ReadonlyMap<string, CodeFingerprint>;
  /** Keep this many newest results of each stage besides the current ones. */
  readonly keep: number;
}

/**
 * Collects garbage under the store lock and emits `gc-done` with what was removed and freed.
 *
 * @example
 * ```ts ignore
 * import { gc } from "./gc.ts";
 * await gc(ctx, { plan, ids, code, keep: 3 });
 * ```
 */
export async function gc(ctx: CommandContext, opts: GcOptions): Promise<Result<number, Failure>> {
  return await locked(ctx, async (store) => {
    const states = await stageStates({
      plan: opts.plan,
      ids: opts.ids,
      code: opts.code,
      store,
    });
    const live = new Set<Hash>();
    for (const s of states.values()) if (s.fresh) live.add(s.fresh.key);
    const { removed, freedBytes } = await store.gc({ live, keepLast: opts.keep });
    ctx.emit({
      kind: "gc-done",
      removed,
      freedBytes,
      keep: opts.keep,
      store: await store.size(),
    });
    return ok(0);
  });
}
