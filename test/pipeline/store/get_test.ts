import assert from "node:assert/strict";
import { corruptDir, entryDir, psinvDir } from "../../../pipeline/core/layout.ts";
import { sha256 } from "../../../pipeline/core/hash.ts";
import { StoreIoError } from "../../../pipeline/store/store_io_error.ts";
import { commit, entries, withStore } from "./_fixture.ts";

Deno.test("get() of an unknown key is a miss", () =>
  withStore(async (store) => {
    assert.deepEqual(await store.get(await sha256("nothing")), { kind: "miss" });
  }));

Deno.test("get() detects damage, quarantines the entry, and a new put of the key succeeds", async (t) => {
  const damages: [string, (file: string) => Promise<void>, RegExp][] = [
    ["a flipped byte", async (f) => {
      const bytes = await Deno.readFile(f);
      bytes[3] = bytes[3]! ^ 0x01;
      await Deno.writeFile(f, bytes);
    }, /"o\.txt" has hash/],
    ["a truncated file", (f) => Deno.truncate(f, 2), /"o\.txt" is 2 bytes, expected 11/],
    ["a deleted file", (f) => Deno.remove(f), /"o\.txt" is missing/],
    [
      "a garbled manifest",
      (f) => Deno.writeTextFile(f.replace(/out\/o\.txt$/, "manifest.json"), "{"),
      /not valid JSON/,
    ],
    [
      "a deleted manifest",
      (f) => Deno.remove(f.replace(/out\/o\.txt$/, "manifest.json")),
      /manifest\.json is missing/,
    ],
  ];
  for (const [what, damage, detail] of damages) {
    await t.step(what, () =>
      withStore(async (store, root) => {
        const m = await commit(store, "s", { p: 1 }, { "o.txt": "hello world" });
        const hit = await store.get(m.key);
        assert.ok(hit.kind === "hit");
        await damage(`${hit.dir}/o.txt`);

        const got = await store.get(m.key);
        assert.equal(got.kind, "corrupt");
        assert.match(got.kind === "corrupt" ? got.detail : "", detail);
        assert.deepEqual(await entries(root), []);
        assert.equal([...Deno.readDirSync(corruptDir(psinvDir(root)))].length, 1);
        assert.deepEqual(await store.get(m.key), { kind: "miss" });

        const again = await commit(store, "s", { p: 1 }, { "o.txt": "hello world" });
        assert.equal((await store.get(again.key)).kind, "hit");
      }));
  }
});

Deno.test("get() surfaces I/O errors other than not-found instead of calling them a miss", () =>
  withStore(async (store, root) => {
    const key = await sha256("k");
    // A file where the shard folder should be: reading the entry fails with "not a directory".
    await Deno.writeTextFile(entryDir(psinvDir(root), key).replace(/\/[^/]*$/, ""), "");
    await assert.rejects(() => store.get(key), StoreIoError);
  }));
