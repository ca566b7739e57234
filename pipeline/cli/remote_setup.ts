/**
 * Opening the remote a command names, at the command line's edge: bad input is one failure
 * before anything runs; a remote that does not answer stops `push` and `pull`, while `reproduce`
 * says so once and goes on locally.
 *
 * @module
 */
import { type Emit, err, type Failure, ok, type Result } from "../core/mod.ts";
import { type CommandContext, revoke } from "../commands/mod.ts";
import {
  loadSigningKey,
  openRemote,
  type RemoteCache,
  type RemoteLocation,
  signingKeyPath,
  type Transport,
} from "../remote/mod.ts";

/** What opening a remote needs from the command line. */
export interface RemoteSetup {
  readonly root: string;
  readonly env: (name: string) => string | undefined;
  readonly emit: Emit;
  /** The trusted-keys file the pipeline names. */
  readonly trustedKeys: string | undefined;
  /** Makes the transport (tests wrap the real one). */
  readonly transport?: (location: RemoteLocation) => Transport;
}

/**
 * The remote at `url`, opened for a command: `sign` when it uploads; `strict` when a remote that
 * does not answer is the command's failure (otherwise it is said once and the answer is
 * `undefined`: go on without).
 *
 * @example
 * ```ts ignore
 * const remote = await useRemote(setup, "https://cache.example.org/psinv", { sign: true, strict: true });
 * ```
 */
export async function useRemote(
  setup: RemoteSetup,
  url: string,
  opts: { readonly sign: boolean; readonly strict: boolean },
): Promise<Result<RemoteCache | undefined, Failure>> {
  const opened = await openRemote({
    url,
    env: setup.env,
    root: setup.root,
    trustedKeys: setup.trustedKeys,
    sign: opts.sign,
    ...(setup.transport ? { transport: setup.transport } : {}),
  });
  if (!opened.ok) return opened;
  const { remote, createdKey, unreachable } = opened.value;
  if (unreachable !== undefined) {
    if (opts.strict) {
      return err({
        reason: "remote-failed",
        url: remote.url,
        detail: unreachable.detail,
        hint: "check the URL and that the server runs; nothing was changed",
      });
    }
    setup.emit({
      kind: "remote-unavailable",
      url: remote.url,
      detail: unreachable.detail,
      uploadsOnly: false,
    });
    return ok(undefined);
  }
  if (createdKey !== undefined) {
    setup.emit({
      kind: "signing-key-created",
      file: createdKey.file,
      key: createdKey.key,
      trustedKeys: setup.trustedKeys ?? "",
    });
  }
  return ok(remote);
}

/** This machine's public key, when it has a signing key (never created here). */
export async function ownKey(
  env: (name: string) => string | undefined,
): Promise<{ ownKey?: string }> {
  const file = signingKeyPath(env);
  const key = file === undefined ? undefined : await loadSigningKey(file);
  return key?.ok && key.value ? { ownKey: key.value.id } : {};
}

/**
 * `trust --revoke <key> [--remote <url>]`: opens the remote when one is named (to list the key's
 * entries), then revokes the key.
 *
 * @example
 * ```ts ignore
 * await revokeKeyOf(ctx, setup, { revoke: "ed25519:…", remote: "https://cache.example.org/psinv" });
 * ```
 */
export async function revokeKeyOf(
  ctx: CommandContext,
  setup: RemoteSetup,
  command: { readonly revoke: string; readonly name?: string; readonly remote?: string },
): Promise<Result<number, Failure>> {
  const remote = command.remote === undefined
    ? ok(undefined)
    : await useRemote(setup, command.remote, { sign: false, strict: true });
  if (!remote.ok) return remote;
  return await revoke(ctx, {
    file: setup.trustedKeys,
    key: command.revoke,
    ...(command.name !== undefined ? { name: command.name } : {}),
    ...(remote.value ? { remote: remote.value } : {}),
  });
}
