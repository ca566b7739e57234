/**
 * How bytes reach a remote: three operations on object paths (`ac/<key>`, `cas/<hash>`), each
 * answering with a value. Not found is an answer, not an error; every other problem is a
 * {@linkcode TransportError}. Implemented over HTTP (`http_transport.ts`) and over a mounted
 * folder (`file_transport.ts`).
 *
 * @module
 */
import type { Result } from "../core/mod.ts";

/** Why a request to the remote failed. */
export interface TransportError {
  /**
   * `unreachable`: no answer (connection refused, DNS, timeout); `denied`: the remote refused the
   * credentials (HTTP 401 or 403, or a permission error on a share); `failed`: any other error
   * (HTTP 5xx, a full disk).
   */
  readonly kind: "unreachable" | "denied" | "failed";
  /** One line: the operation, the path and what happened. */
  readonly detail: string;
}

/** The object store a remote is, reduced to what the engine needs. */
export interface Transport {
  /** The remote as shown in messages, never with credentials. */
  readonly url: string;
  /** The object at `path`, or `undefined` when there is none. */
  get(path: string): Promise<Result<Uint8Array | undefined, TransportError>>;
  /** The size of the object at `path`, or `undefined` when there is none. */
  head(path: string): Promise<Result<number | undefined, TransportError>>;
  /**
   * Stores `body` at `path`, replacing what was there. A reader sees the old object or the new
   * one, never part of it: the file transport renames a complete temporary file into place, and
   * nginx's WebDAV module does the same with the request body it received.
   */
  put(path: string, body: Uint8Array<ArrayBuffer>): Promise<Result<void, TransportError>>;
}

/** One line from an error: its message with whitespace runs folded. */
export function oneLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).replace(/\s+/g, " ").trim();
}
