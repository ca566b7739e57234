/**
 * The command line of the remote commands, `push`, `pull` and `trust`, of the remote side of
 * `gc` and `verify`, and where `--remote` comes from (the flag, else `PSINV_REMOTE`).
 *
 * @module
 */
import { err, ok, type Result } from "../core/mod.ts";
import { OPTIONS, readOption } from "./options/mod.ts";

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
    /** A key to revoke instead (`--revoke`). */
    readonly revoke?: string;
    /** With `--revoke`: the remote whose entries of that key to list. */
    readonly remote?: string;
  };

/** `gc --remote <url>`: what the remote side of `gc` was asked. */
export interface GcRemoteArgs {
  /** The remote to collect; only the flag names it (`PSINV_REMOTE` alone never deletes). */
  readonly remote?: string;
  /** Objects younger than this many seconds before the gc's start stay (default an hour). */
  readonly graceSeconds: number;
  /** Only list what would go, and its size. */
  readonly dryRun: boolean;
}

/** `verify --remote <url> --sample N [--seed S]`: an audit of the remote's results. */
export interface AuditArgs {
  readonly audit?: {
    readonly remote: string;
    /** How many stages to re-run. */
    readonly sample: number;
    /** The seed of the sample; a random one (printed) when absent. */
    readonly seed?: number;
  };
}

/** `gc --grace` when not given: uploads of the last hour are never collected. */
export const DEFAULT_GRACE_SECONDS = 3600;

/** `verify --remote` without `--sample`. */
export const DEFAULT_SAMPLE = 5;

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
  values: {
    readonly remote?: string | undefined;
    readonly verify?: boolean | undefined;
    readonly name?: string | undefined;
    readonly revoke?: string | undefined;
  },
  positionals: readonly string[],
  env: ((name: string) => string | undefined) | undefined,
): Result<RemoteCommand, string> {
  if (command === "trust") {
    if (positionals.length > 1) return err(`"trust" takes one key at a time`);
    const [key] = positionals;
    if (values.revoke !== undefined && key !== undefined) {
      return err(`"trust --revoke <key>" takes no other key, got "${key}"`);
    }
    if (values.revoke === undefined && values.remote !== undefined) {
      return err(`"trust" takes --remote only with --revoke (to list the key's entries)`);
    }
    const remote = values.revoke === undefined ? undefined : remoteOf(values.remote, env);
    return ok({
      kind: "trust",
      ...(key !== undefined ? { key } : {}),
      ...(values.name !== undefined ? { name: values.name } : {}),
      ...(values.revoke !== undefined ? { revoke: values.revoke } : {}),
      ...(remote !== undefined ? { remote } : {}),
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
  const value = flag ?? env?.(OPTIONS.remote.env);
  return value === undefined || value === "" ? undefined : value;
}

/**
 * The remote side of `gc`: `--remote <url>` (the flag only: a remote is never collected because
 * `PSINV_REMOTE` happens to be set), `--grace` (`90`, `30s`, `10m`, `1h`, `2d`), `--dry-run`.
 *
 * @example
 * ```ts
 * import { parseGcRemote } from "./remote_args.ts";
 * const r = parseGcRemote({ remote: "file:///c", grace: "10m", dryRun: true });
 * r.ok && r.value.graceSeconds; // 600
 * ```
 */
export function parseGcRemote(
  values: {
    readonly remote?: string | undefined;
    readonly grace?: string | undefined;
    readonly dryRun: boolean;
  },
): Result<GcRemoteArgs, string> {
  const { dryRun } = values;
  if (values.remote === undefined || values.remote === "") {
    if (values.grace !== undefined || dryRun) {
      return err(`--grace and --dry-run apply to "gc --remote <url>"`);
    }
    return ok({ graceSeconds: DEFAULT_GRACE_SECONDS, dryRun });
  }
  const grace = readOption("grace", values.grace);
  if (!grace.ok) return grace;
  return ok({ remote: values.remote, graceSeconds: grace.value ?? DEFAULT_GRACE_SECONDS, dryRun });
}

/**
 * The remote side of `verify`: `--sample N` and `--seed S` audit the remote named by `--remote`
 * (or `PSINV_REMOTE`); without them, `verify` checks the local store only.
 *
 * @example
 * ```ts
 * import { parseAudit } from "./remote_args.ts";
 * const r = parseAudit({ remote: "file:///c", sample: "5", seed: "42" }, undefined);
 * r.ok && r.value.audit?.seed; // 42
 * ```
 */
export function parseAudit(
  values: {
    readonly remote?: string | undefined;
    readonly sample?: string | undefined;
    readonly seed?: string | undefined;
  },
  env: ((name: string) => string | undefined) | undefined,
): Result<AuditArgs, string> {
  const asked = values.remote !== undefined || values.sample !== undefined ||
    values.seed !== undefined;
  if (!asked) return ok({});
  const remote = remoteOf(values.remote, env);
  if (remote === undefined) {
    return err(`"verify --sample" needs a remote: --remote <url> or PSINV_REMOTE`);
  }
  const sample = readOption("sample", values.sample);
  if (!sample.ok) return sample;
  const seed = readOption("seed", values.seed);
  if (!seed.ok) return seed;
  return ok({
    audit: {
      remote,
      sample: sample.value ?? DEFAULT_SAMPLE,
      ...(seed.value !== undefined ? { seed: seed.value } : {}),
    },
  });
}
