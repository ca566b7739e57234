/**
 * How a run hears Ctrl-C, SIGTERM and a closing terminal (SIGHUP): the first signal interrupts
 * the run (running stages stop, their SLURM jobs are cancelled, nothing new starts; the run then
 * records itself and releases the store); a later one only hurries it (it stops waiting for
 * cancelled jobs to leave the queue). No signal ever ends the process before that clean-up.
 *
 * `deno task` forwards a signal to its child, and a terminal's Ctrl-C also reaches the child
 * directly (same process group): the copy arriving right after the first is the same Ctrl-C.
 *
 * @module
 */
import type { Emit } from "../core/mod.ts";

/** The signals that interrupt a run, and the exit code each ends it with (128 + its number). */
export const INTERRUPT_EXIT_CODES = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;

/** A signal that interrupts a run. */
export type InterruptSignal = keyof typeof INTERRUPT_EXIT_CODES;

/** A second signal within this time of the first is its copy, not a second request (ms). */
export const ECHO_MS = 1000;

/** What a run sees of the signals it received. */
export interface Interruption {
  /** Aborted by the first signal: stop running stages, start none. */
  readonly signal: AbortSignal;
  /** Aborted by a later signal: stop waiting for stopped work to wind down. */
  readonly hurry: AbortSignal;
  /** The first signal's name, once one arrived. */
  readonly received: () => InterruptSignal | undefined;
  /** Stops listening (the process's default handling returns). */
  readonly stop: () => void;
}

/**
 * Listens for the interrupting signals until `stop()`; each is announced as a
 * `run-interrupted` event.
 *
 * @example
 * ```ts ignore
 * const interruption = listenForInterrupts(emit, Date.now);
 * try { await work(interruption.signal); } finally { interruption.stop(); }
 * ```
 */
export function listenForInterrupts(emit: Emit, now: () => number): Interruption {
  const first = new AbortController();
  const hurry = new AbortController();
  let received: InterruptSignal | undefined;
  let at = 0;
  const listeners = (Object.keys(INTERRUPT_EXIT_CODES) as InterruptSignal[]).map((sig) => {
    const listener = (): void => {
      if (received === undefined) {
        received = sig;
        at = now();
        emit({ kind: "run-interrupted", signal: sig, again: false });
        first.abort();
      } else if (!hurry.signal.aborted && now() - at > ECHO_MS) {
        emit({ kind: "run-interrupted", signal: sig, again: true });
        hurry.abort();
      }
    };
    Deno.addSignalListener(sig, listener);
    return [sig, listener] as const;
  });
  return {
    signal: first.signal,
    hurry: hurry.signal,
    received: () => received,
    stop: () => {
      for (const [sig, listener] of listeners) Deno.removeSignalListener(sig, listener);
      listeners.length = 0;
    },
  };
}
