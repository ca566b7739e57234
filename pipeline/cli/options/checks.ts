/**
 * The checks of option values: each turns the text given (by a flag, or by the `PSINV_*` variable
 * standing in for it) into a value, or into the message that names where it came from and what
 * is allowed.
 *
 * @module
 */
import {
  checkResource,
  err,
  ok,
  parseResourceOverride,
  type ResourceOverride,
  type Result,
} from "../../core/mod.ts";
import { type BatchPolicy, parseBatch } from "../../slurm/mod.ts";
import { EXECUTORS } from "../command.ts";

/** Turns `text`, given by `from` (`--jobs`, `PSINV_TIME`), into a value or a usage message. */
export type Check<T> = (text: string, from: string) => Result<T, string>;

/**
 * A whole number of at least `min` (up to six digits).
 *
 * @example
 * ```ts
 * import { wholeAtLeast } from "./checks.ts";
 * wholeAtLeast(1)("0", "--jobs"); // { ok: false, error: '--jobs must be a whole number of at least 1, got "0"' }
 * ```
 */
export function wholeAtLeast(min: number): Check<number> {
  return (text, from) =>
    /^\d{1,6}$/.test(text.trim()) && Number(text.trim()) >= min
      ? ok(Number(text.trim()))
      : err(`${from} must be a whole number of at least ${min}, got "${text}"`);
}

/** A random seed: a whole number below 2³². */
export const seed: Check<number> = (text, from) =>
  /^\d{1,10}$/.test(text.trim()) && Number(text.trim()) <= 0xffffffff
    ? ok(Number(text.trim()))
    : err(`${from} must be a whole number below 4294967296, got "${text}"`);

/** A duration in seconds: a bare number, or with `s`, `m`, `h` or `d`. */
export const duration: Check<number> = (text, from) => {
  const m = /^(\d{1,7})([smhd]?)$/.exec(text.trim());
  if (m === null) {
    return err(`${from} must be a duration such as 0, 90, 30s, 10m, 1h or 2d, got "${text}"`);
  }
  const unit = { "": 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as "" | "s" | "m" | "h" | "d"];
  return ok(Number(m[1]) * unit);
};

/** Where stages execute: one of {@linkcode EXECUTORS}. */
export const executor: Check<(typeof EXECUTORS)[number]> = (text, from) =>
  (EXECUTORS as readonly string[]).includes(text)
    ? ok(text as (typeof EXECUTORS)[number])
    : err(`Unknown executor "${text}" (${from}): valid executors are ${EXECUTORS.join(", ")}`);

/** A SLURM time limit, memory size or CPU count, as `checkResource` reads it. */
export function resource(field: "time" | "mem"): Check<string>;
export function resource(field: "cpus"): Check<number>;
export function resource(field: "time" | "mem" | "cpus"): Check<string | number> {
  return (text, from) => {
    const bad = checkResource(field, text);
    if (bad !== undefined) return err(`${from}: ${bad}`);
    return ok(field === "cpus" ? Number(text) : text.trim());
  };
}

/** One stage's resource over the run's: `<stage-glob>:<field>=<value>`. */
export const resourceOverride: Check<ResourceOverride> = (text, from) => {
  const o = parseResourceOverride(text);
  return o.ok ? o : err(`Invalid ${from} "${text}": ${o.error}`);
};

/** A SLURM partition or account name (comma-separated names for several). */
export function slurmName(what: "partition" | "account"): Check<string> {
  return (text, from) =>
    /^[A-Za-z0-9_.-]+(,[A-Za-z0-9_.-]+)*$/.test(text) ? ok(text) : err(
      `${from} must be a SLURM ${what} name (letters, digits, _ . -, comma-separated), got "${text}"`,
    );
}

/** Stages per SLURM job, or seconds of work per job. */
export const batch: Check<BatchPolicy> = (text, from) => {
  const b = parseBatch(text);
  return b.ok ? b : err(`${from} ${b.error}`);
};
