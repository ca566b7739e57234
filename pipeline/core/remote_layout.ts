/**
 * Where things live outside a project: the layout of a shared remote (relative to its URL) and
 * this machine's signing key in the user's configuration folder. The project's own folders are
 * laid out in `layout.ts`.
 *
 * ```text
 * <remote>/ac/<key>                                     a signed entry of a shared remote
 *          cas/<sha256>                                 a result's files as one bundle
 *          stages/<sha256 of a stage id>                the key last uploaded for that id
 * <config>/psinv/signing_key.json                       this machine's signing key
 * ```
 *
 * @module
 */
import { sha256Sync } from "./hash.ts";
import { joinPath } from "./layout.ts";

/** The folders of a remote: signed entries, bundles, and the key last uploaded per stage id. */
export const REMOTE_FOLDERS = { entries: "ac", bundles: "cas", stages: "stages" } as const;

/**
 * The path of the object `name` in one of a remote's folders (a listing's names, temporary files
 * included).
 *
 * @example
 * ```ts
 * import { remoteObjectPath } from "./remote_layout.ts";
 * remoteObjectPath("cas", ".ab.1.0123abcd.tmp"); // "cas/.ab.1.0123abcd.tmp"
 * ```
 */
export function remoteObjectPath(
  folder: (typeof REMOTE_FOLDERS)[keyof typeof REMOTE_FOLDERS],
  name: string,
): string {
  return joinPath(folder, name);
}

/**
 * Where a remote keeps the signed entry of `key`, relative to the remote's URL (Bazel's `ac/`,
 * the action cache).
 *
 * @example
 * ```ts
 * import { remoteEntryPath } from "./remote_layout.ts";
 * remoteEntryPath("ab12"); // "ac/ab12"
 * ```
 */
export function remoteEntryPath(key: string): string {
  return joinPath(REMOTE_FOLDERS.entries, key);
}

/**
 * Where a remote keeps the bundle whose SHA-256 is `hash`, relative to the remote's URL (`cas/`,
 * content-addressed storage).
 *
 * @example
 * ```ts
 * import { remoteBundlePath } from "./remote_layout.ts";
 * remoteBundlePath("cd34"); // "cas/cd34"
 * ```
 */
export function remoteBundlePath(hash: string): string {
  return joinPath(REMOTE_FOLDERS.bundles, hash);
}

/**
 * Where a remote keeps the key last uploaded for a stage id (a hint to explain misses), relative
 * to the remote's URL. Named by the id's SHA-256: ids hold `/`, which servers map to folders.
 *
 * @example
 * ```ts
 * import { remoteStagePath } from "./remote_layout.ts";
 * remoteStagePath("train/a").startsWith("stages/"); // true
 * ```
 */
export function remoteStagePath(stage: string): string {
  return joinPath(REMOTE_FOLDERS.stages, sha256Sync(stage));
}

/**
 * This machine's signing key, kept in psinv's folder of the user's configuration
 * (`userDir("config", …)`: `$XDG_CONFIG_HOME/psinv`, else `~/.config/psinv`), never in a project.
 *
 * @example
 * ```ts
 * import { signingKeyFile } from "./remote_layout.ts";
 * signingKeyFile("/home/a/.config/psinv"); // "/home/a/.config/psinv/signing_key.json"
 * ```
 */
export function signingKeyFile(userConfigDir: string): string {
  return joinPath(userConfigDir, "signing_key.json");
}
