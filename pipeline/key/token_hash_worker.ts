/**
 * The syntax hasher in a Web Worker of its own. TypeScript is large once loaded; hashed in the
 * coordinator, that memory would stay for the whole run, on top of the stage workers and of every
 * stage's state. In a worker it is given back when the code fingerprints are done and the worker
 * is closed.
 *
 * @module
 */
import type { Hash } from "../core/mod.ts";
import type { HashReply, HashRequest } from "./_token_hash_worker.ts";
import type { ClosableTokenHasher } from "./token_hash.ts";

/**
 * Starts the worker and returns a hasher that sends it each source; `close()` ends the worker
 * (pending hashes then reject). Gives the same hashes as {@linkcode loadTokenHasher}.
 *
 * @example
 * ```ts
 * import { loadWorkerTokenHasher } from "./token_hash_worker.ts";
 * const hash = await loadWorkerTokenHasher();
 * const a = await hash("const x = 'a' // one\n", "ts");
 * const b = await hash('const x = "a";\n', "ts");
 * hash.close();
 * a === b; // true
 * ```
 */
export function loadWorkerTokenHasher(): Promise<ClosableTokenHasher> {
  const worker = new Worker(new URL("./_token_hash_worker.ts", import.meta.url), {
    type: "module",
  });
  const pending = new Map<number, { resolve: (h: Hash) => void; reject: (e: Error) => void }>();
  let next = 0;
  const failAll = (why: string) => {
    for (const p of pending.values()) p.reject(new Error(why));
    pending.clear();
  };
  worker.onmessage = (e: MessageEvent<HashReply>) => {
    const p = pending.get(e.data.id);
    if (p === undefined) return;
    pending.delete(e.data.id);
    if ("hash" in e.data) p.resolve(e.data.hash as Hash);
    else p.reject(new Error(`Cannot hash a module's syntax: ${e.data.error}`));
  };
  worker.onerror = (e: ErrorEvent) => {
    e.preventDefault();
    failAll(`The syntax hasher's worker failed: ${e.message}`);
  };
  const hash = (source: string, language: HashRequest["language"]) =>
    new Promise<Hash>((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, source, language } satisfies HashRequest);
    });
  const close = () => {
    worker.terminate();
    failAll("The syntax hasher was closed");
  };
  return Promise.resolve(Object.assign(hash, { close }));
}
