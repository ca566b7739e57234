/**
 * A remote as the user names it: `https://…`, `http://…` or `file:///…` (from `--remote` or
 * `PSINV_REMOTE`), with credentials taken only from the environment. Every way the pair can be
 * wrong is one `remote-invalid` line, found before anything runs.
 *
 * @module
 */
import { err, ok, type RemoteInvalid, type Result } from "../core/mod.ts";

/** Where a remote is and how to authenticate to it. */
export type RemoteLocation =
  | {
    readonly kind: "http";
    /** The URL as shown in messages (never with credentials), without a trailing `/`. */
    readonly url: string;
    /** The base every object path is appended to, ending in `/`. */
    readonly base: string;
    /** The `Authorization` header, when credentials are set. */
    readonly authorization?: string;
  }
  | {
    readonly kind: "file";
    readonly url: string;
    /** The folder (absolute path) holding the remote's objects. */
    readonly dir: string;
  };

/** The environment variables that hold a remote's credentials. */
export const REMOTE_CREDENTIALS = {
  token: "PSINV_REMOTE_TOKEN",
  user: "PSINV_REMOTE_USER",
  password: "PSINV_REMOTE_PASSWORD",
  allowHttp: "PSINV_REMOTE_ALLOW_HTTP",
} as const;

const EXAMPLES = "e.g. https://cache.example.org/psinv or file:///mnt/share/psinv";

/**
 * Parses a remote URL and picks its credentials from `env`: `PSINV_REMOTE_TOKEN` (sent as
 * `Authorization: Bearer`), or `PSINV_REMOTE_USER` with `PSINV_REMOTE_PASSWORD` (basic auth).
 * A password in the URL is refused (it would end up in shell history and logs), and so are
 * credentials over plain `http://` to another machine unless `PSINV_REMOTE_ALLOW_HTTP=1`.
 *
 * @example
 * ```ts
 * import { parseRemoteUrl } from "./remote_url.ts";
 * const r = parseRemoteUrl("https://cache.example.org/psinv/", () => undefined);
 * r.ok && r.value.kind === "http" && r.value.base; // "https://cache.example.org/psinv/"
 * parseRemoteUrl("s3://bucket", () => undefined).ok; // false
 * ```
 */
export function parseRemoteUrl(
  text: string,
  env: (name: string) => string | undefined,
): Result<RemoteLocation, RemoteInvalid> {
  const shown = text.replace(/\/\/[^/@]*@/, "//…@");
  const invalid = (detail: string, hint: string) =>
    err<RemoteInvalid>({ reason: "remote-invalid", url: shown, detail, hint });
  if (text.trim() === "") {
    return invalid("the URL is empty", `name a remote, ${EXAMPLES}`);
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return text.startsWith("/")
      ? invalid("it is not a URL", `a folder is named file://${text}`)
      : invalid("it is not a URL", EXAMPLES);
  }
  if (url.username !== "" || url.password !== "") {
    return invalid(
      "the URL holds credentials",
      `set ${REMOTE_CREDENTIALS.user} and ${REMOTE_CREDENTIALS.password} (or ${REMOTE_CREDENTIALS.token}) instead`,
    );
  }
  if (url.search !== "" || url.hash !== "") {
    return invalid("the URL has a query or fragment", "a remote URL names a folder; drop them");
  }
  if (url.protocol === "file:") {
    if (url.hostname !== "" && url.hostname !== "localhost") {
      return invalid(
        `file: URLs name a folder on this machine, not on "${url.hostname}"`,
        "mount the share and name its folder, e.g. file:///mnt/share/psinv",
      );
    }
    const dir = decodeURIComponent(url.pathname).replace(/\/+$/, "") || "/";
    return ok({ kind: "file", url: `file://${dir}`, dir });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return invalid(`unknown scheme "${url.protocol}"`, "use https://, http:// or file://");
  }
  const auth = authorization(env);
  if (!auth.ok) return invalid(auth.error.detail, auth.error.hint);
  if (
    auth.value !== undefined && url.protocol === "http:" && !isLoopback(url.hostname) &&
    env(REMOTE_CREDENTIALS.allowHttp) !== "1"
  ) {
    return invalid(
      `credentials would cross the network in clear text to "${url.hostname}"`,
      `use https://, or set ${REMOTE_CREDENTIALS.allowHttp}=1 on a network you trust`,
    );
  }
  const base = url.href.endsWith("/") ? url.href : `${url.href}/`;
  return ok({
    kind: "http",
    url: base.slice(0, -1),
    base,
    ...(auth.value !== undefined ? { authorization: auth.value } : {}),
  });
}

/** The `Authorization` header the environment asks for, if any. */
function authorization(
  env: (name: string) => string | undefined,
): Result<string | undefined, { detail: string; hint: string }> {
  const get = (name: string) => {
    const v = env(name);
    return v === undefined || v === "" ? undefined : v;
  };
  const token = get(REMOTE_CREDENTIALS.token);
  const user = get(REMOTE_CREDENTIALS.user);
  const password = get(REMOTE_CREDENTIALS.password);
  if (token !== undefined && (user !== undefined || password !== undefined)) {
    return err({
      detail:
        `both ${REMOTE_CREDENTIALS.token} and ${REMOTE_CREDENTIALS.user}/${REMOTE_CREDENTIALS.password} are set`,
      hint: "set a token, or a user and a password, not both",
    });
  }
  if (token !== undefined) return ok(`Bearer ${token}`);
  if (user === undefined && password === undefined) return ok(undefined);
  if (user === undefined || password === undefined) {
    const [set, unset] = user === undefined
      ? [REMOTE_CREDENTIALS.password, REMOTE_CREDENTIALS.user]
      : [REMOTE_CREDENTIALS.user, REMOTE_CREDENTIALS.password];
    return err({ detail: `${set} is set but ${unset} is not`, hint: `set ${unset} too` });
  }
  const bytes = new TextEncoder().encode(`${user}:${password}`);
  return ok(`Basic ${btoa(String.fromCharCode(...bytes))}`);
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host);
}
