import assert from "node:assert/strict";
import type { Hash } from "../../../pipeline/core/hash.ts";
import {
  codeGraphMemoFile,
  corruptDir,
  entryDir,
  indexDir,
  indexFile,
  memoDir,
  psinvDir,
  scratchParentDir,
} from "../../../pipeline/core/layout.ts";
import { tempName } from "../../../pipeline/core/temp_name.ts";
import { commit, deadPid, entries, withStore } from "./_fixture.ts";

Deno.test("verify() re-hashes every entry and lists the damaged ones with their stage", () =>
  withStore(async (store) => {
    const good = await commit(store, "a", { p: 1 }, { "o.txt": "fine" });
    const bad = await commit(store, "train/x", { p: 2 }, { "w.json": "[1,2,3]" });
    const hit = await store.get(bad.key);
    assert.ok(hit.kind === "hit");
    await Deno.writeTextFile(`${hit.dir}/w.json`, "[1,2,4]");
    const report = await store.verify();
    assert.equal(report.checked, 2);
    assert.deepEqual(report.damaged.map((d) => [d.key, d.stage]), [[bad.key, "train/x"]]);
    assert.match(report.damaged[0]!.detail, /w\.json/);
    assert.equal((await store.get(good.key)).kind, "hit");
    assert.equal((await store.get(bad.key)).kind, "miss");
  }));

Deno.test("an uncommitted scratch folder is never an entry, and sweep() removes it once its process is gone", () =>
  withStore(async (store, root) => {
    const storeUrl = new URL("../../../pipeline/store/store.ts", import.meta.url).href;
    // A run that writes its outputs and dies before put(): what kill -9 leaves behind.
    const child = await new Deno.Command(Deno.execPath(), {
      args: [
        "eval",
        `const { openStore } = await import(${JSON.stringify(storeUrl)});
         const s = await openStore(${JSON.stringify(root)});
         const d = await s.scratch();
         await Deno.writeTextFile(d + "/o.txt", "half");`,
      ],
      stdout: "null",
      stderr: "inherit",
    }).output();
    assert.ok(child.success);
    const mine = await store.scratch();
    assert.equal([...Deno.readDirSync(scratchParentDir(psinvDir(root)))].length, 2);
    assert.deepEqual(await entries(root), []);
    assert.deepEqual(await store.size(), { entries: 0, bytes: 0 });

    assert.equal(await store.sweep(), 1);
    const left = [...Deno.readDirSync(scratchParentDir(psinvDir(root)))].map((e) => e.name);
    assert.deepEqual(left, [mine.split("/").at(-2)]);
  }));

Deno.test("gc() keeps live entries and the last K per stage, and reports bytes freed", () =>
  withStore(async (store, root) => {
    const old1 = await commit(store, "s", { p: 1 }, { "o.txt": "1" });
    const old2 = await commit(store, "s", { p: 2 }, { "o.txt": "22" });
    const recent = await commit(store, "s", { p: 3 }, { "o.txt": "333" });
    const live = await commit(store, "t", { q: 1 }, { "o.txt": "4444" });
    const before = await store.size();
    const r = await store.gc({ live: new Set<Hash>([live.key]), keepLast: 1 });
    assert.equal(r.removed, 2);
    assert.deepEqual(await entries(root), [live.key, recent.key].sort());
    const after = await store.size();
    assert.equal(after.entries, 2);
    assert.equal(r.freedBytes, before.bytes - after.bytes);
    assert.ok(r.freedBytes > 0);
    assert.deepEqual((await store.history("s")).map((m) => m.key), [recent.key]);
    assert.equal((await store.get(old1.key)).kind, "miss");
    assert.equal((await store.get(old2.key)).kind, "miss");
  }));

Deno.test("size() counts entries and the bytes they hold", () =>
  withStore(async (store) => {
    assert.deepEqual(await store.size(), { entries: 0, bytes: 0 });
    await commit(store, "s", { p: 1 }, { "o.txt": "12345" });
    const s = await store.size();
    assert.equal(s.entries, 1);
    assert.ok(s.bytes > 5);
  }));

Deno.test("verify() quarantines a folder that is not where its key belongs", () =>
  withStore(async (store, root) => {
    const good = await commit(store, "a", { p: 1 }, { "o.txt": "fine" });
    const stray = entryDir(psinvDir(root), good.key).replace(/[^/]+$/, "not-a-key");
    await Deno.mkdir(stray);
    const report = await store.verify();
    assert.equal(report.checked, 2);
    assert.deepEqual(report.damaged.map((d) => [d.key, d.stage]), [["not-a-key", "?"]]);
    assert.deepEqual(await entries(root), [good.key]);
    assert.equal([...Deno.readDirSync(corruptDir(psinvDir(root)))].length, 1);
  }));

Deno.test("sweep() removes dead writers' temporary files in index/ and memo/, not a live one's", () =>
  withStore(async (store, root) => {
    const p = psinvDir(root);
    const dead = await deadPid();
    await Deno.mkdir(memoDir(p));
    const leftovers = [
      tempName(indexFile(p, "train/a"), { pid: dead }),
      tempName(codeGraphMemoFile(p), { pid: dead }),
    ];
    const live = tempName(codeGraphMemoFile(p));
    for (const f of [...leftovers, live]) await Deno.writeTextFile(f, "{}");
    assert.equal(await store.sweep(), 0);
    assert.deepEqual([...Deno.readDirSync(indexDir(p))], []);
    assert.deepEqual([...Deno.readDirSync(memoDir(p))].map((e) => e.name), [
      live.split("/").at(-1),
    ]);
  }));

Deno.test("gc() empties corrupt/ and counts its bytes as freed", () =>
  withStore(async (store, root) => {
    const m = await commit(store, "s", { p: 1 }, { "o.txt": "hello" });
    const hit = await store.get(m.key);
    assert.ok(hit.kind === "hit");
    await Deno.writeTextFile(`${hit.dir}/o.txt`, "HELLO");
    assert.equal((await store.get(m.key)).kind, "corrupt");
    const r = await store.gc({ live: new Set([m.key]), keepLast: 5 });
    assert.equal(r.removed, 0);
    assert.ok(r.freedBytes > 5);
    assert.deepEqual([...Deno.readDirSync(corruptDir(psinvDir(root)))], []);
  }));
