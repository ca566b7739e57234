import assert from "node:assert/strict";
import { loadTokenHasher } from "../../../pipeline/key/token_hash.ts";
import { loadWorkerTokenHasher } from "../../../pipeline/key/token_hash_worker.ts";

Deno.test("loadWorkerTokenHasher() hashes as loadTokenHasher() does, and rejects after close()", async () => {
  const inWorker = await loadWorkerTokenHasher();
  const here = await loadTokenHasher();
  const sources: Array<[string, "ts" | "js"]> = [
    ["const x: number = 'a' // one\n", "ts"],
    ["export function f(a) { return\na }\n", "js"],
    ["this is not ( valid", "ts"],
  ];
  try {
    for (const [source, language] of sources) {
      assert.equal(await inWorker(source, language), await here(source, language), source);
    }
    const pending = inWorker("const late = 1;\n", "ts");
    inWorker.close();
    await assert.rejects(pending, /closed/);
  } finally {
    inWorker.close();
  }
});
