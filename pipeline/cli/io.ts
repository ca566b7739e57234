/**
 * The command line's edge with the process: writing to its streams, and the file-system errors
 * that escape a command turned into the one failure they mean.
 *
 * @module
 */
import { type Failure } from "../core/mod.ts";
import { StoreIoError } from "../store/mod.ts";

/** The failure a file-system error escaping a command means; `undefined` for anything else. */
export function asFailure(e: unknown): Failure | undefined {
  if (e instanceof StoreIoError) return e.failure;
  if (
    e instanceof Deno.errors.PermissionDenied || e instanceof Deno.errors.NotFound ||
    e instanceof Deno.errors.AlreadyExists || e instanceof Deno.errors.IsADirectory ||
    e instanceof Deno.errors.NotADirectory
  ) {
    return ioFailed("", e, "check that the project folder is readable and writable");
  }
  return undefined;
}

/** An `io-failed` failure for `path`. */
export function ioFailed(path: string, e: unknown, hint: string): Failure {
  return {
    reason: "io-failed",
    path,
    detail: e instanceof Error ? e.message : String(e),
    hint,
  };
}

/** Writes text to a stream, dropping it once the reader is gone (a closed terminal). */
export function writer(stream: { writeSync(p: Uint8Array): number }): (text: string) => void {
  const encoder = new TextEncoder();
  let gone = false;
  return (text) => {
    if (gone) return;
    let bytes = encoder.encode(text);
    try {
      while (bytes.length > 0) bytes = bytes.subarray(stream.writeSync(bytes));
    } catch {
      // The terminal closed (SIGHUP) or the reader of the pipe left: the run still cancels its
      // jobs and records itself in run.json, it just has no one to tell.
      gone = true;
    }
  };
}
