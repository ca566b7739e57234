/**
 * The time limit for executors that do not enforce one themselves (the local one): a stage still
 * running at its limit is aborted and reported as `stage-timeout`, instead of waiting forever.
 *
 * @module
 */
import { err, type StageDecl } from "../core/mod.ts";
import { formatTimeLimit } from "../core/mod.ts";
import type { Executor } from "./executor.ts";

/**
 * Wraps an executor so each job is aborted once `limitOf(decl)` seconds have passed (no limit
 * when it returns `undefined`). A stage that finished just as the limit passed keeps its result.
 *
 * @example
 * ```ts ignore
 * const executor = withTimeLimit(localExecutor(), (decl) => 60);
 * ```
 */
export function withTimeLimit(
  inner: Executor,
  limitOf: (decl: StageDecl) => number | undefined,
): Executor {
  return {
    async run(job) {
      const limit = limitOf(job.decl);
      if (limit === undefined) return await inner.run(job);
      const timer = new AbortController();
      const id = setTimeout(() => timer.abort(), limit * 1000);
      const signal = job.signal ? AbortSignal.any([job.signal, timer.signal]) : timer.signal;
      try {
        const ran = await inner.run({ ...job, signal });
        if (ran.ok || !timer.signal.aborted || job.signal?.aborted) return ran;
        return err({ reason: "stage-timeout", stage: job.decl.id, limit: formatTimeLimit(limit) });
      } finally {
        clearTimeout(id);
      }
    },
    close: (hurry) => inner.close(hurry),
  };
}
