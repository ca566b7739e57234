/**
 * Returning a transfer's spent chunks to the system as it goes. A chunk handed to `fetch` (or
 * read from a response) is memory outside V8's heap that only a garbage collection frees, and
 * V8 starts one only after some 64 MiB of such memory: a streamed transfer of any size would
 * then hold that much on top of what the process needs. Asking for a collection every
 * {@linkcode RELEASE_EVERY} bytes keeps a transfer's memory near that figure instead; a full
 * collection of this engine's small heap takes milliseconds.
 *
 * @module
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/** Bytes moved between two collections. */
export const RELEASE_EVERY = 16 * 1024 * 1024;

let collect: (() => void) | null | undefined;

/** V8's collector, exposed once; `null` where the runtime refuses. */
function collector(): (() => void) | null {
  if (collect !== undefined) return collect;
  let found: (() => void) | null = null;
  try {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc");
    if (typeof gc === "function") found = gc;
  } catch {
    // A runtime without the flag: transfers still work, holding more memory.
  }
  collect = found;
  return found;
}

/**
 * Counts bytes moved; every {@linkcode RELEASE_EVERY} of them, collects garbage.
 *
 * @example
 * ```ts
 * import { releaser } from "./_release.ts";
 * const moved = releaser();
 * moved(1024); // collects once 16 MiB have been counted
 * ```
 */
export function releaser(): (bytes: number) => void {
  let since = 0;
  return (bytes) => {
    since += bytes;
    if (since < RELEASE_EVERY) return;
    since = 0;
    collector()?.();
  };
}
