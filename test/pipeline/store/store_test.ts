import assert from "node:assert/strict";
import {
  corruptDir,
  entriesDir,
  indexDir,
  psinvDir,
  scratchParentDir,
} from "../../../pipeline/core/layout.ts";
import { sha256 } from "../../../pipeline/core/hash.ts";
import { openStore } from "../../../pipeline/store/store.ts";
import { code, commit, withStore } from "./_fixture.ts";

Deno.test("openStore() creates the store's folders under .psinv", () =>
  withStore(async (_store, root) => {
    const p = psinvDir(root);
    for (const dir of [entriesDir(p), scratchParentDir(p), indexDir(p), corruptDir(p)]) {
      assert.ok((await Deno.stat(dir)).isDirectory, dir);
    }
  }));

Deno.test("put() then get() returns the verified manifest and a folder with the outputs", () =>
  withStore(async (store) => {
    const m = await commit(store, "gen", { "data.n": 3 }, {
      "points.csv": "x,y\n1,2\n",
      "sub/spline.json": "{}",
    });
    const got = await store.get(m.key);
    assert.equal(got.kind, "hit");
    if (got.kind !== "hit") return;
    assert.deepEqual(got.manifest, m);
    assert.equal(await Deno.readTextFile(`${got.dir}/points.csv`), "x,y\n1,2\n");
    assert.equal(await Deno.readTextFile(`${got.dir}/sub/spline.json`), "{}");
    assert.equal(m.files["points.csv"]?.size, 8);
    assert.equal(m.files["points.csv"]?.hash, await sha256("x,y\n1,2\n"));
  }));

Deno.test("a writer killed with SIGKILL at any moment leaves only complete entries", async () => {
  const root = await Deno.makeTempDir({ prefix: "psinv_store_kill_" });
  try {
    const storeUrl = new URL("../../../pipeline/store/store.ts", import.meta.url).href;
    const fpUrl = new URL("../../../pipeline/key/fingerprint.ts", import.meta.url).href;
    const script = `
      const { openStore } = await import(${JSON.stringify(storeUrl)});
      const { stageKey, ENGINE_FORMAT } = await import(${JSON.stringify(fpUrl)});
      const s = await openStore(${JSON.stringify(root)});
      const big = "x".repeat(200_000);
      console.log("ready");
      for (let i = 0; ; i++) {
        const fp = { format: ENGINE_FORMAT, params: { i, pid: Deno.pid }, inputs: {}, code: "${code}", version: 0 };
        const d = await s.scratch();
        for (let j = 0; j < 5; j++) await Deno.writeTextFile(d + "/f" + j + ".txt", big + i);
        await s.put({ stage: "s", fingerprint: fp, key: await stageKey(fp), dir: d,
          outputs: ["f0.txt", "f1.txt", "f2.txt", "f3.txt", "f4.txt"], seconds: 0, created: "" });
      }`;
    for (const delay of [37, 151, 293]) {
      const child = new Deno.Command(Deno.execPath(), {
        args: ["eval", script],
        stdout: "piped",
        stderr: "inherit",
      }).spawn();
      // Kill it a while after it starts its write-and-commit loop.
      const reader = child.stdout.getReader();
      await reader.read();
      await new Promise((r) => setTimeout(r, delay));
      child.kill("SIGKILL");
      assert.equal((await child.status).signal, "SIGKILL");
      reader.releaseLock();
      await child.stdout.cancel();
    }
    const store = await openStore(root);
    const report = await store.verify();
    assert.deepEqual(report.damaged, []);
    await store.sweep();
    assert.deepEqual([...Deno.readDirSync(scratchParentDir(psinvDir(root)))], []);
    const committed = await store.history("s");
    assert.ok(committed.length > 0);
    for (const m of committed) assert.equal((await store.get(m.key)).kind, "hit");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
