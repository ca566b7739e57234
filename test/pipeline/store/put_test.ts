import assert from "node:assert/strict";
import { stageKey } from "../../../pipeline/key/fingerprint.ts";
import { commit, entries, fingerprint, withStore } from "./_fixture.ts";

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
