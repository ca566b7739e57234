import assert from "node:assert/strict";
import { sha256 } from "../../../pipeline/core/hash.ts";
import { indexDir, indexFile, psinvDir } from "../../../pipeline/core/layout.ts";
import { INDEX_CAP, StageHistory } from "../../../pipeline/store/history.ts";
import { commit, withStore } from "./_fixture.ts";

Deno.test("latest() and history() follow the order results were produced or reused", () =>
  withStore(async (store) => {
    const a = await commit(store, "s", { p: 1 }, { "o.txt": "1" });
    const b = await commit(store, "s", { p: 2 }, { "o.txt": "2" });
    assert.equal((await store.latest("s"))?.key, b.key);
    await store.record("s", a.key);
    assert.equal((await store.latest("s"))?.key, a.key);
    assert.deepEqual((await store.history("s")).map((m) => m.key), [b.key, a.key]);
    assert.equal(await store.latest("other"), undefined);
  }));

Deno.test("record() of the newest key again does not rewrite the index file", () =>
  withStore(async (store, root) => {
    const a = await commit(store, "s", { p: 1 }, { "o.txt": "1" });
    const b = await commit(store, "s", { p: 2 }, { "o.txt": "2" });
    // The same keys in another spelling: any rewrite would change the text.
    const file = indexFile(psinvDir(root), "s");
    const compact = JSON.stringify({ stage: "s", keys: [a.key, b.key] });
    await Deno.writeTextFile(file, compact);
    await store.record("s", b.key);
    assert.equal(await Deno.readTextFile(file), compact);
    await store.record("s", a.key);
    assert.notEqual(await Deno.readTextFile(file), compact);
    assert.deepEqual((await store.history("s")).map((m) => m.key), [b.key, a.key]);
    // Written by rename, with nothing left beside it.
    assert.deepEqual([...Deno.readDirSync(indexDir(psinvDir(root)))].map((e) => e.name), [
      "s.json",
    ]);
  }));

Deno.test("a garbled index file restarts the stage's history instead of failing", () =>
  withStore(async (store, root) => {
    await commit(store, "s", { p: 1 }, { "o.txt": "1" });
    await Deno.writeTextFile(indexFile(psinvDir(root), "s"), "{ not json");
    assert.equal(await store.latest("s"), undefined);
    assert.deepEqual(await store.history("s"), []);
    const b = await commit(store, "s", { p: 2 }, { "o.txt": "2" });
    assert.deepEqual((await store.history("s")).map((m) => m.key), [b.key]);
  }));

Deno.test("StageHistory keeps the newest INDEX_CAP keys of a stage", () =>
  withStore(async (_store, root) => {
    const history = new StageHistory(psinvDir(root));
    const keys = await Promise.all(
      Array.from({ length: INDEX_CAP + 2 }, (_, i) => sha256(String(i))),
    );
    await history.update("s", () => keys);
    assert.deepEqual(history.keys("s"), keys.slice(2));
    assert.deepEqual([...(await history.all()).keys()], ["s"]);
  }));
