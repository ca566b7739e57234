/**
 * The format of `promoted.json`, what a search's selection at one rung writes and what the
 * declaration of the next rung reads: the trials kept, ascending. Imports nothing, so that the
 * stages reading it have only this declaration in their keys.
 *
 * @module
 */

/** The content of `promoted.json`. */
export interface Promoted {
  /** The rung selected from (0 = the first). */
  readonly rung: number;
  /** The trials ranked at this rung, ascending. */
  readonly ranked: readonly number[];
  /** The trials that go on to the next rung, ascending. */
  readonly promoted: readonly number[];
}

/** The file a selection writes. */
export const PROMOTED_FILE = "promoted.json";

/**
 * Parses `promoted.json`; throws on anything else.
 *
 * @example
 * ```ts
 * import { parsePromoted } from "./promoted_format.ts";
 * parsePromoted('{"rung":0,"ranked":[0,1,2],"promoted":[1]}').promoted; // [1]
 * ```
 */
export function parsePromoted(text: string): Promoted {
  const v = JSON.parse(text) as Promoted;
  const ints = (a: unknown) => Array.isArray(a) && a.every((x) => Number.isInteger(x) && x >= 0);
  if (!Number.isInteger(v?.rung) || !ints(v.ranked) || !ints(v.promoted)) {
    throw new Error(`${PROMOTED_FILE} is not a selection: ${text.slice(0, 80)}`);
  }
  return v;
}
