/**
 * The one naming scheme for a file written beside its target and then renamed over it:
 * `<dir>/.<name>.<pid>.<nonce>.tmp`. Hidden, so listings of a folder pass it by; the writer's
 * pid, so a sweep can remove what a dead writer left without touching a live one's file.
 *
 * @module
 */

/** What a temporary file's name says about it. */
export interface TempName {
  /** The base name of the file it is written for. */
  readonly target: string;
  /** The process writing it. */
  readonly pid: number;
}

/** Options of {@linkcode tempName}. */
export interface TempNameOptions {
  /** The writer's pid (default: this process). */
  readonly pid?: number;
}

const PATTERN = /^\.(.+)\.(\d+)\.[0-9a-f]{8}\.tmp$/;

/**
 * A fresh temporary path beside `target`, for this process to write and rename over `target`.
 *
 * @example
 * ```ts
 * import { tempName } from "./temp_name.ts";
 * const tmp = tempName("/p/index/a.json", { pid: 42 });
 * tmp.startsWith("/p/index/.a.json.42."); // true
 * ```
 */
export function tempName(target: string, opts: TempNameOptions = {}): string {
  const slash = target.lastIndexOf("/");
  const nonce = crypto.randomUUID().slice(0, 8);
  return `${target.slice(0, slash + 1)}.${target.slice(slash + 1)}.${
    opts.pid ?? Deno.pid
  }.${nonce}.tmp`;
}

/**
 * The target and writer a directory entry's name records, if {@linkcode tempName} made it.
 *
 * @example
 * ```ts
 * import { parseTempName } from "./temp_name.ts";
 * parseTempName(".a.json.42.0123abcd.tmp"); // { target: "a.json", pid: 42 }
 * parseTempName("a.json"); // undefined
 * ```
 */
export function parseTempName(name: string): TempName | undefined {
  const m = PATTERN.exec(name);
  return m ? { target: m[1]!, pid: Number(m[2]) } : undefined;
}
