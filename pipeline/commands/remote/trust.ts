/**
 * `trust [key] [--name N]`: adds a public key to the project's trusted-keys file, so results it
 * signs are used from a remote once the file is committed. Without a key, this machine's own
 * (created if there is none yet), named `user@host`.
 *
 * @module
 */
import { err, type Failure, ok, type Result } from "../../core/mod.ts";
import { KEY_ID, loadOrCreateSigningKey, trustKey } from "../../remote/mod.ts";
import type { CommandContext } from "../context.ts";

/** Options of {@linkcode trust}. */
export interface TrustOptions {
  /** The trusted-keys file the pipeline names (relative to the root), if it names one. */
  readonly file: string | undefined;
  /** The key to trust (`ed25519:…`); this machine's when absent. */
  readonly key?: string;
  /** Whose key it is; `user@host` for this machine's own. */
  readonly name?: string;
  /** Where this machine's signing key is kept, if anywhere can be found. */
  readonly signingKeyFile: string | undefined;
  /** The default name of this machine's key (`user@host`). */
  readonly machine: string;
}

/**
 * Adds the key and emits `key-trusted` (and `signing-key-created` when this machine's key was
 * made now).
 *
 * @example
 * ```ts ignore
 * import { trust } from "./trust.ts";
 * await trust(ctx, { file: "stages/trusted_keys.json", signingKeyFile, machine: "me@laptop" });
 * ```
 */
export async function trust(
  ctx: CommandContext,
  opts: TrustOptions,
): Promise<Result<number, Failure>> {
  const usage = (detail: string, hint: string) => err<Failure>({ reason: "usage", detail, hint });
  if (opts.file === undefined) {
    return usage(
      "This pipeline names no trusted-keys file",
      "declare `trustedKeys` in its Pipeline (pipeline/core/stage.ts)",
    );
  }
  let key = opts.key;
  let name = opts.name;
  if (key !== undefined) {
    if (!KEY_ID.test(key)) {
      return usage(`"${key}" is not a public key`, "expected ed25519: and 43 base64url characters");
    }
    if (name === undefined) return usage(`Whose key is "${key}"?`, "name it with --name");
  } else {
    if (opts.signingKeyFile === undefined) {
      return usage(
        "Cannot find this machine's signing key: neither PSINV_SIGNING_KEY, XDG_CONFIG_HOME nor HOME is set",
        "set PSINV_SIGNING_KEY to a path outside the project",
      );
    }
    const own = await loadOrCreateSigningKey(opts.signingKeyFile);
    if (!own.ok) return own;
    key = own.value.key.id;
    name ??= opts.machine;
    if (own.value.created) {
      ctx.emit({
        kind: "signing-key-created",
        file: opts.signingKeyFile,
        key,
        trustedKeys: opts.file,
      });
    }
  }
  const added = await trustKey(ctx.root, opts.file, { key, name });
  if (!added.ok) return added;
  ctx.emit({ kind: "key-trusted", key, name, file: opts.file, already: !added.value });
  return ok(0);
}
