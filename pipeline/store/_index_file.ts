/**
 * What the store's indexes (the history of each stage id, the lineages of stages with progress)
 * share: reading a list from a small JSON file for which absence or garbling is an answer (an
 * index is a convenience, rebuilt as results are used), and one write at a time per file.
 *
 * @module
 */
import { StoreIoError } from "./store_io_error.ts";

/**
 * The list under `field` of the JSON file at `path`: empty when the file is absent, is not JSON
 * or holds no such list; other read errors throw {@linkcode StoreIoError}. Read synchronously, as
 * lookups are (see `checkEntry`).
 *
 * @example
 * ```ts
 * import { readIndexList } from "./_index_file.ts";
 * readIndexList("/no/such/index.json", "keys"); // []
 * ```
 */
export function readIndexList(path: string, field: string): unknown[] {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    throw new StoreIoError(path, e);
  }
  try {
    const list = (JSON.parse(text) as Record<string, unknown>)[field];
    return Array.isArray(list) ? list : [];
  } catch {
    return [];
  }
}

/**
 * Serialises the read-modify-write updates of index files within the process, per file (the
 * store lock serialises processes).
 *
 * @example
 * ```ts
 * import { IndexWrites } from "./_index_file.ts";
 * const writes = new IndexWrites();
 * const order: number[] = [];
 * await Promise.all([1, 2].map((n) => writes.enqueue("a", async () => void order.push(n))));
 * order; // [1, 2]
 * ```
 */
export class IndexWrites {
  readonly #queues = new Map<string, Promise<void>>();

  /** Runs `write` once every earlier write of `name` has ended, whether or not it failed. */
  enqueue(name: string, write: () => Promise<void>): Promise<void> {
    const previous = this.#queues.get(name) ?? Promise.resolve();
    const next = previous.catch(() => {}).then(write);
    this.#queues.set(name, next);
    return next;
  }
}
