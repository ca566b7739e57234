/**
 * The store's one exception: an unexpected file-system error, neither a miss nor damage. Store
 * operations that return results turn it into an `io-failed` failure; `get()` and the
 * maintenance operations let it through for their caller to report.
 *
 * @module
 */
import type { IoFailed } from "../core/mod.ts";

/**
 * An unexpected file-system error inside the store (not a miss, not damage).
 *
 * @example
 * ```ts
 * import { StoreIoError } from "./store_io_error.ts";
 * const e = new StoreIoError("/p/.psinv/store", new Error("disk full"));
 * e.failure.reason; // "io-failed"
 * ```
 */
export class StoreIoError extends Error {
  /** The failure to report. */
  readonly failure: IoFailed;
  /** Wraps an error met at `path`. */
  constructor(path: string, cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(`Store I/O failed at "${path}": ${detail}`, { cause });
    this.name = "StoreIoError";
    this.failure = {
      reason: "io-failed",
      path,
      detail,
      hint: "check free disk space and permissions of the .psinv folder",
    };
  }
}

/**
 * Runs `fn`, turning any error it throws into a {@linkcode StoreIoError} at `path`.
 *
 * @example
 * ```ts
 * import { io, StoreIoError } from "./store_io_error.ts";
 * await io("/nowhere", () => Deno.readTextFile("/nowhere/x")).catch((e) => e instanceof StoreIoError); // true
 * ```
 */
export async function io<T>(path: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw e instanceof StoreIoError ? e : new StoreIoError(path, e);
  }
}

/** The `io-failed` failure for an error met at `path`. */
export function ioFailure(path: string, e: unknown): IoFailed {
  return new StoreIoError(path, e).failure;
}
