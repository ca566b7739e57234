/**
 * Synchronous reads for which a missing file is an answer, not a failure. A cold run asks "is
 * this key stored?" thousands of times and the answer is no; Deno answers no with a `NotFound`
 * error, and capturing its stack trace was the largest single allocation of a cold run at 5,000
 * stages (a quarter of its garbage). These helpers capture no trace for that case; any other
 * error is thrown as it is, for the caller to name.
 *
 * @module
 */

/** Runs `read` with stack capture off; returns `undefined` when the file does not exist. */
function ifPresent<T>(read: () => T): T | undefined {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return read();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/**
 * A file's text, or `undefined` if it does not exist.
 *
 * @example
 * ```ts
 * import { readTextIfPresent } from "./read_if_present.ts";
 * readTextIfPresent("/no/such/file"); // undefined
 * ```
 */
export function readTextIfPresent(path: string): string | undefined {
  return ifPresent(() => Deno.readTextFileSync(path));
}

/**
 * A file's bytes, or `undefined` if it does not exist.
 *
 * @example
 * ```ts
 * import { readBytesIfPresent } from "./read_if_present.ts";
 * readBytesIfPresent("/no/such/file"); // undefined
 * ```
 */
export function readBytesIfPresent(path: string): Uint8Array | undefined {
  return ifPresent(() => Deno.readFileSync(path));
}

/**
 * A path's `stat` (links followed), or `undefined` if nothing is there.
 *
 * @example
 * ```ts
 * import { statIfPresent } from "./read_if_present.ts";
 * statIfPresent("/no/such/file"); // undefined
 * ```
 */
export function statIfPresent(path: string): Deno.FileInfo | undefined {
  return ifPresent(() => Deno.statSync(path));
}
