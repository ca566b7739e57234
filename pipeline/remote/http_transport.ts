/**
 * The remote over HTTP: plain `GET`, `HEAD` and `PUT` of object paths under a base URL, so any
 * server that stores a `PUT` body (nginx's WebDAV module, Apache `mod_dav`, an S3 gateway)
 * serves as one. Requests time out; a lost connection or a busy server (429, 502, 503, 504) is
 * retried twice with a short pause, anything else is answered at once.
 *
 * @module
 */
import { err, ok, type Result } from "../core/mod.ts";
import { oneLine, type Transport, type TransportError } from "./transport.ts";

/** Options of {@linkcode httpTransport}. */
export interface HttpTransportOptions {
  /** The base URL, ending in `/`. */
  readonly base: string;
  /** The URL as shown in messages. */
  readonly url: string;
  /** The `Authorization` header to send, if any. */
  readonly authorization?: string;
  /** A request (with its body) not done within this many ms fails as unreachable. */
  readonly timeoutMs?: number;
  /** Pauses (ms) before each retry of a lost connection or a busy server. */
  readonly retryDelaysMs?: readonly number[];
}

/** Default options of {@linkcode httpTransport}. */
export const httpDefaults = {
  timeoutMs: 120_000,
  retryDelaysMs: [200, 1000],
} as const satisfies Partial<HttpTransportOptions>;

const RETRIED = new Set([429, 502, 503, 504]);

/**
 * A transport speaking HTTP to the remote at `opts.base`.
 *
 * @example
 * ```ts ignore
 * import { httpTransport } from "./http_transport.ts";
 * const t = httpTransport({ base: "http://127.0.0.1:8080/", url: "http://127.0.0.1:8080" });
 * await t.get("ac/0123…"); // { ok: true, value: undefined } when there is no such entry
 * ```
 */
export function httpTransport(opts: HttpTransportOptions): Transport {
  const timeoutMs = opts.timeoutMs ?? httpDefaults.timeoutMs;
  const delays = opts.retryDelaysMs ?? httpDefaults.retryDelaysMs;
  const headers: Record<string, string> = opts.authorization
    ? { authorization: opts.authorization }
    : {};

  /** Sends one request, retrying what may pass; `read` consumes a successful response. */
  async function request<T>(
    method: "GET" | "HEAD" | "PUT",
    path: string,
    read: (res: Response) => Promise<T>,
    body?: Uint8Array<ArrayBuffer>,
  ): Promise<Result<T | undefined, TransportError>> {
    const what = `${method} ${path}`;
    let last: TransportError = { kind: "unreachable", detail: `${what}: no attempt made` };
    for (let attempt = 0; attempt <= delays.length; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, delays[attempt - 1]));
      let res: Response;
      try {
        res = await fetch(opts.base + path, {
          method,
          headers: body ? { ...headers, "content-type": "application/octet-stream" } : headers,
          ...(body ? { body } : {}),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (e) {
        last = { kind: "unreachable", detail: `${what}: ${describe(e, timeoutMs)}` };
        continue;
      }
      if (res.ok) {
        try {
          return ok(await read(res));
        } catch (e) {
          // The connection broke while the body was read.
          last = { kind: "unreachable", detail: `${what}: ${describe(e, timeoutMs)}` };
          continue;
        }
      }
      await res.body?.cancel();
      const status = `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ""}`;
      if (res.status === 404 && method !== "PUT") return ok(undefined);
      if (res.status === 401 || res.status === 403) {
        return err({ kind: "denied", detail: `${what}: ${status}` });
      }
      last = { kind: "failed", detail: `${what}: ${status}` };
      if (!RETRIED.has(res.status)) return err(last);
    }
    return err(last);
  }

  return {
    url: opts.url,
    get: (path) => request("GET", path, async (res) => new Uint8Array(await res.arrayBuffer())),
    head: (path) =>
      request("HEAD", path, (res) => {
        const length = res.headers.get("content-length");
        return Promise.resolve(length === null ? 0 : Number(length));
      }),
    put: async (path, body) => {
      const r = await request("PUT", path, async (res) => {
        await res.body?.cancel();
      }, body);
      return r.ok ? ok(undefined) : r;
    },
  };
}

function describe(e: unknown, timeoutMs: number): string {
  if (e instanceof DOMException && e.name === "TimeoutError") {
    return `no answer within ${timeoutMs / 1000} s`;
  }
  // fetch says "fetch failed" and keeps what happened in its cause, behind the URL.
  const cause = e instanceof Error && e.cause instanceof Error ? e.cause.message : undefined;
  return oneLine(
    cause === undefined ? e : cause.replace(/^error sending request for url \([^)]*\): /, ""),
  );
}
