/**
 * `trust --revoke <key> [--remote <url>]`: moves a key from the project's trusted keys to its
 * revoked keys (after `verify --remote` caught it signing a wrong result). Its entries are then
 * never used, and `gc --remote` deletes them; with a remote, they are listed now.
 *
 * @module
 */
import { err, type Failure, type Hash, ok, REMOTE_FOLDERS, type Result } from "../../core/mod.ts";
import { readEntries, type RemoteCache, revokeKey } from "../../remote/mod.ts";
import { checkKeyArgs } from "./trust.ts";
import type { CommandContext } from "../context.ts";

/** Options of {@linkcode revoke}. */
export interface RevokeOptions {
  /** The trusted-keys file the pipeline names (relative to the root), if it names one. */
  readonly file: string | undefined;
  /** The key to revoke (`ed25519:…`). */
  readonly key: string;
  /** Its name, when the file does not list it already. */
  readonly name?: string;
  /** The remote whose entries of that key to list. */
  readonly remote?: RemoteCache;
}

/**
 * Revokes the key and emits `key-revoked`.
 *
 * @example
 * ```ts ignore
 * await revoke(ctx, { file: "stages/trusted_keys.json", key: "ed25519:…", remote });
 * ```
 */
export async function revoke(
  ctx: CommandContext,
  opts: RevokeOptions,
): Promise<Result<number, Failure>> {
  const checked = checkKeyArgs(opts.file, opts.key);
  if (!checked.ok) return checked;
  const file = checked.value;
  // The remote is read first: a remote that fails changes nothing here.
  let entries: { key: Hash; stage: string }[] | undefined;
  if (opts.remote) {
    const remote = opts.remote;
    const listed = await remote.limit(() => remote.transport.list(REMOTE_FOLDERS.entries));
    const read = listed.ok ? await readEntries(remote, listed.value) : listed;
    if (!read.ok) {
      return err({
        reason: "remote-failed",
        url: remote.url,
        detail: read.error.detail,
        hint: "the key was not revoked; run again without --remote to revoke it anyway",
      });
    }
    entries = read.value
      .filter((e) => e.entry?.signer === opts.key)
      .map((e) => ({ key: e.entry!.key, stage: e.entry!.manifest.stage }))
      .sort((a, b) => (a.stage < b.stage ? -1 : a.stage > b.stage ? 1 : 0));
  }
  const was = await revokeKey(ctx.root, file, opts.key, opts.name ?? "(unnamed)");
  if (!was.ok) return was;
  ctx.emit({
    kind: "key-revoked",
    key: opts.key,
    name: was.value ?? opts.name ?? "(unnamed)",
    file,
    ...(entries !== undefined ? { entries, url: opts.remote!.url } : {}),
  });
  return ok(0);
}
