import assert from "node:assert/strict";
import { assertObjectOps } from "./_object_ops.ts";
import { fileTransport } from "../../../../pipeline/remote/transport/file_transport.ts";

const bytes = (s: string) => new TextEncoder().encode(s);

Deno.test("fileTransport() stores, sizes and returns objects; an absent one is undefined", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const t = fileTransport(dir);
    assert.deepEqual(await t.get("ac/x"), { ok: true, value: undefined });
    assert.deepEqual(await t.head("ac/x"), { ok: true, value: undefined });
    assert.deepEqual(await t.put("ac/x", bytes("one")), { ok: true, value: undefined });
    const info = await t.head("ac/x");
    assert.ok(info.ok && info.value?.size === 3);
    assert.ok(Math.abs(info.value.modified - Date.now()) < 5000, "the time it was written");
    assert.deepEqual(await t.put("ac/x", bytes("second")), { ok: true, value: undefined });
    const got = await t.get("ac/x");
    assert.ok(got.ok && new TextDecoder().decode(got.value) === "second");
    assert.equal(t.url, `file://${dir}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("fileTransport() replaces an object by rename: a reader's open file keeps the old bytes", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const t = fileTransport(dir);
    await t.put("cas/a", bytes("old!"));
    const before = (await Deno.stat(`${dir}/cas/a`)).ino;
    const reader = await Deno.open(`${dir}/cas/a`);
    await t.put("cas/a", bytes("new, longer"));
    const buf = new Uint8Array(16);
    const n = await reader.read(buf);
    reader.close();
    assert.equal(new TextDecoder().decode(buf.subarray(0, n ?? 0)), "old!");
    assert.notEqual((await Deno.stat(`${dir}/cas/a`)).ino, before);
    assert.deepEqual([...Deno.readDirSync(`${dir}/cas`)].map((e) => e.name), ["a"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("fileTransport() reports a failed write and leaves no temporary file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const t = fileTransport(dir);
    await Deno.mkdir(`${dir}/cas/x`, { recursive: true }); // A folder where the object should go.
    const r = await t.put("cas/x", bytes("data"));
    assert.ok(!r.ok);
    assert.equal(r.error.kind, "failed");
    assert.match(r.error.detail, /^writing cas\/x: /);
    assert.deepEqual([...Deno.readDirSync(`${dir}/cas`)].map((e) => e.name), ["x"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("fileTransport() lists a folder (hidden files too), deletes, reads as a stream and tells the share's time", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await assertObjectOps(fileTransport(dir), {
      before: () => Deno.writeTextFile(`${dir}/cas/.a.1.0123abcd.tmp`, "x"),
      extra: [[".a.1.0123abcd.tmp", 1]],
    });
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["cas"], "no clock file left");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("fileTransport() stores nothing from a stream body that ends in an error", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const t = fileTransport(dir);
    const failing = {
      size: 2,
      open: () =>
        ReadableStream.from((async function* () {
          yield bytes("1");
          throw new Error("the file changed");
        })()),
    };
    const r = await t.put("cas/x", failing);
    assert.ok(!r.ok && r.error.detail.includes("the file changed"));
    assert.deepEqual([...Deno.readDirSync(`${dir}/cas`)], []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
