/**
 * The remote over HTTP: plain `GET`, `HEAD`, `PUT` and `DELETE` of object paths under a base URL,
 * so any server that stores a `PUT` body (nginx's WebDAV module, Apache `mod_dav`, an S3
 * gateway) serves as one. Folders are listed by `GET <folder>/` answered as JSON (nginx:
 * `autoindex on; autoindex_format json;`). Large bodies stream both ways. A request that gets no
 * answer, or whose body stalls, for the timeout fails; a lost connection or a busy server (429,
 * 502, 503, 504) is retried twice with a short pause, anything else is answered at once.
 *
 * @module
 */
import { err, ok, type Result } from "../../core/mod.ts";
import {
  type ListedObject,
  type ObjectInfo,
  oneLine,
  type StreamBody,
  type Transport,
  type TransportError,
} from "./transport.ts";

/** Options of {@linkcode httpTransport}. */
export interface HttpTransportOptions {
  /** The base URL, ending in `/`. */
  readonly base: string;
  /** The URL as shown in messages. */
  readonly url: string;
  /** The `Authorization` header to send, if any. */
  readonly authorization?: string;
  /** A request with no answer, or a body with no progress, for this many ms fails as unreachable. */
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

type Method = "GET" | "HEAD" | "PUT" | "DELETE";

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

  /**
   * Sends one request, retrying what may pass; `read` consumes a successful response. The
   * watchdog fails it when nothing moves (no answer, no body bytes) for the timeout.
   */
  async function request<T>(
    method: Method,
    path: string,
    read: (res: Response, alive: () => void) => Promise<T>,
    extra: { readonly body?: Uint8Array<ArrayBuffer> | StreamBody; readonly accept?: string } = {},
  ): Promise<Result<T | undefined, TransportError>> {
    const what = `${method} ${path}`;
    let last: TransportError = { kind: "unreachable", detail: `${what}: no attempt made` };
    for (let attempt = 0; attempt <= delays.length; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, delays[attempt - 1]));
      const dog = watchdog(timeoutMs);
      try {
        let res: Response;
        try {
          res = await fetch(opts.base + path, {
            method,
            headers: {
              ...headers,
              ...(extra.body ? { "content-type": "application/octet-stream" } : {}),
              ...(extra.accept ? { accept: extra.accept } : {}),
            },
            ...(extra.body ? { body: bodyOf(extra.body, dog.alive) } : {}),
            signal: dog.signal,
          });
        } catch (e) {
          last = { kind: "unreachable", detail: `${what}: ${describe(e, timeoutMs)}` };
          continue;
        }
        dog.alive();
        if (res.ok) {
          try {
            return ok(await read(res, dog.alive));
          } catch (e) {
            // The connection broke while the body was read.
            last = { kind: "unreachable", detail: `${what}: ${describe(e, timeoutMs)}` };
            continue;
          }
        }
        await res.body?.cancel();
        const status = `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ""}`;
        if (res.status === 404 && method !== "PUT") return ok(undefined);
        if (res.status === 405 || res.status === 501) {
          return err({ kind: "unsupported", detail: `${what}: ${status}` });
        }
        if (res.status === 401 || res.status === 403) {
          return err({ kind: "denied", detail: `${what}: ${status}` });
        }
        last = { kind: "failed", detail: `${what}: ${status}` };
        if (!RETRIED.has(res.status)) return err(last);
      } finally {
        dog.stop();
      }
    }
    return err(last);
  }

  return {
    url: opts.url,
    get: (path) => request("GET", path, async (res) => new Uint8Array(await res.arrayBuffer())),
    async read(path) {
      // The body is handed on unread: the watchdog must outlive this call, so it gets its own.
      const dog = watchdog(timeoutMs);
      const r = await request("GET", path, (res) => {
        if (res.body === null) return Promise.resolve(new Blob([]).stream());
        return Promise.resolve(
          res.body.pipeThrough(
            new TransformStream<Uint8Array, Uint8Array>({
              start(out) {
                dog.signal.onabort = () =>
                  out.error(new Error(`GET ${path}: no data for ${timeoutMs / 1000} s`));
              },
              transform(chunk, out) {
                dog.alive();
                out.enqueue(chunk);
              },
              flush: () => dog.stop(),
              // A reader that stops early (a bad bundle) must not leave the timer running.
              cancel: () => dog.stop(),
            }),
          ),
        );
      });
      if (!r.ok || r.value === undefined) dog.stop();
      return r;
    },
    head: (path) => request("HEAD", path, (res) => Promise.resolve(infoOf(res.headers))),
    put: async (path, body) => {
      const r = await request("PUT", path, async (res) => {
        await res.body?.cancel();
      }, { body });
      return r.ok ? ok(undefined) : r;
    },
    delete: async (path) => {
      const r = await request("DELETE", path, async (res) => {
        await res.body?.cancel();
        return true;
      });
      return r.ok ? ok(r.value ?? false) : r;
    },
    async list(folder) {
      const r = await request(
        "GET",
        `${folder}/`,
        async (res) => ({ type: res.headers.get("content-type") ?? "", text: await res.text() }),
        { accept: "application/json" },
      );
      if (!r.ok) {
        return r.error.kind === "denied" || r.error.kind === "unsupported"
          ? err({ kind: "unsupported", detail: `${r.error.detail}: ${NO_LISTING}` })
          : r;
      }
      if (r.value === undefined) return ok([]);
      const listed = parseListing(r.value.text);
      return listed === undefined
        ? err({ kind: "unsupported", detail: `GET ${folder}/: ${NO_LISTING}` })
        : ok(listed);
    },
    async now() {
      const r = await request("HEAD", "", (res) => Promise.resolve(res.headers.get("date")), {});
      if (!r.ok) {
        // Any answer carries the server's clock, even a refusal to show the folder.
        if (r.error.kind !== "unreachable" && r.error.kind !== "failed") return dateOfProbe();
        return r;
      }
      const t = Date.parse(r.value ?? "");
      return Number.isFinite(t) ? ok(t) : dateOfProbe();
    },
  };

  /** The `Date` of any answer from the server. */
  async function dateOfProbe(): Promise<Result<number, TransportError>> {
    try {
      const res = await fetch(opts.base, {
        method: "HEAD",
        headers,
        signal: AbortSignal.timeout(timeoutMs),
      });
      await res.body?.cancel();
      const t = Date.parse(res.headers.get("date") ?? "");
      if (Number.isFinite(t)) return ok(t);
      return err({ kind: "unsupported", detail: `HEAD /: the server sends no Date header` });
    } catch (e) {
      return err({ kind: "unreachable", detail: `HEAD /: ${describe(e, timeoutMs)}` });
    }
  }
}

const NO_LISTING =
  "the server does not list folders as JSON (nginx: autoindex on; autoindex_format json;)";

/** The request body: bytes as they are, a stream body opened anew for each attempt. */
function bodyOf(
  body: Uint8Array<ArrayBuffer> | StreamBody,
  alive: () => void,
): BodyInit {
  if (body instanceof Uint8Array) return body;
  return body.open().pipeThrough(
    new TransformStream<Uint8Array<ArrayBuffer>, Uint8Array<ArrayBuffer>>({
      transform(chunk, out) {
        alive();
        out.enqueue(chunk);
      },
    }),
  );
}

/** Size and time from a response's headers. */
function infoOf(h: Headers): ObjectInfo {
  const length = h.get("content-length");
  const modified = Date.parse(h.get("last-modified") ?? "");
  return {
    size: length === null ? 0 : Number(length),
    modified: Number.isFinite(modified) ? modified : 0,
  };
}

/** nginx's JSON listing: `[{"name", "type", "mtime", "size"}, …]`; files only. */
function parseListing(text: string): ListedObject[] | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(doc)) return undefined;
  const out: ListedObject[] = [];
  for (const item of doc) {
    if (typeof item !== "object" || item === null || typeof item.name !== "string") {
      return undefined;
    }
    if (item.type !== "file") continue;
    const modified = Date.parse(String(item.mtime));
    out.push({
      name: item.name,
      size: typeof item.size === "number" ? item.size : 0,
      modified: Number.isFinite(modified) ? modified : 0,
    });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** An abort signal that fires after `ms` without a call to `alive`. */
function watchdog(ms: number): { signal: AbortSignal; alive(): void; stop(): void } {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(
      () => controller.abort(new DOMException("no progress", "TimeoutError")),
      ms,
    );
  };
  arm();
  return {
    signal: controller.signal,
    alive: arm,
    stop: () => clearTimeout(timer),
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
