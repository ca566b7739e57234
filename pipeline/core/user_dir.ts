/**
 * The user's own folders for psinv outside every project, as the XDG Base Directory spec places
 * them: configuration (this machine's signing key) and caches (a native build of a kernel).
 *
 * @module
 */
import { join } from "node:path";

/** Where each kind of per-user file lives: the XDG variable, else this folder under `HOME`. */
const USER_DIRS = {
  config: { variable: "XDG_CONFIG_HOME", underHome: ".config" },
  cache: { variable: "XDG_CACHE_HOME", underHome: ".cache" },
} as const satisfies Record<string, { variable: string; underHome: string }>;

/** A kind of per-user folder. */
export type UserDirKind = keyof typeof USER_DIRS;

/**
 * psinv's folder of `kind` for this user: `$XDG_CONFIG_HOME/psinv` (or `$XDG_CACHE_HOME/psinv`),
 * else `$HOME/.config/psinv` (`$HOME/.cache/psinv`); `undefined` when neither variable is set.
 * An empty variable counts as unset.
 *
 * @example
 * ```ts
 * import { userDir } from "./user_dir.ts";
 * userDir("cache", (n) => (n === "HOME" ? "/home/a" : undefined)); // "/home/a/.cache/psinv"
 * userDir("config", (n) => (n === "XDG_CONFIG_HOME" ? "/x" : undefined)); // "/x/psinv"
 * userDir("config", () => undefined); // undefined
 * ```
 */
export function userDir(
  kind: UserDirKind,
  env: (name: string) => string | undefined,
): string | undefined {
  const set = (name: string) => {
    const value = env(name);
    return value === undefined || value === "" ? undefined : value;
  };
  const { variable, underHome } = USER_DIRS[kind];
  const xdg = set(variable);
  if (xdg !== undefined) return join(xdg, "psinv");
  const home = set("HOME");
  return home === undefined ? undefined : join(home, underHome, "psinv");
}
