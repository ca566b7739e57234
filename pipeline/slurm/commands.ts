/**
 * The SLURM commands the executor calls (`sbatch`, `squeue`, `scancel`, `sinfo`), each one
 * process per call, and the parsing of what they print.
 *
 * @module
 */
import { classifyState } from "./job_state.ts";

/** How a command ended; `code` 127 when it is not on the PATH. */
export interface CommandOutput {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to its end; never throws for a missing program (code 127). */
export async function call(program: string, args: readonly string[]): Promise<CommandOutput> {
  try {
    const out = await new Deno.Command(program, {
      args: [...args],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = (b: Uint8Array) => new TextDecoder().decode(b);
    return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      return { code: 127, stdout: "", stderr: `${program}: command not found` };
    }
    throw e;
  }
}

/** One job (array task) as `squeue` lists it. */
export interface QueueRow {
  /** SLURM's state, e.g. `RUNNING`, `COMPLETED`, `NODE_FAIL`. */
  readonly state: string;
  /** SLURM's reason, e.g. `NonZeroExitCode`, `None`. */
  readonly reason: string;
}

/** The `squeue` format {@linkcode parseQueue} reads. */
export const QUEUE_FORMAT = "%i|%T|%r";

/**
 * Parses `squeue -h -r -o '%i|%T|%r'` into job id (`<array>_<task>`) → state and reason.
 *
 * @example
 * ```ts
 * import { parseQueue } from "./commands.ts";
 * parseQueue("4_0|RUNNING|None\n4_1|FAILED|NonZeroExitCode\n").get("4_1");
 * // { state: "FAILED", reason: "NonZeroExitCode" }
 * ```
 */
export function parseQueue(text: string): Map<string, QueueRow> {
  const rows = new Map<string, QueueRow>();
  for (const line of text.split("\n")) {
    const [id, state, reason] = line.trim().split("|");
    if (!id || !state) continue;
    // A state can carry a suffix ("CANCELLED by 0"): the first word is the state.
    rows.set(id, { state: state.split(" ")[0]!, reason: reason ?? "" });
  }
  return rows;
}

/**
 * Every job named `name`, in any state SLURM still remembers: one `squeue` call, whatever the
 * number of jobs (array tasks listed one per line).
 */
export async function queue(name: string): Promise<Map<string, QueueRow> | undefined> {
  const out = await call("squeue", ["-h", "-r", "-t", "all", "-n", name, "-o", QUEUE_FORMAT]);
  return out.code === 0 ? parseQueue(out.stdout) : undefined;
}

/** Cancels jobs by id (`<array>` or `<array>_<task>`) and/or by name; one `scancel` call. */
export async function cancel(ids: readonly string[], name?: string): Promise<void> {
  if (ids.length === 0 && name === undefined) return;
  await call("scancel", [...(name === undefined ? [] : [`--name=${name}`]), ...ids]);
}

/** Quotes a word for `sh`. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./=:@%+-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * Waits (bounded, and no longer once `stop` is aborted) until no job of `name` is active any
 * more; whether none is.
 */
export async function drained(
  name: string,
  timeoutMs = 30_000,
  stop?: AbortSignal,
): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const rows = await queue(name);
    if (
      rows !== undefined &&
      [...rows.values()].every((r) => classifyState(r.state).kind !== "active")
    ) return true;
    if (Date.now() > until || stop?.aborted) return false;
    await sleep(500, stop);
  }
}

/** Resolves after `ms`, or at once when `stop` is aborted. */
export function sleep(ms: number, stop?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (stop?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(id);
      stop?.removeEventListener("abort", done);
      resolve();
    };
    const id = setTimeout(done, ms);
    stop?.addEventListener("abort", done, { once: true });
  });
}
