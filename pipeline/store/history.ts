/**
 * The per-stage history index: for each stage id, the keys it produced or reused, newest last
 * (at most {@linkcode INDEX_CAP}). It answers `latest` and `history` and tells gc which results
 * are recent; it is a convenience, so a garbled index file restarts empty rather than failing.
 *
 * @module
 */
import { type Hash, indexDir, indexFile, isHash, stageOfIndexFile } from "../core/mod.ts";
import { listDir, writeAtomic } from "./files.ts";
import { readManifest } from "./get.ts";
import type { Manifest } from "./manifest.ts";
import { io } from "./store_io_error.ts";
import { IndexWrites, readIndexList } from "./_index_file.ts";

/** Keys kept per stage id; older ones drop out of the history (their entries stay until gc). */
export const INDEX_CAP = 1000;

/**
 * The history index of one store. Updates of one stage's file are serialised within the
 * process (the store lock serialises processes).
 *
 * @example
 * ```ts
 * import { StageHistory } from "./history.ts";
 * const root = await Deno.makeTempDir();
 * const history = new StageHistory(`${root}/.psinv`);
 * history.keys("train"); // []
 * await Deno.remove(root, { recursive: true });
 * ```
 */
export class StageHistory {
  readonly #psinv: string;
  readonly #writes = new IndexWrites();

  /** The history under the store folder `psinv`. */
  constructor(psinv: string) {
    this.#psinv = psinv;
  }

  /** A stage's keys, oldest first. Read synchronously, as lookups are (see `checkEntry`). */
  keys(stage: string): string[] {
    return readIndexList(indexFile(this.#psinv, stage), "keys").filter(isHash);
  }

  /** Stage id → its keys (oldest first), for every stage with a history. */
  async all(): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    for (const e of await listDir(indexDir(this.#psinv))) {
      const stage = e.isFile ? stageOfIndexFile(e.name) : undefined;
      if (stage !== undefined) out.set(stage, this.keys(stage));
    }
    return out;
  }

  /** Rewrites a stage's keys with `change`; no write when nothing moved. */
  update(stage: string, change: (keys: string[]) => string[]): Promise<void> {
    return this.#writes.enqueue(stage, async () => {
      const before = this.keys(stage);
      const keys = change(before).slice(-INDEX_CAP);
      // A no-op run re-records every cached key: skip the write when nothing moved.
      if (keys.length === before.length && keys.every((k, i) => k === before[i])) return;
      const path = indexFile(this.#psinv, stage);
      await io(
        path,
        () => writeAtomic(path, { data: JSON.stringify({ stage, keys }, null, 1) + "\n" }),
      );
    });
  }

  /** Marks `key` as the newest result of `stage`. */
  record(stage: string, key: Hash): Promise<void> {
    return this.update(stage, (keys) => [...keys.filter((k) => k !== key), key]);
  }

  /** The newest present entry of a stage id; manifest checked, files not hashed. */
  async latest(stage: string): Promise<Manifest | undefined> {
    const keys = this.keys(stage);
    for (let i = keys.length - 1; i >= 0; i--) {
      const m = await readManifest(this.#psinv, keys[i]!);
      if (m) return m;
    }
    return undefined;
  }

  /** The present entries of a stage id, oldest first. */
  async list(stage: string): Promise<Manifest[]> {
    const out: Manifest[] = [];
    for (const key of this.keys(stage)) {
      const m = await readManifest(this.#psinv, key);
      if (m) out.push(m);
    }
    return out;
  }
}
