/**
 * How remote housekeeping reads in a terminal: what `gc --remote` deleted (or would), and what
 * `verify --remote` found.
 *
 * @module
 */
import type { AuditDone, KeyRevoked, RemoteGcReport } from "../core/mod.ts";
import { bytesText } from "./status_text.ts";

const WHY = {
  unneeded: "not current, not among the newest kept",
  revoked: "signed by a revoked key",
  unreadable: "not a valid entry",
  orphan: "a bundle no entry names",
  temporary: "a temporary file a killed writer left",
} as const satisfies Record<RemoteGcReport["deleted"][number]["why"], string>;

/**
 * The lines of `gc --remote`: with `--dry-run` each object that would go, then the summary.
 *
 * @example
 * ```ts
 * import { remoteGcLines } from "./remote_text.ts";
 * remoteGcLines({ kind: "remote-gc-done", url: "file:///c", dryRun: false, keep: 0, graceSeconds: 0, deleted: [], kept: { entries: 1, bundles: 1 }, spared: 0, requests: 5 })[0];
 * // "Deleted 0 entries, 0 bundles and 0 temporary files (0 B) from file:///c; kept 1 entries and 1 bundles (5 requests to decide)"
 * ```
 */
export function remoteGcLines(e: RemoteGcReport): string[] {
  const count = (whys: readonly string[]) => e.deleted.filter((d) => whys.includes(d.why));
  const entries = count(["unneeded", "revoked", "unreadable"]).length;
  const bundles = count(["orphan"]).length;
  const temporaries = count(["temporary"]).length;
  const bytes = e.deleted.reduce((n, d) => n + d.size, 0);
  const lines = e.dryRun
    ? e.deleted.map((d) =>
      `would delete ${d.path.replace(/([0-9a-f]{12})[0-9a-f]{52}$/, "$1…")}  ${
        bytesText(d.size)
      }  ${WHY[d.why]}${d.stage ? ` (${d.stage})` : ""}`
    )
    : [];
  lines.push(
    `${e.dryRun ? "Would delete" : "Deleted"} ${entries} entries, ${bundles} bundles and ` +
      `${temporaries} temporary files (${
        bytesText(bytes)
      }) from ${e.url}; kept ${e.kept.entries} ` +
      `entries and ${e.kept.bundles} bundles (${e.requests} requests to decide)`,
  );
  if (e.spared > 0) {
    lines.push(`${e.spared} object(s) changed during the gc (a concurrent upload) and were spared`);
  }
  return lines;
}

/**
 * The lines of `verify --remote`: each stage re-run and its verdict, then the summary with the
 * seed that repeats the audit.
 *
 * @example
 * ```ts
 * import { auditLines } from "./remote_text.ts";
 * auditLines({ kind: "audit-done", url: "file:///c", seed: 7, candidates: 0, audited: [] }).at(-1);
 * // "Audited 0 of 0 results that came from file:///c (seed 7; --seed 7 repeats it): all identical"
 * ```
 */
export function auditLines(e: AuditDone): string[] {
  const lines = e.audited.map((a) => {
    const key = a.key.slice(0, 12);
    switch (a.verdict) {
      case "same":
        return `✓ ${a.stage} (${key}): same bytes as the remote's, signed by ${a.signer}`;
      case "differs":
        return `✗ ${a.stage} (${key}): ${a.files?.join(", ")} differ from the remote's result ` +
          `signed by ${a.signer}; the result here was set aside and replaced by the re-run's`;
      case "failed":
        return `? ${a.stage} (${key}): could not be re-run (${a.detail})`;
    }
  });
  const bad = e.audited.filter((a) => a.verdict === "differs");
  const signers = [...new Set(bad.map((a) => a.signer))];
  lines.push(
    `Audited ${e.audited.length} of ${e.candidates} results that came from ${e.url} ` +
      `(seed ${e.seed}; --seed ${e.seed} repeats it): ` +
      (bad.length === 0
        ? e.audited.some((a) => a.verdict === "failed")
          ? "some could not be re-run"
          : "all identical"
        : `${bad.length} differ, signed by ${signers.join(", ")}`),
  );
  for (const key of signers) {
    lines.push(
      `  Its entry stays on the remote until you run \`deno task trust --revoke ${key}\` ` +
        `(then \`gc --remote\` deletes what that key signed)`,
    );
  }
  return lines;
}

/**
 * The lines of `trust --revoke`.
 *
 * @example
 * ```ts
 * import { revokedLines } from "./remote_text.ts";
 * revokedLines({ kind: "key-revoked", key: "ed25519:k", name: "ci", file: "keys.json" })[0];
 * // "Revoked ed25519:k (ci) in keys.json: what it signed is never used again; commit the file"
 * ```
 */
export function revokedLines(e: KeyRevoked): string[] {
  const lines = [
    `Revoked ${e.key} (${e.name}) in ${e.file}: what it signed is never used again; commit the file`,
  ];
  if (e.entries !== undefined) {
    lines.push(
      `${e.entries.length} entries on ${e.url} are signed by it; \`gc --remote\` deletes them:`,
      ...e.entries.map((x) => `  ${x.stage}  ${x.key.slice(0, 12)}`),
    );
  }
  return lines;
}
