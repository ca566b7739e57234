/**
 * The scheduler's bound on stages running at once: the engine's one {@linkcode semaphore}
 * (`core/semaphore.ts`), named here because the scheduler imports it from its own folder.
 *
 * @module
 */
export { type Semaphore, semaphore } from "../core/mod.ts";
