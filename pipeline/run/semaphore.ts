/**
 * A counting semaphore: how the scheduler bounds the stages running at once, and how a SLURM
 * batch bounds the stages its worker pool runs at once.
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
