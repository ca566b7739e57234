/**
 * How the engine's reasons read in a terminal: a stage's state with why (`status`), a change of
 * its key (`status`, `compare`, a remote's difference), a parameter's value, a size in bytes, a
 * duration.
 *
 * @module
 */
import type { Change, RemoteStatus, StatusReport } from "../core/mod.ts";

type StageState = StatusReport["stages"][number];

/**
 * The lines of `status`: each stage's state and why, then the counts and the store's size.
 *
 * @example
 * ```ts
 * import { statusLines } from "./status_text.ts";
 * statusLines({ kind: "status", stages: [], store: { entries: 0, bytes: 0 } }).at(-1);
 * // "0 fresh, 0 stale, 0 missing; store: 0 results, 0 B"
 * ```
 */
export function statusLines(e: StatusReport): string[] {
  const width = Math.max(0, ...e.stages.map((s) => s.id.length));
  const count = (f: string) => e.stages.filter((s) => s.state === f).length;
  return [
    ...e.stages.map((s) => `${s.state.padEnd(8)} ${s.id.padEnd(width)}  ${why(s)}`.trimEnd()),
    `${count("fresh")} fresh, ${count("stale")} stale, ${count("missing")} missing; ` +
    `store: ${e.store.entries} results, ${bytesText(e.store.bytes)}`,
    ...pendingLines(e.pending),
  ];
}

/**
 * What a graph that grows as it runs still waits on, for `status` and `dag`: nothing when it is
 * whole.
 *
 * @example
 * ```ts
 * import { pendingLines } from "./status_text.ts";
 * pendingLines(["select/0"]);
 * // ["The graph grows as it runs: more stages follow from the results of select/0"]
 * ```
 */
export function pendingLines(pending: readonly string[] = []): string[] {
  return pending.length === 0
    ? []
    : [`The graph grows as it runs: more stages follow from the results of ${pending.join(", ")}`];
}

/**
 * The lines of `status --remote`: how many stages not fresh here the remote can give, per
 * family, then the reasons for the others, and what asking cost.
 *
 * @example
 * ```ts
 * import { remoteStatusLines } from "./status_text.ts";
 * remoteStatusLines({ kind: "remote-status", url: "file:///c", requests: 2, notHere: 2, available: 2, families: [{ family: "step/*", available: 2, absent: 0, rejected: 0, waiting: 0, failed: 0 }], reasons: [] })[0];
 * // "Remote file:///c: 2 of 2 stages not fresh here can be downloaded (2 requests, one per stage not here)"
 * ```
 */
export function remoteStatusLines(e: RemoteStatus): string[] {
  const width = Math.max(0, ...e.families.map((f) => f.family.length));
  const requests = `${e.requests} request${e.requests === 1 ? "" : "s"}, one per stage not here`;
  return [
    `Remote ${e.url}: ${e.available} of ${e.notHere} stages not fresh here can be downloaded (${requests})`,
    ...e.families.map((f) => {
      const parts = [
        [f.available, "available"],
        [f.absent, "not on the remote"],
        [f.rejected, "rejected"],
        [f.waiting, "waiting on an input"],
        [f.failed, "not answered"],
      ].filter(([n]) => n !== 0).map(([n, what]) => `${n} ${what}`);
      return `  ${f.family.padEnd(width)}  ${parts.join(", ")}`;
    }),
    ...e.reasons.map((r) => `  ${r.count} × ${r.detail}`),
  ];
}

/** Why a stage has its state, in a few words. */
function why(s: StageState): string {
  const parts: string[] = [];
  if (s.damaged !== undefined) parts.push(`stored result damaged (${s.damaged})`);
  for (const c of s.changes) parts.push(changeText(c, s));
  for (const [name, from] of Object.entries(s.waiting)) {
    parts.push(name === from ? `waits on ${from}` : `waits on ${from} (input "${name}")`);
  }
  return parts.join("; ");
}

/**
 * One change of a key in a few words. Without a stage's state (a comparison, a remote's
 * difference) code "differs" (`code: "differs"`) or "changed".
 *
 * @example
 * ```ts
 * import { changeText } from "./status_text.ts";
 * changeText({ kind: "param", path: "configs.lam1.lambda", before: 1, after: 10 });
 * // "configs.lam1.lambda 1 → 10"
 * ```
 */
export function changeText(
  c: Change,
  s?: StageState,
  code: "differs" | "changed" = "differs",
): string {
  switch (c.kind) {
    case "param":
      return `${c.path} ${valueText(c.before)} → ${valueText(c.after)}`;
    case "input":
      return `input "${c.name}" changed`;
    case "code": {
      const files = c.files.length > 0 ? ` (${c.files.join(", ")})` : "";
      if (s === undefined) return `code ${code}${files}`;
      return s.codeOnly
        ? `only its code changed${files}: run \`deno task accept ${s.id}\` if the edit was cosmetic`
        : `code changed${files}`;
    }
    case "version":
      return `version ${c.before} → ${c.after}`;
    case "format":
      return `engine format ${c.before} → ${c.after}`;
  }
}

/** A parameter value as JSON, cut at 40 characters. */
export function valueText(v: unknown): string {
  if (v === undefined) return "(absent)";
  const text = JSON.stringify(v);
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}

/** A size in bytes, in SI units: `12.3 MB`. */
export function bytesText(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ["kB", "MB", "GB", "TB"];
  let v = n, i = -1;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}

/**
 * A duration: tenths below 10 s, whole seconds above.
 *
 * @example
 * ```ts
 * import { secondsText } from "./status_text.ts";
 * secondsText(1.25); // "1.3 s"
 * secondsText(96.4); // "96 s"
 * ```
 */
export function secondsText(s: number): string {
  return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
}
