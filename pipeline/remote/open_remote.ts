/**
 * Opening a remote before a command works: its URL and credentials, its folder (for `file://`),
 * the project's trusted keys, one probe request, and the signing key (created on first use).
 * Every input problem is found here, before anything runs, as one failure with exit code 2.
 *
 * @module
 */
import { err, type Failure, ok, remoteEntryPath, type Result } from "../core/mod.ts";
import { fileTransport } from "./transport/file_transport.ts";
import { httpTransport } from "./transport/http_transport.ts";
import { type RemoteCache, remoteCache } from "./remote_cache.ts";
import { parseRemoteUrl, REMOTE_CREDENTIALS, type RemoteLocation } from "./remote_url.ts";
import { loadOrCreateSigningKey, signingKeyPath } from "./signing_key.ts";
import type { Transport, TransportError } from "./transport/transport.ts";
import { readTrustedKeys } from "./trusted_keys.ts";

/** Options of {@linkcode openRemote}. */
export interface OpenRemoteOptions {
  /** The remote's URL as given. */
  readonly url: string;
  /** Reads the environment (credentials, where the signing key is kept). */
  readonly env: (name: string) => string | undefined;
  /** The project root. */
  readonly root: string;
  /** The trusted-keys file the pipeline names, relative to the root. */
  readonly trustedKeys: string | undefined;
  /** Whether the command uploads: the signing key is loaded, or created. */
  readonly sign: boolean;
  /** Makes the transport (tests wrap the real one to inject faults). */
  readonly transport?: (location: RemoteLocation) => Transport;
}

/** An opened remote. */
export interface OpenedRemote {
  readonly remote: RemoteCache;
  /** Set when this machine's signing key was created now: where, and its public key. */
  readonly createdKey?: { readonly file: string; readonly key: string };
  /** Set when the probe found the remote down: `push` and `pull` stop, `reproduce` goes on. */
  readonly unreachable?: TransportError;
}

/**
 * Checks everything a remote needs and opens it.
 *
 * @example
 * ```ts ignore
 * const opened = await openRemote({ url, env, root, trustedKeys: "stages/trusted_keys.json", sign: true });
 * ```
 */
export async function openRemote(opts: OpenRemoteOptions): Promise<Result<OpenedRemote, Failure>> {
  const location = parseRemoteUrl(opts.url, opts.env);
  if (!location.ok) return location;
  const url = location.value.url;
  if (location.value.kind === "file") {
    const dir = location.value.dir;
    let info: Deno.FileInfo | undefined;
    try {
      info = await Deno.stat(dir);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
    if (!info?.isDirectory) {
      return err({
        reason: "remote-invalid",
        url,
        detail: info ? "it is not a folder" : "the folder does not exist",
        hint: `create it (mkdir -p ${dir}) or mount the share`,
      });
    }
  }
  const trusted = await readTrustedKeys(opts.root, opts.trustedKeys ?? "");
  if (!trusted.ok) return trusted;
  const transport = (opts.transport ?? defaultTransport)(location.value);

  // One request with a key no result has: a 404 says the remote answers and lets us in.
  const probe = await transport.head(remoteEntryPath("0".repeat(64)));
  if (!probe.ok && probe.error.kind === "denied") {
    const withCredentials = location.value.kind === "http" && location.value.authorization;
    return err({
      reason: "remote-invalid",
      url,
      detail: withCredentials
        ? `it refused the credentials from the environment (${probe.error.detail})`
        : `it asks for credentials (${probe.error.detail})`,
      hint: withCredentials
        ? "check them"
        : `set ${REMOTE_CREDENTIALS.token}, or ${REMOTE_CREDENTIALS.user} and ${REMOTE_CREDENTIALS.password}`,
    });
  }
  if (!probe.ok) {
    return ok({
      remote: remoteCache({ transport, trusted: trusted.value }),
      unreachable: probe.error,
    });
  }
  if (!opts.sign) return ok({ remote: remoteCache({ transport, trusted: trusted.value }) });

  const file = signingKeyPath(opts.env);
  if (file === undefined) {
    return err({
      reason: "key-file-invalid",
      file: "(none)",
      detail: "neither PSINV_SIGNING_KEY, XDG_CONFIG_HOME nor HOME is set",
      hint: "set PSINV_SIGNING_KEY to a path outside the project",
    });
  }
  const key = await loadOrCreateSigningKey(file);
  if (!key.ok) return key;
  const remote = remoteCache({ transport, trusted: trusted.value, signer: key.value.key });
  return ok({
    remote,
    ...(key.value.created ? { createdKey: { file, key: key.value.key.id } } : {}),
  });
}

function defaultTransport(location: RemoteLocation): Transport {
  return location.kind === "file" ? fileTransport(location.dir) : httpTransport({
    base: location.base,
    url: location.url,
    ...(location.authorization ? { authorization: location.authorization } : {}),
  });
}
