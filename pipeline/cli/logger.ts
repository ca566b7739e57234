/**
 * The one place that prints. Renders events as text — one line per executed, failed or skipped
 * stage, a live progress line on a terminal (none when not a TTY or with `CI=true`), and a
 * summary — or, with `--json`, prints every event as one JSON line.
 *
 * @module
 */
import type { Emit, Event } from "../core/mod.ts";
import {
  bytesText,
  changeText,
  pendingLines,
  remoteStatusLines,
  secondsText,
  statusLines,
} from "./status_text.ts";
import { whyLines } from "./why_text.ts";
import { compareLines } from "./compare_text.ts";
import { auditLines, remoteGcLines, revokedLines } from "./remote_text.ts";

/** Where and how to print. */
export interface LoggerOptions {
  /** Print events as JSON lines on `out`. */
  readonly json: boolean;
  /** Draw a live progress line on `err` (a terminal, and not CI). */
  readonly progress: boolean;
  /** Writes text to standard output. */
  readonly out: (text: string) => void;
  /** Writes text to standard error. */
  readonly err: (text: string) => void;
  /** The clock (ms), to throttle progress redraws. */
  readonly now: () => number;
}

/** Renders events; `close` clears any progress line. */
export interface Logger {
  readonly emit: Emit;
  close(): void;
}

/** Progress redraws at most this often (ms). */
const REDRAW_MS = 100;

/**
 * A logger writing through the given functions.
 *
 * @example
 * ```ts
 * import { createLogger } from "./logger.ts";
 * const lines: string[] = [];
 * const log = createLogger({ json: false, progress: false, out: (t) => lines.push(t), err: (t) => lines.push(t), now: Date.now });
 * log.emit({ kind: "run-done", executed: 1, cached: 2, failed: 0, skipped: 0, interrupted: 0, seconds: 1.25, failures: [] });
 * lines[0]; // "1 executed, 2 cached, 0 failed in 1.3 s\n"
 * ```
 */
export function createLogger(opts: LoggerOptions): Logger {
  const running = new Map<string, string>();
  // A remote entry rejected for a reason already shown (e.g. the same untrusted signer on every
  // entry) is counted, not repeated.
  const rejections = new Map<string, number>();
  const differences = new Map<string, number>();
  let uploaded = 0;
  // Notes already shown this run.
  const noted = new Set<string>();
  let drawn = false;
  let lastDraw = 0;

  const clear = (): void => {
    if (drawn) opts.err("\r\x1b[2K");
    drawn = false;
  };
  const draw = (force: boolean): void => {
    if (!opts.progress) return;
    const t = opts.now();
    if (!force && t - lastDraw < REDRAW_MS) return;
    lastDraw = t;
    clear();
    if (running.size === 0) return;
    const shown = [...running].slice(0, 3).map(([id, p]) => (p === "" ? id : `${id} ${p}`));
    const more = running.size > 3 ? ` (+${running.size - 3})` : "";
    const line = `  running: ${shown.join(" · ")}${more}`;
    const cols = columns();
    opts.err(line.length >= cols ? line.slice(0, cols - 1) : line);
    drawn = true;
  };
  const say = (text: string): void => {
    clear();
    opts.out(text + "\n");
    draw(true);
  };
  const warn = (text: string): void => {
    clear();
    opts.err(text + "\n");
    draw(true);
  };

  const emit = (e: Event): void => {
    if (opts.json) {
      opts.out(JSON.stringify(e) + "\n");
      return;
    }
    switch (e.kind) {
      case "run-start":
      case "stage-cached":
      case "artifact-written":
      case "artifact-removed":
      case "accept-unneeded":
        if (e.kind === "accept-unneeded") say(`${e.stage} is already fresh: nothing to accept`);
        return;
      case "lock-wait":
        warn(`Waiting for another run (process ${e.pid}, since ${e.since}) to release the store…`);
        return;
      case "store-swept":
        if (e.removed > 0) warn(`Removed ${e.removed} unfinished result(s) of an interrupted run`);
        return;
      case "stage-start":
        running.set(e.stage, "");
        draw(true);
        return;
      case "stage-progress":
        running.set(e.stage, `${e.done}/${e.total}`);
        draw(false);
        return;
      case "stage-note":
        // Many stages may say the same (each training on this machine): once is enough.
        if (!noted.has(e.message)) {
          noted.add(e.message);
          warn(`Note (${e.stage}): ${e.message}`);
        }
        return;
      case "stage-executed":
        running.delete(e.stage);
        say(
          `✓ ${e.stage} (${secondsText(e.seconds)}${
            e.resumed ? `, resumed at ${e.resumed.param} = ${e.resumed.progress}` : ""
          })`,
        );
        return;
      case "stage-failed":
        running.delete(e.stage);
        warn(`✗ ${e.message}`);
        return;
      case "stage-skipped":
        warn(`- ${e.stage} skipped: its input stage "${e.failure.dependency}" failed`);
        return;
      case "stage-interrupted":
        // Counted in the summary; one line per stage would bury the rest.
        running.delete(e.stage);
        draw(true);
        return;
      case "store-damaged":
        warn(`! The stored result of ${e.stage} was damaged (${e.detail}); recomputing it`);
        return;
      case "decide-round":
        say(
          e.added.length === 0
            ? `Decided after round ${e.round}: nothing more to add`
            : `Round ${e.round} leaves something undecided; round ${e.round + 1} adds ${
              e.added.join(" ")
            }`,
        );
        return;
      case "graph-grew":
        say(
          `The graph grew: ${e.after.join(", ")} declared ${e.stages.length} more stage(s)`,
        );
        return;
      case "run-done": {
        const skipped = e.skipped > 0 ? `, ${e.skipped} skipped` : "";
        const interrupted = e.interrupted > 0 ? `, ${e.interrupted} interrupted` : "";
        const downloaded = e.downloaded ? ` (${e.downloaded} downloaded)` : "";
        const resumed = e.resumed ? ` (${e.resumed} resumed)` : "";
        const up = uploaded > 0 ? `, ${uploaded} uploaded` : "";
        sayFolded();
        say(
          `${e.executed} executed${resumed}, ${e.cached} cached${downloaded}, ${e.failed} failed${skipped}` +
            `${interrupted}${up} in ${secondsText(e.seconds)}`,
        );
        if (e.failures.length > 0) warn(`Failed: ${e.failures.join(", ")}`);
        return;
      }
      case "stage-downloaded":
        say(`↓ ${e.stage} (${bytesText(e.bytes)})`);
        return;
      case "stage-uploaded":
        uploaded++;
        return;
      case "remote-rejected": {
        const seen = rejections.get(e.detail);
        rejections.set(e.detail, (seen ?? 0) + 1);
        if (seen === undefined) {
          warn(`! The remote's result of ${e.stage} was not used: ${e.detail}`);
        }
        return;
      }
      case "remote-differs": {
        const reasons = [
          ...e.changes.map((c) => changeText(c)),
          ...(e.deno ? [`Deno ${e.deno.before} → ${e.deno.after}`] : []),
          ...(e.npm ?? []).map((n) => `npm ${n}`),
        ].join("; ");
        const seen = differences.get(reasons);
        differences.set(reasons, (seen ?? 0) + 1);
        if (seen === undefined) {
          warn(`? The remote has ${e.stage} only under another key (remote → here: ${reasons})`);
        }
        return;
      }
      case "remote-unavailable":
        warn(
          e.uploadsOnly
            ? `! Uploads to ${e.url} stopped (${e.detail}); results stay local: \`deno task push\` sends them later`
            : `! The remote ${e.url} failed (${e.detail}); going on without it`,
        );
        return;
      case "signing-key-created":
        warn(
          `Created this machine's signing key ${e.key} in ${e.file}; keep that file private.` +
            (e.trustedKeys === ""
              ? ""
              : ` Other clones use what it signs once ${e.trustedKeys} lists it: run \`deno task trust\` and commit the file.`),
        );
        return;
      case "push-done":
        say(
          `Pushed ${e.pushed} result(s) (${bytesText(e.bytes)}) to ${e.url} in ${
            secondsText(e.seconds)
          }; ` +
            `${e.present} were there already`,
        );
        if (e.missing.length > 0) {
          warn(`Not pushed, no current result here (run reproduce first): ${list(e.missing)}`);
        }
        if (e.untrusted) {
          warn(
            `! ${e.untrusted.file || "The pipeline"} does not trust the key that signed them ` +
              `(${e.untrusted.key}): other clones will not use them until you run \`deno task trust\` and commit the file`,
          );
        }
        return;
      case "pull-done": {
        sayFolded();
        const verified = e.verified > 0 ? `; ${e.verified} checked against the remote` : "";
        say(
          `Pulled ${e.pulled} result(s) (${bytesText(e.bytes)}) from ${e.url} in ${
            secondsText(e.seconds)
          }; ` +
            `${e.present} were here already${verified}`,
        );
        if (e.missing.length > 0) warn(`Not on the remote: ${list(e.missing)}`);
        if (e.rejected.length > 0) warn(`Not used (see above): ${list(e.rejected)}`);
        return;
      }
      case "key-trusted":
        say(
          e.already
            ? `${e.file} already trusts ${e.key} (${e.name})`
            : `Trusted ${e.key} (${e.name}) in ${e.file}: commit it so other clones use what this key signs`,
        );
        return;
      case "status":
        statusLines(e).forEach((line) => say(line));
        return;
      case "remote-status":
        remoteStatusLines(e).forEach((line) => say(line));
        return;
      case "dag":
        say(e.text);
        pendingLines(e.pending).forEach((line) => say(line));
        say(`Drew ${e.svg}`);
        return;
      case "why":
        say(whyLines(e).join("\n"));
        return;
      case "compare":
        say(compareLines(e).join("\n"));
        return;
      case "gc-done":
        say(
          `Removed ${e.removed} results and freed ${
            bytesText(e.freedBytes)
          } (kept the current ones ` +
            `and the ${e.keep} newest of each stage); store: ${e.store.entries} results, ${
              bytesText(e.store.bytes)
            }`,
        );
        return;
      case "remote-gc-done":
        remoteGcLines(e).forEach((line) => say(line));
        return;
      case "audit-done":
        auditLines(e).forEach((line) => say(line));
        return;
      case "key-revoked":
        revokedLines(e).forEach((line) => say(line));
        return;
      case "verify-done":
        for (const d of e.damaged) warn(`Damaged: ${d.stage} (${d.key.slice(0, 12)}): ${d.detail}`);
        say(
          e.damaged.length === 0
            ? `Verified ${e.checked} results: all intact`
            : `${e.damaged.length} of ${e.checked} results were damaged; they were set aside and ` +
              `will be recomputed by the next reproduce`,
        );
        return;
      case "accepted": {
        const files = e.files.length > 0 ? ` (${e.files.join(", ")})` : "";
        say(
          `Accepted ${e.stage} without rerunning: its stored result now stands for the current ` +
            `code${files}. This trusts you that the edit was cosmetic.`,
        );
        return;
      }
      case "command-failed":
        warn(e.message);
        return;
      case "cluster-submitted": {
        const stages = e.batches.reduce((n, b) => n + b.length, 0);
        const jobs = e.batches.length === 1 ? "1 job" : `${e.batches.length} jobs`;
        warn(`Submitted ${stages} stage(s) to SLURM in ${jobs} (array ${e.job})`);
        return;
      }
      case "cluster-offered":
        warn(`Gave ${e.stages.length} stage(s) to SLURM job ${e.job}, idle after its batch`);
        return;
      case "cluster-resubmitted":
        warn(
          `! SLURM job ${e.job} ended ${e.state}; resubmitted its ${e.stages.length} unfinished ` +
            `stage(s) (attempt ${e.attempt})`,
        );
        return;
      case "cluster-leftovers":
        warn(
          `Cancelled ${e.jobs.length} SLURM job(s) left by an earlier run: ${e.jobs.join(", ")}`,
        );
        return;
      case "run-interrupted":
        warn(
          e.again
            ? `Interrupted again (${e.signal}): not waiting for stopped jobs to leave the queue`
            : `Interrupted (${e.signal}): stopping running stages (and any cluster jobs); the ` +
              `store stays consistent`,
        );
        return;
    }
  };
  /** Says how many rejections and differences were not repeated, once. */
  function sayFolded(): void {
    const repeats = (m: Map<string, number>) => [...m.values()].reduce((n, c) => n + c - 1, 0);
    const rejected = repeats(rejections), differing = repeats(differences);
    if (rejected > 0) {
      warn(`! …and ${rejected} more remote result(s) not used, for a reason shown above`);
    }
    if (differing > 0) {
      warn(
        `? …and ${differing} more stage(s) on the remote under another key, for the same reason`,
      );
    }
    rejections.clear();
    differences.clear();
  }

  return { emit, close: clear };
}

/** At most ten items of a list, then how many more. */
function list(items: readonly string[]): string {
  return items.length <= 10
    ? items.join(", ")
    : `${items.slice(0, 10).join(", ")} (and ${items.length - 10} more)`;
}

/** Width of the terminal, so the progress line never wraps (which would break its redraw). */
function columns(): number {
  try {
    const { columns } = Deno.consoleSize();
    return columns >= 20 ? columns : 100; // A pseudo-terminal may report 0 columns.
  } catch {
    return 100;
  }
}
