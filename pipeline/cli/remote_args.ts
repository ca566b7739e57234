/**
 * The command line of the remote commands, `push`, `pull` and `trust`, of the remote side of
 * `gc` and `verify`, and where `--remote` comes from (the flag, else `PSINV_REMOTE`).
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

/** The flags each remote command takes besides `--set` and `--json`. */
export const REMOTE_FLAGS = {
  push: ["remote"],
  pull: ["remote", "verify"],
  trust: ["name", "revoke", "remote"],
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
  values: {
    readonly remote?: string;
    readonly verify?: boolean;
    readonly name?: string;
    readonly revoke?: string;
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
  const value = flag ?? env?.("PSINV_REMOTE");
  return value === undefined || value === "" ? undefined : value;
}

/**
 * The remote side of `gc`: `--remote <url>` (the flag only: a remote is never collected because
 * `PSINV_REMOTE` happens to be set), `--grace` (`90`, `30s`, `10m`, `1h`, `2d`), `--dry-run`.
 *
 * @example
 * ```ts
 * import { parseGcRemote } from "./remote_args.ts";
 * const r = parseGcRemote({ remote: "file:///c", grace: "10m", "dry-run": true });
 * r.ok && r.value.graceSeconds; // 600
 * ```
 */
export function parseGcRemote(
  values: { readonly remote?: string; readonly grace?: string; readonly "dry-run"?: boolean },
): Result<GcRemoteArgs, string> {
  const dryRun = values["dry-run"] ?? false;
  if (values.remote === undefined || values.remote === "") {
    if (values.grace !== undefined || dryRun) {
      return err(`--grace and --dry-run apply to "gc --remote <url>"`);
    }
    return ok({ graceSeconds: DEFAULT_GRACE_SECONDS, dryRun });
  }
  const grace = values.grace === undefined ? DEFAULT_GRACE_SECONDS : seconds(values.grace);
  if (grace === undefined) {
    return err(
      `--grace must be a duration such as 0, 90, 30s, 10m, 1h or 2d, got "${values.grace}"`,
    );
  }
  return ok({ remote: values.remote, graceSeconds: grace, dryRun });
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
  values: { readonly remote?: string; readonly sample?: string; readonly seed?: string },
  env: ((name: string) => string | undefined) | undefined,
): Result<AuditArgs, string> {
  const asked = values.remote !== undefined || values.sample !== undefined ||
    values.seed !== undefined;
  if (!asked) return ok({});
  const remote = remoteOf(values.remote, env);
  if (remote === undefined) {
    return err(`"verify --sample" needs a remote: --remote <url> or PSINV_REMOTE`);
  }
  const sample = values.sample === undefined ? DEFAULT_SAMPLE : whole(values.sample);
  if (sample === undefined || sample < 1) {
    return err(`--sample must be a whole number of at least 1, got "${values.sample}"`);
  }
  const seed = values.seed === undefined ? undefined : whole(values.seed);
  if (values.seed !== undefined && (seed === undefined || seed > 0xffffffff)) {
    return err(`--seed must be a whole number below 4294967296, got "${values.seed}"`);
  }
  return ok({ audit: { remote, sample, ...(seed !== undefined ? { seed } : {}) } });
}

function whole(text: string): number | undefined {
  return /^\d{1,10}$/.test(text.trim()) ? Number(text.trim()) : undefined;
}

/** A duration in seconds: a bare number, or with `s`, `m`, `h` or `d`. */
function seconds(text: string): number | undefined {
  const m = /^(\d{1,7})([smhd]?)$/.exec(text.trim());
  if (m === null) return undefined;
  const unit = { "": 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as "" | "s" | "m" | "h" | "d"];
  return Number(m[1]) * unit;
}
