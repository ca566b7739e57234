/**
 * `verify`: re-hashes every stored result and names the damaged ones.
 *
 * @module
 */
import { type Failure, ok, type Result } from "../core/mod.ts";
import type { CommandContext } from "./context.ts";
import { locked } from "./locked.ts";

/**
 * Verifies the whole store under its lock and emits `verify-done`; the exit code is 1 when any
 * result is damaged, else 0.
 *
 * @example
 * ```ts ignore
 * import { verify } from "./verify.ts";
 * const code = await verify(ctx); // ok(0) on a clean store
 * ```
 */
export async function verify(ctx: CommandContext): Promise<Result<number, Failure>> {
  return await locked(ctx, async (store) => {
    const { checked, damaged } = await store.verify();
    ctx.emit({ kind: "verify-done", checked, damaged });
    return ok(damaged.length === 0 ? 0 : 1);
  });
}
