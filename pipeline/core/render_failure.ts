/**
 * The one place a {@linkcode Failure} becomes words and an exit code: 2 for bad input or usage
 * (nothing ran, the store is untouched), 1 for a failure while working.
 *
 * @module
 */
import type { Failure } from "./failure.ts";
import { unreachable } from "./result.ts";

/** A failure as the user sees it. */
export interface RenderedFailure {
  /** One line, sentence case, values quoted, detail after a colon. */
  readonly message: string;
  /** The process exit code it ends the command with. */
  readonly exitCode: 1 | 2;
}

/** How many known stage ids an `unknown-stage` message lists before eliding. */
const LIST_MAX = 60;

/**
 * Renders a failure as one line and its exit code.
 *
 * @example
 * ```ts
 * import { renderFailure } from "./render_failure.ts";
 * renderFailure({ reason: "unknown-stage", id: "trian", known: ["train", "plot"] });
 * // { message: 'Unknown stage "trian": valid stages are train, plot', exitCode: 2 }
 * ```
 */
export function renderFailure(f: Failure): RenderedFailure {
  switch (f.reason) {
    case "params-unreadable":
      return bad(`Cannot read parameters file "${f.file}": ${f.detail}`);
    case "params-syntax":
      return bad(
        `Cannot parse parameters file "${f.file}" at line ${f.line}, column ${f.column}: ${f.detail}`,
      );
    case "param-invalid": {
      const shown = f.issues.slice(0, 3).map((i) =>
        `${i.path === "" ? "(document)" : `"${i.path}"`}: ${i.message}`
      );
      const more = f.issues.length > 3 ? ` (and ${f.issues.length - 3} more)` : "";
      return bad(`Invalid parameters: ${shown.join("; ")}${more}`);
    }
    case "override-invalid":
      return bad(`Invalid override "${f.arg}": ${f.detail}`);
    case "usage":
      return bad(`${f.detail}: ${f.hint}`);
    case "unknown-stage": {
      const list = f.known.length > LIST_MAX
        ? `${f.known.slice(0, LIST_MAX).join(", ")}, …`
        : f.known.join(", ");
      if (f.pattern) {
        // Suggest among the ids and the patterns naming each folder of them (`evaluate/*`).
        const folders = f.known.filter((k) => k.includes("/")).map((k) =>
          `${k.slice(0, k.lastIndexOf("/"))}/*`
        );
        const near = nearestName(f.id, [...new Set([...folders, ...f.known])]);
        const guess = near === undefined ? "" : `did you mean "${near}"? `;
        return bad(`No stage matches "${f.id}": ${guess}valid stages are ${list}`);
      }
      const near = nearestName(f.id, f.known);
      const guess = near === undefined ? "" : `did you mean "${near}"? `;
      return bad(`Unknown stage "${f.id}": ${guess}valid stages are ${list}`);
    }
    case "graph-invalid":
      return bad(`Invalid stage graph: ${f.detail}`);
    case "stage-failed":
      return failed(`Stage "${f.stage}" failed (${f.code}): ${f.detail}${hint(f.hint)}`);
    case "output-missing":
      return failed(`Stage "${f.stage}" did not write its declared output "${f.file}"`);
    case "dependency-failed":
      return failed(`Stage "${f.stage}" was skipped: its input "${f.dependency}" failed`);
    case "io-failed":
      return failed(`Cannot write "${f.path}": ${f.detail}${hint(f.hint)}`);
    case "lock-timeout":
      return failed(`Gave up waiting for the store lock held by ${f.holder}`);
    case "stage-timeout":
      return failed(
        `Stage "${f.stage}" timed out at its limit of ${f.limit}${
          f.job ? ` (SLURM job ${f.job}, TIMEOUT)` : ""
        }: raise it with --time or --resource ${f.stage}:time=…`,
      );
    case "stage-cancelled":
      return failed(`Stage "${f.stage}" was cancelled: the run was interrupted (${f.signal})`);
    case "cluster-job-failed":
      return failed(
        `Stage "${f.stage}" failed on SLURM (job ${f.job}, ${f.state}): ${f.detail}${hint(f.hint)}`,
      );
    case "cluster-job-lost":
      return failed(`Stage "${f.stage}" lost its SLURM job ${f.job}: ${f.detail}`);
    case "executor-invalid":
      return bad(`Cannot use the ${f.executor} executor: ${f.detail}: ${f.hint}`);
    case "remote-invalid":
      return bad(`Cannot use the remote "${f.url}": ${f.detail}${hint(f.hint)}`);
    case "remote-failed":
      return failed(`The remote "${f.url}" failed: ${f.detail}${hint(f.hint)}`);
    case "key-file-invalid":
      return bad(`Cannot use the key file "${f.file}": ${f.detail}${hint(f.hint)}`);
    case "unknown-artifact": {
      if (f.known.length === 0) {
        return bad(
          `No provenance for "${f.path}": artifacts/provenance.json is missing; run "reproduce" first`,
        );
      }
      const near = nearestName(f.path, f.known);
      const guess = near === undefined
        ? `paths are relative to artifacts/, e.g. "${f.known[0]}"`
        : `did you mean "${near}"?`;
      return bad(`Unknown artifact "${f.path}": ${guess}`);
    }
    default:
      return unreachable(f);
  }
}

/**
 * The known name closest to a typo (edit distance at most a third of its length), if any: what
 * every "did you mean" of the command line suggests.
 *
 * @example
 * ```ts
 * import { nearestName } from "./render_failure.ts";
 * nearestName("trian", ["train", "plot"]); // "train"
 * nearestName("zzzzz", ["train", "plot"]); // undefined
 * ```
 */
export function nearestName(id: string, known: readonly string[]): string | undefined {
  let best: string | undefined, bestDistance = Math.max(1, Math.floor(id.length / 3)) + 1;
  for (const k of known) {
    const d = editDistance(id, k);
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best;
}

/**
 * Levenshtein distance: the fewest single-character insertions, deletions and substitutions
 * turning `a` into `b` (how suggestions find the nearest known name).
 *
 * @example
 * ```ts
 * import { editDistance } from "./render_failure.ts";
 * editDistance("fit.maen", "fit.mean"); // 2
 * ```
 */
export function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(
        row[j]! + 1,
        next[j - 1]! + 1,
        row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    row = next;
  }
  return row[b.length]!;
}

function hint(text: string): string {
  return text === "" ? "" : ` (${text})`;
}

function bad(message: string): RenderedFailure {
  return { message, exitCode: 2 };
}

function failed(message: string): RenderedFailure {
  return { message, exitCode: 1 };
}
