/**
 * The command line of the remote commands, `push`, `pull` and `trust`, and where `--remote`
 * comes from (the flag, else `PSINV_REMOTE`).
 *
 * @module
 */
import { err, ok, type Result } from "../core/mod.ts";

/** A parsed remote command (the options every command takes are added by `args.ts`). */
export type RemoteCommand =
  | { readonly kind: "push"; readonly stages: readonly string[]; readonly remote: string }
  | {
    readonly kind: "pull";
    readonly stages: readonly string[];
    readonly remote: string;
    /** Check the remote entries of results already here too. */
    readonly verify: boolean;
  }
  | {
    readonly kind: "trust";
    /** The public key to trust; this machine's when absent. */
    readonly key?: string;
    /** Whose key it is. */
    readonly name?: string;
  };

/** The flags each remote command takes besides `--set` and `--json`. */
export const REMOTE_FLAGS = {
  push: ["remote"],
  pull: ["remote", "verify"],
  trust: ["name"],
} as const satisfies Record<RemoteCommand["kind"], readonly string[]>;

/**
 * Parses a remote command's flags and arguments; the error is the usage line's detail.
 *
 * @example
 * ```ts
 * import { parseRemoteCommand } from "./remote_args.ts";
 * const r = parseRemoteCommand("pull", { remote: "file:///mnt/c", verify: true }, [], undefined);
 * r.ok && r.value.kind === "pull" && r.value.verify; // true
 * ```
 */
export function parseRemoteCommand(
  command: RemoteCommand["kind"],
  values: { readonly remote?: string; readonly verify?: boolean; readonly name?: string },
  positionals: readonly string[],
  env: ((name: string) => string | undefined) | undefined,
): Result<RemoteCommand, string> {
  if (command === "trust") {
    if (positionals.length > 1) return err(`"trust" takes one key at a time`);
    const [key] = positionals;
    return ok({
      kind: "trust",
      ...(key !== undefined ? { key } : {}),
      ...(values.name !== undefined ? { name: values.name } : {}),
    });
  }
  const remote = remoteOf(values.remote, env);
  if (remote === undefined) {
    return err(`"${command}" needs a remote: --remote <url> or PSINV_REMOTE`);
  }
  return ok(
    command === "push"
      ? { kind: "push", stages: positionals, remote }
      : { kind: "pull", stages: positionals, remote, verify: values.verify ?? false },
  );
}

/**
 * `--remote`, else `PSINV_REMOTE`; `undefined` when neither is set (an empty value unsets it).
 *
 * @example
 * ```ts
 * import { remoteOf } from "./remote_args.ts";
 * remoteOf(undefined, (n) => (n === "PSINV_REMOTE" ? "file:///mnt/c" : undefined)); // "file:///mnt/c"
 * remoteOf("", () => "file:///mnt/c"); // undefined
 * ```
 */
export function remoteOf(
  flag: string | undefined,
  env: ((name: string) => string | undefined) | undefined,
): string | undefined {
  const value = flag ?? env?.("PSINV_REMOTE");
  return value === undefined || value === "" ? undefined : value;
}
