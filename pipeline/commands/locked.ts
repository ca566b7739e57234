/**
 * The store lock around a command that writes to the store (`reproduce`, `gc`, `accept`) or must
 * not see another command's half-written entries (`verify`).
 *
 * @module
 */
import { acquireLock, type Lock, openStore, type Store } from "../store/mod.ts";
import type { Failure, Result } from "../core/mod.ts";
import type { CommandContext } from "./context.ts";

/**
 * Runs `body` holding the store lock, after sweeping what killed runs left behind.
 *
 * @example
 * ```ts ignore
 * import { locked } from "./locked.ts";
 * const code = await locked(ctx, async (store) => ok((await store.verify()).damaged.length));
 * ```
 */
export async function locked(
  ctx: CommandContext,
  body: (store: Store) => Promise<Result<number, Failure>>,
): Promise<Result<number, Failure>> {
  const lock: Result<Lock, Failure> = await acquireLock(ctx.root, {
    onWait: (h) => ctx.emit({ kind: "lock-wait", pid: h.pid, since: h.since }),
  });
  if (!lock.ok) return lock;
  try {
    const store = await openStore(ctx.root);
    const removed = await store.sweep();
    ctx.emit({ kind: "store-swept", removed });
    return await body(store);
  } finally {
    await lock.value.release();
  }
}
