/**
 * A bound on concurrent requests: a remote is asked many things at once when a wide layer of
 * stages becomes ready together, and a few requests in flight use the link as well as hundreds.
 *
 * @module
 */

/**
 * A function that runs tasks with at most `size` of them in flight, the rest waiting in order.
 *
 * @example
 * ```ts
 * import { limiter } from "./limit.ts";
 * const limit = limiter(2);
 * let running = 0, most = 0;
 * const task = async () => {
 *   most = Math.max(most, ++running);
 *   await new Promise((r) => setTimeout(r, 1));
 *   running--;
 * };
 * await Promise.all([1, 2, 3, 4].map(() => limit(task)));
 * most; // 2
 * ```
 */
export function limiter(size: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= size) await new Promise<void>((resolve) => waiting.push(resolve));
    else active++;
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}
