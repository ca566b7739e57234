/**
 * The lineage index: for each lineage (results of a stage with progress whose keys differ only in
 * how far they went, see `key/lineage.ts`), the keys stored and the progress values of the states
 * each keeps. A miss of such a stage looks here for a result to continue. Like the history index
 * it is a convenience: an entry it names is verified before use, a garbled file reads as empty,
 * and an entry gone since is skipped.
 *
 * @module
 */
import { type Hash, isHash, lineageDir, lineageFile, lineageOfFile } from "../core/mod.ts";
import { listDir, removeTree, writeAtomic } from "./files.ts";
import { io } from "./store_io_error.ts";
import { IndexWrites, readIndexList } from "./_index_file.ts";

/** Results kept per lineage; the oldest drop out of the index (their entries stay until gc). */
export const LINEAGE_CAP = 100;

/** One stored result of a lineage and the progress values of the states it keeps. */
export interface LineageEntry {
  readonly key: Hash;
  /** Ascending; the last is how far the result went. */
  readonly states: readonly number[];
}

/**
 * The lineage index of one store. Updates of one lineage's file are serialised within the
 * process (the store lock serialises processes).
 *
 * @example
 * ```ts
 * import { LineageIndex } from "./lineage.ts";
 * import { sha256 } from "../core/mod.ts";
 * const root = await Deno.makeTempDir();
 * const index = new LineageIndex(`${root}/.psinv`);
 * const lineage = await sha256("a lineage");
 * await index.record(lineage, await sha256("a result"), [100, 500]);
 * index.entries(lineage)[0]?.states; // [100, 500]
 * await Deno.remove(root, { recursive: true });
 * ```
 */
export class LineageIndex {
  readonly #psinv: string;
  readonly #writes = new IndexWrites();

  /** The index under the store folder `psinv`. */
  constructor(psinv: string) {
    this.#psinv = psinv;
  }

  /** A lineage's results, oldest first. Read synchronously, as lookups are. */
  entries(lineage: Hash): LineageEntry[] {
    return readIndexList(lineageFile(this.#psinv, lineage), "entries").filter(isEntry);
  }

  /** Records that the result `key` keeps the states at `states` (ascending); no write if known. */
  record(lineage: Hash, key: Hash, states: readonly number[]): Promise<void> {
    return this.#update(lineage, (entries) => {
      const same = entries.find((e) => e.key === key);
      if (same && same.states.join() === states.join()) return undefined;
      return [...entries.filter((e) => e.key !== key), { key, states: [...states] }];
    });
  }

  /** Drops the keys `gone` from every lineage (a lineage left empty loses its file). */
  async forget(gone: ReadonlySet<string>): Promise<void> {
    const dir = lineageDir(this.#psinv);
    for (const e of await listDir(dir)) {
      const lineage = e.isFile ? lineageOfFile(e.name) : undefined;
      if (lineage === undefined || !isHash(lineage)) continue;
      await this.#update(
        lineage,
        (entries) =>
          entries.some((x) => gone.has(x.key))
            ? entries.filter((x) => !gone.has(x.key))
            : undefined,
      );
    }
  }

  /** Rewrites a lineage's entries with `change`, which answers `undefined` when nothing moved. */
  #update(
    lineage: Hash,
    change: (entries: LineageEntry[]) => LineageEntry[] | undefined,
  ): Promise<void> {
    return this.#writes.enqueue(lineage, async () => {
      const changed = change(this.entries(lineage));
      if (changed === undefined) return;
      const after = changed.slice(-LINEAGE_CAP);
      const path = lineageFile(this.#psinv, lineage);
      if (after.length === 0) return await io(path, () => removeTree(path));
      await io(path, () => writeAtomic(path, { data: JSON.stringify({ entries: after }) + "\n" }));
    });
  }
}

function isEntry(v: unknown): v is LineageEntry {
  const e = v as { key?: unknown; states?: unknown };
  return typeof v === "object" && v !== null && isHash(e.key) && Array.isArray(e.states) &&
    e.states.every((s) => typeof s === "number" && Number.isFinite(s));
}
