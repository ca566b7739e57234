/**
 * A file's stat fields that change when it is rewritten: what lets the code memo trust a stored
 * hash without reading the file again.
 *
 * @module
 */

/** Stat fields that must all match for a memoised hash to be trusted. */
export interface Stamp {
  /** Size in bytes. */
  readonly size: number;
  /** Modification time (ms since the epoch; 0 where the platform has none). */
  readonly mtime: number;
  /** Status change time (ms since the epoch; 0 where the platform has none). */
  readonly ctime: number;
  /** Inode number (0 where the platform has none). */
  readonly ino: number;
}

/**
 * The stamp of `path`, or `null` when it does not exist; other errors are thrown.
 *
 * @example
 * ```ts ignore
 * import { stampOf } from "./file_stamp.ts";
 * (await stampOf("deno.json"))?.size;
 * ```
 */
export async function stampOf(path: string): Promise<Stamp | null> {
  try {
    const s = await Deno.stat(path);
    return {
      size: s.size,
      mtime: s.mtime?.getTime() ?? 0,
      ctime: s.ctime?.getTime() ?? 0,
      ino: s.ino ?? 0,
    };
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
}

/** Whether two stamps agree on every field. */
export function sameStamp(a: Stamp, b: Stamp): boolean {
  return a.size === b.size && a.mtime === b.mtime && a.ctime === b.ctime && a.ino === b.ino;
}
