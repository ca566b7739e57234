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

const usage = (detail: string, hint: string) => err<Failure>({ reason: "usage", detail, hint });

/**
 * The trusted-keys file `trust` and `trust --revoke` write, or why they cannot: the pipeline
 * names none, or `key` is not a public key.
 *
 * @example
 * ```ts
 * import { checkKeyArgs } from "./trust.ts";
 * checkKeyArgs("keys.json", "ed25519:short").ok; // false
 * ```
 */
export function checkKeyArgs(
  file: string | undefined,
  key: string | undefined,
): Result<string, Failure> {
  if (file === undefined) {
    return usage(
      "This pipeline names no trusted-keys file",
      "declare `trustedKeys` in its Pipeline (pipeline/core/stage.ts)",
    );
  }
  if (key !== undefined && !KEY_ID.test(key)) {
    return usage(`"${key}" is not a public key`, "expected ed25519: and 43 base64url characters");
  }
  return ok(file);
}

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
  const checked = checkKeyArgs(opts.file, opts.key);
  if (!checked.ok) return checked;
  const file = checked.value;
  let key = opts.key;
  let name = opts.name;
  if (key !== undefined) {
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
        trustedKeys: file,
      });
    }
  }
  const added = await trustKey(ctx.root, file, { key, name });
  if (!added.ok) return added;
  ctx.emit({ kind: "key-trusted", key, name, file, already: !added.value });
  return ok(0);
}
