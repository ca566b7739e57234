/**
 * One store, many processes: an exclusive lock file `.psinv/lock` naming its holder. A lock
 * whose holder process is gone (killed, even with `kill -9`) is stale and is taken over.
 *
 * @module
 */
import {
  err,
  type Failure,
  lockBreakerFile,
  lockFile,
  ok,
  psinvDir,
  type Result,
} from "../core/mod.ts";

/** Who holds the lock, as written in the lock file. */
export interface LockHolder {
  /** Process id of the holder. */
  readonly pid: number;
  /** When it took the lock (ISO 8601). */
  readonly since: string;
  /** The holder's start time from `/proc` (clock ticks), so a recycled pid is not mistaken for it. */
  readonly start?: number;
  /** Random token identifying this acquisition. */
  readonly token: string;
  /** The holder's machine: a store on a shared file system can be locked from another one. */
  readonly host?: string;
}

/** A held lock. */
export interface Lock {
  /** The lock file's content. */
  readonly holder: LockHolder;
  /** Releases the lock (only if it is still ours); safe to call twice. */
  release(): Promise<void>;
}

/** Options of {@linkcode acquireLock}. */
export interface LockOptions {
  /** Called once, when the lock is found held by a live process and we start waiting. */
  readonly onWait?: (holder: { pid: number; since: string }) => void;
  /** Give up after waiting this long (default: wait forever). */
  readonly timeoutMs?: number;
  /** Poll interval while waiting (default 200 ms). */
  readonly pollMs?: number;
}

/** A breaker file older than this belongs to a process that died while breaking a stale lock. */
const BREAKER_STALE_MS = 10_000;
/** A lock file that stays unparsable this long was left by a holder that died mid-write. */
const GARBLED_STALE_MS = 5_000;

/**
 * Takes the store lock under `<root>/.psinv/lock`, waiting while a live process holds it and
 * recovering it from a dead one; fails with `lock-timeout` after `timeoutMs`.
 *
 * @example
 * ```ts
 * import { acquireLock } from "./lock.ts";
 * const root = await Deno.makeTempDir();
 * const lock = await acquireLock(root, { timeoutMs: 1000 });
 * if (lock.ok) await lock.value.release();
 * await Deno.remove(root, { recursive: true });
 * ```
 */
export async function acquireLock(
  root: string,
  opts: LockOptions = {},
): Promise<Result<Lock, Failure>> {
  const dir = psinvDir(root);
  const path = lockFile(dir);
  try {
    await Deno.mkdir(dir, { recursive: true });
  } catch (e) {
    return err(ioFailed(dir, e));
  }
  const start = startOf(Deno.pid);
  const me: LockHolder = {
    pid: Deno.pid,
    since: "",
    ...(start !== undefined ? { start } : {}),
    token: crypto.randomUUID(),
    host: Deno.hostname(),
  };
  try {
    return await wait({ path, breaker: lockBreakerFile(dir) }, me, opts);
  } catch (e) {
    return err(ioFailed(path, e));
  }
}

/** The lock file and the breaker file that serialises removing it when stale. */
interface LockFiles {
  readonly path: string;
  readonly breaker: string;
}

async function wait(
  { path, breaker }: LockFiles,
  me: LockHolder,
  opts: LockOptions,
): Promise<Result<Lock, Failure>> {
  const started = Date.now();
  const poll = opts.pollMs ?? 200;
  let waited = false;
  for (;;) {
    const holder = { ...me, since: new Date().toISOString() };
    try {
      const file = await Deno.open(path, { write: true, createNew: true });
      try {
        await file.write(new TextEncoder().encode(JSON.stringify(holder)));
        await file.sync();
      } finally {
        file.close();
      }
      return ok({ holder, release: () => releaseLock(path, holder.token) });
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) {
        // The store folder was removed while we waited: recreate it and try again.
        await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
        continue;
      }
      if (!(e instanceof Deno.errors.AlreadyExists)) return err(ioFailed(path, e));
    }

    const seen = await readHolder(path);
    if (seen.kind === "gone") continue;
    if (seen.kind === "stale") {
      await breakStale({ path, breaker }, seen.text);
      continue;
    }
    if (seen.kind === "held" && !waited) {
      waited = true;
      opts.onWait?.({ pid: seen.holder.pid, since: seen.holder.since });
    }
    if (opts.timeoutMs !== undefined && Date.now() - started >= opts.timeoutMs) {
      return err({
        reason: "lock-timeout",
        holder: seen.kind === "held"
          ? `process ${seen.holder.pid} (since ${seen.holder.since})`
          : "a process still writing the lock file",
      });
    }
    await new Promise((r) => setTimeout(r, poll));
  }
}

type Seen =
  | { kind: "gone" }
  | { kind: "held"; holder: LockHolder }
  | { kind: "stale"; text: string }
  | { kind: "young" };

async function readHolder(path: string): Promise<Seen> {
  let text: string;
  let mtime: number;
  try {
    text = await Deno.readTextFile(path);
    mtime = (await Deno.stat(path)).mtime?.getTime() ?? 0;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return { kind: "gone" };
    throw e;
  }
  const holder = parseHolder(text);
  if (holder === undefined) {
    // The holder may be between create and write; only an old garbled file is stale.
    return Date.now() - mtime > GARBLED_STALE_MS ? { kind: "stale", text } : { kind: "young" };
  }
  // A holder on another machine cannot be checked from here: wait for it, never take over.
  if (holder.host !== undefined && holder.host !== Deno.hostname()) return { kind: "held", holder };
  return isProcessAlive(holder.pid, holder.start)
    ? { kind: "held", holder }
    : { kind: "stale", text };
}

/**
 * Removes a stale lock, serialised by a breaker file so that two waiters cannot both "break"
 * the lock when one of them has already taken a fresh one in between.
 */
async function breakStale({ path, breaker }: LockFiles, staleText: string): Promise<void> {
  try {
    (await Deno.open(breaker, { write: true, createNew: true })).close();
  } catch (e) {
    if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
    try {
      const age = Date.now() - ((await Deno.stat(breaker)).mtime?.getTime() ?? 0);
      if (age > BREAKER_STALE_MS) await Deno.remove(breaker);
    } catch (e2) {
      if (!(e2 instanceof Deno.errors.NotFound)) throw e2;
    }
    await new Promise((r) => setTimeout(r, 20));
    return;
  }
  try {
    const now = await Deno.readTextFile(path).catch((e) => {
      if (e instanceof Deno.errors.NotFound) return undefined;
      throw e;
    });
    if (now === staleText) await Deno.remove(path);
  } finally {
    await Deno.remove(breaker).catch(() => {});
  }
}

async function releaseLock(path: string, token: string): Promise<void> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return;
    throw e;
  }
  if (parseHolder(text)?.token === token) await Deno.remove(path);
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const h = JSON.parse(text) as LockHolder;
    if (
      typeof h === "object" && h !== null && Number.isInteger(h.pid) &&
      typeof h.since === "string" && typeof h.token === "string"
    ) return h;
  } catch { /* garbled: undefined */ }
  return undefined;
}

/**
 * Whether a process is running (not a zombie), read from `/proc`; when `start` is given the
 * process must also have that start time, so a recycled pid does not count. Without `/proc`
 * (non-Linux) every process is assumed alive, so nothing is ever taken from a live holder.
 *
 * @example
 * ```ts
 * import { isProcessAlive } from "./lock.ts";
 * isProcessAlive(Deno.pid); // true
 * ```
 */
export function isProcessAlive(pid: number, start?: number): boolean {
  const stat = procStat(pid);
  if (stat === "no-proc") return true;
  if (stat === undefined) return false;
  if (stat.state === "Z" || stat.state === "X") return false;
  return start === undefined || stat.start === start;
}

/** The start time (clock ticks since boot) of a process, when `/proc` tells it. */
export function startOf(pid: number): number | undefined {
  const stat = procStat(pid);
  return typeof stat === "object" ? stat.start : undefined;
}

function procStat(pid: number): { state: string; start: number } | undefined | "no-proc" {
  let text: string;
  try {
    text = Deno.readTextFileSync(`/proc/${pid}/stat`);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      try {
        Deno.statSync("/proc/self/stat");
        return undefined;
      } catch {
        return "no-proc";
      }
    }
    return "no-proc";
  }
  // The command name (field 2) may contain spaces and parentheses: parse after the last ")".
  const rest = text.slice(text.lastIndexOf(")") + 2).split(" ");
  const state = rest[0] ?? "";
  const start = Number(rest[19]);
  return { state, start };
}

function ioFailed(path: string, e: unknown): Failure {
  return {
    reason: "io-failed",
    path,
    detail: e instanceof Error ? e.message : String(e),
    hint: "check that the project folder is writable",
  };
}
