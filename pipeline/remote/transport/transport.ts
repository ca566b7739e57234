/**
 * How bytes reach a remote: a few operations on object paths (`ac/<key>`, `cas/<hash>`), each
 * answering with a value. Not found is an answer, not an error; every other problem is a
 * {@linkcode TransportError}. Large objects travel as streams, so memory stays bounded whatever
 * their size. Implemented over HTTP (`http_transport.ts`) and over a mounted folder
 * (`file_transport.ts`).
 *
 * @module
 */
import type { Result } from "../../core/mod.ts";

/** Why a request to the remote failed. */
export interface TransportError {
  /**
   * `unreachable`: no answer (connection refused, DNS, timeout); `denied`: the remote refused the
   * credentials (HTTP 401 or 403, or a permission error on a share); `unsupported`: the server
   * does not do what was asked (HTTP 405 or 501 to a `DELETE`, a folder it will not list);
   * `failed`: any other error (HTTP 5xx, a full disk).
   */
  readonly kind: "unreachable" | "denied" | "unsupported" | "failed";
  /** One line: the operation, the path and what happened. */
  readonly detail: string;
}

/** An object as a listing or `HEAD` shows it. */
export interface ObjectInfo {
  /** Its size in bytes. */
  readonly size: number;
  /** When it was last written, ms since the epoch by the remote's own clock (whole seconds). */
  readonly modified: number;
}

/** One object of a folder listing. */
export interface ListedObject extends ObjectInfo {
  /** Its name in the folder (hidden names included when the remote shows them). */
  readonly name: string;
}

/**
 * A body to upload that may be large: its size and a way to read it, once per attempt. The
 * stream may end in an error (the bytes read did not match what was expected): the object is
 * then not stored.
 */
export interface StreamBody {
  readonly size: number;
  open(): ReadableStream<Uint8Array<ArrayBuffer>>;
}

/** The object store a remote is, reduced to what the engine needs. */
export interface Transport {
  /** The remote as shown in messages, never with credentials. */
  readonly url: string;
  /** The (small) object at `path`, or `undefined` when there is none. */
  get(path: string): Promise<Result<Uint8Array | undefined, TransportError>>;
  /**
   * The object at `path` as a stream, or `undefined` when there is none; the caller reads it to
   * its end or cancels it. A stream that breaks errors.
   */
  read(path: string): Promise<Result<ReadableStream<Uint8Array> | undefined, TransportError>>;
  /** The size and time of the object at `path`, or `undefined` when there is none. */
  head(path: string): Promise<Result<ObjectInfo | undefined, TransportError>>;
  /**
   * Stores `body` at `path`, replacing what was there. A reader sees the old object or the new
   * one, never part of it: the file transport renames a complete temporary file into place, and
   * nginx's WebDAV module does the same with the request body it received.
   */
  put(
    path: string,
    body: Uint8Array<ArrayBuffer> | StreamBody,
  ): Promise<Result<void, TransportError>>;
  /** Deletes the object at `path`; `false` when there was none. */
  delete(path: string): Promise<Result<boolean, TransportError>>;
  /** The objects directly in `folder` (`ac`, `cas`, …); none when it does not exist. */
  list(folder: string): Promise<Result<ListedObject[], TransportError>>;
  /** The remote's clock now (ms since the epoch, whole seconds): what its times are read against. */
  now(): Promise<Result<number, TransportError>>;
}

/** One line from an error: its message with whitespace runs folded. */
export function oneLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).replace(/\s+/g, " ").trim();
}
