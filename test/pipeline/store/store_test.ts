import assert from "node:assert/strict";
import { ENGINE_FORMAT, type Fingerprint, stageKey } from "../../../pipeline/key/fingerprint.ts";
import { type Hash, sha256 } from "../../../pipeline/core/hash.ts";
import { type Manifest } from "../../../pipeline/store/manifest.ts";
import { openStore, type Store, StoreIoError } from "../../../pipeline/store/store.ts";

const code = await sha256("export function run() {}");

function fingerprint(params: Record<string, unknown>): Fingerprint {
  return { format: ENGINE_FORMAT, params, inputs: {}, code, version: 0 };
}

/** Runs a fake stage: writes `files` into a scratch folder and commits it. */
async function commit(
  store: Store,
  stage: string,
  params: Record<string, unknown>,
  files: Record<string, string>,
): Promise<Manifest> {
  const fp = fingerprint(params);
  const dir = await store.scratch();
  for (const [path, text] of Object.entries(files)) {
    await Deno.mkdir(`${dir}/${path}`.replace(/\/[^/]+$/, ""), { recursive: true });
    await Deno.writeTextFile(`${dir}/${path}`, text);
  }
  const r = await store.put({
    stage,
    fingerprint: fp,
    key: await stageKey(fp),
    dir,
    outputs: Object.keys(files),
    seconds: 0.5,
    created: "2026-01-01T00:00:00.000Z",
  });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

async function withStore(fn: (store: Store, root: string) => Promise<void>): Promise<void> {
  const root = await Deno.makeTempDir({ prefix: "psinv_store_" });
  try {
    await fn(await openStore(root), root);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

async function entries(root: string): Promise<string[]> {
  const out: string[] = [];
  for await (const shard of Deno.readDir(`${root}/.psinv/store`)) {
    for await (const e of Deno.readDir(`${root}/.psinv/store/${shard.name}`)) out.push(e.name);
  }
  return out.sort();
}

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

Deno.test("get() of an unknown key is a miss", () =>
  withStore(async (store) => {
    assert.deepEqual(await store.get(await sha256("nothing")), { kind: "miss" });
  }));

Deno.test("the content hash depends on output bytes and names only", () =>
  withStore(async (store) => {
    const a = await commit(store, "s", { p: 1 }, { "o.txt": "same" });
    const b = await commit(store, "s", { p: 2 }, { "o.txt": "same" });
    const c = await commit(store, "s", { p: 3 }, { "o.txt": "other" });
    assert.notEqual(a.key, b.key);
    assert.equal(a.content, b.content);
    assert.notEqual(a.content, c.content);
  }));

Deno.test("put() fails with output-missing when a declared output was not written", () =>
  withStore(async (store, root) => {
    const fp = fingerprint({});
    const dir = await store.scratch();
    await Deno.writeTextFile(`${dir}/a.txt`, "a");
    const r = await store.put({
      stage: "s",
      fingerprint: fp,
      key: await stageKey(fp),
      dir,
      outputs: ["a.txt", "b.txt"],
      seconds: 0,
      created: "",
    });
    assert.deepEqual(r, {
      ok: false,
      error: { reason: "output-missing", stage: "s", file: "b.txt" },
    });
    assert.deepEqual(await entries(root), []);
  }));

Deno.test("put() stores only the declared outputs", () =>
  withStore(async (store) => {
    const fp = fingerprint({});
    const dir = await store.scratch();
    await Deno.writeTextFile(`${dir}/a.txt`, "a");
    await Deno.writeTextFile(`${dir}/debug.log`, "noise");
    const r = await store.put({
      stage: "s",
      fingerprint: fp,
      key: await stageKey(fp),
      dir,
      outputs: ["a.txt"],
      seconds: 0,
      created: "",
    });
    assert.ok(r.ok);
    const got = await store.get(r.value.key);
    assert.equal(got.kind, "hit");
    if (got.kind !== "hit") return;
    const names = [];
    for await (const e of Deno.readDir(got.dir)) names.push(e.name);
    assert.deepEqual(names, ["a.txt"]);
  }));

Deno.test("put() of a key already stored keeps the existing entry", () =>
  withStore(async (store, root) => {
    const first = await commit(store, "s", { p: 1 }, { "o.txt": "first" });
    const again = await commit(store, "s", { p: 1 }, { "o.txt": "second" });
    assert.deepEqual(again, first);
    assert.deepEqual(await entries(root), [first.key]);
    const got = await store.get(first.key);
    assert.ok(got.kind === "hit");
    assert.equal(await Deno.readTextFile(`${got.dir}/o.txt`), "first");
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
        assert.equal([...Deno.readDirSync(`${root}/.psinv/corrupt`)].length, 1);
        assert.deepEqual(await store.get(m.key), { kind: "miss" });

        const again = await commit(store, "s", { p: 1 }, { "o.txt": "hello world" });
        assert.equal((await store.get(again.key)).kind, "hit");
      }));
  }
});

Deno.test("put() replaces a damaged entry of the same key instead of keeping it", () =>
  withStore(async (store) => {
    const m = await commit(store, "s", { p: 1 }, { "o.txt": "hello world" });
    const hit = await store.get(m.key);
    assert.ok(hit.kind === "hit");
    await Deno.writeTextFile(`${hit.dir}/o.txt`, "HELLO WORLD");
    await commit(store, "s", { p: 1 }, { "o.txt": "hello world" });
    const got = await store.get(m.key);
    assert.ok(got.kind === "hit");
    assert.equal(await Deno.readTextFile(`${got.dir}/o.txt`), "hello world");
  }));

Deno.test("get() surfaces I/O errors other than not-found instead of calling them a miss", () =>
  withStore(async (store, root) => {
    const key = await sha256("k");
    // A file where the shard folder should be: reading the entry fails with "not a directory".
    await Deno.writeTextFile(`${root}/.psinv/store/${key.slice(0, 2)}`, "");
    await assert.rejects(() => store.get(key), StoreIoError);
  }));

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
    assert.equal([...Deno.readDirSync(`${root}/.psinv/tmp`)].length, 2);
    assert.deepEqual(await entries(root), []);
    assert.deepEqual(await store.size(), { entries: 0, bytes: 0 });

    assert.equal(await store.sweep(), 1);
    const left = [...Deno.readDirSync(`${root}/.psinv/tmp`)].map((e) => e.name);
    assert.deepEqual(left, [mine.split("/").at(-2)]);
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
    assert.deepEqual([...Deno.readDirSync(`${root}/.psinv/tmp`)], []);
    const committed = await store.history("s");
    assert.ok(committed.length > 0);
    for (const m of committed) assert.equal((await store.get(m.key)).kind, "hit");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

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

Deno.test("discard() removes a scratch folder, and put() after a missing output leaves none", () =>
  withStore(async (store, root) => {
    const dir = await store.scratch();
    await Deno.writeTextFile(`${dir}/half.txt`, "half");
    await store.discard(dir);
    const fp = fingerprint({});
    const failed = await store.scratch();
    const r = await store.put({
      stage: "s",
      fingerprint: fp,
      key: await stageKey(fp),
      dir: failed,
      outputs: ["never.txt"],
      seconds: 0,
      created: "",
    });
    assert.equal(r.ok, false);
    assert.deepEqual([...Deno.readDirSync(`${root}/.psinv/tmp`)], []);
  }));

Deno.test("put() of a folder that is not a scratch folder copies the outputs and leaves it intact", () =>
  withStore(async (store, root) => {
    const elsewhere = `${root}/elsewhere`;
    await Deno.mkdir(elsewhere);
    await Deno.writeTextFile(`${elsewhere}/o.txt`, "kept");
    const fp = fingerprint({});
    const r = await store.put({
      stage: "s",
      fingerprint: fp,
      key: await stageKey(fp),
      dir: elsewhere,
      outputs: ["o.txt"],
      seconds: 0,
      created: "",
    });
    assert.ok(r.ok);
    assert.equal(await Deno.readTextFile(`${elsewhere}/o.txt`), "kept");
    assert.equal((await store.get(r.value.key)).kind, "hit");
  }));

Deno.test("put() stores the bytes of a symlinked output, not the link", () =>
  withStore(async (store, root) => {
    await Deno.writeTextFile(`${root}/outside.txt`, "original");
    const fp = fingerprint({});
    const dir = await store.scratch();
    await Deno.symlink(`${root}/outside.txt`, `${dir}/o.txt`);
    const r = await store.put({
      stage: "s",
      fingerprint: fp,
      key: await stageKey(fp),
      dir,
      outputs: ["o.txt"],
      seconds: 0,
      created: "",
    });
    assert.ok(r.ok);
    await Deno.writeTextFile(`${root}/outside.txt`, "changed!");
    const got = await store.get(r.value.key);
    assert.ok(got.kind === "hit");
    assert.equal(await Deno.readTextFile(`${got.dir}/o.txt`), "original");
  }));

Deno.test("put() refuses a manifest it could not read back, and clamps a negative duration", () =>
  withStore(async (store, root) => {
    const fp = fingerprint({});
    const key = await stageKey(fp);
    const put = async (stage: string, seconds: number) => {
      const dir = await store.scratch();
      await Deno.writeTextFile(`${dir}/o.txt`, "o");
      return store.put({
        stage,
        fingerprint: fp,
        key,
        dir,
        outputs: ["o.txt"],
        seconds,
        created: "",
      });
    };
    const bad = await put("", 1);
    assert.ok(!bad.ok && bad.error.reason === "io-failed");
    assert.deepEqual(await entries(root), []);
    const clamped = await put("s", -0.25);
    assert.ok(clamped.ok);
    assert.equal(clamped.value.seconds, 0);
    assert.equal((await store.get(key)).kind, "hit");
  }));
