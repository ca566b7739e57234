/**
 * A bound on work in flight, first come first served: how the scheduler bounds the stages running
 * at once, a SLURM batch its worker pool, and a remote the requests it is sent at once (a few
 * requests in flight use the link as well as hundreds).
 *
 * @module
 */

/** Hands out at most `size` slots at once; see {@linkcode semaphore}. */
export interface Semaphore {
  /** Resolves, in FIFO order, once a slot is free, to the function that frees it again. */
  acquire(): Promise<() => void>;
}

/**
 * A semaphore of `size` slots (`Infinity`: never waits).
 *
 * @example
 * ```ts
 * import { semaphore } from "./semaphore.ts";
 * const slots = semaphore(1);
 * const release = await slots.acquire();
 * release();
 * ```
 */
export function semaphore(size: number): Semaphore {
  let free = size;
  const waiting: (() => void)[] = [];
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else free++;
  };
  return {
    acquire() {
      if (free > 0) {
        free--;
        return Promise.resolve(release);
      }
      return new Promise((resolve) => waiting.push(() => resolve(release)));
    },
  };
}

/**
 * A function that runs tasks with at most `size` of them in flight, the rest waiting in order: a
 * {@linkcode semaphore} whose slot is freed when the task settles, fulfilled or not.
 *
 * @example
 * ```ts
 * import { limiter } from "./semaphore.ts";
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
  const slots = semaphore(size);
  return async <T>(task: () => Promise<T>): Promise<T> => {
    const release = await slots.acquire();
    try {
      return await task();
    } finally {
      release();
    }
  };
}
