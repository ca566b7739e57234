/**
 * Bundles: the in-memory packer and the streaming writer make the same bytes; the streaming
 * reader writes every file and names what is wrong with a damaged bundle.
 *
 * @module
 */
import assert from "node:assert/strict";
import { bundleBody, packBundle, unpackBundle } from "../../../pipeline/remote/bundle.ts";
import { type Hash, sha256 } from "../../../pipeline/core/hash.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const files = [
  { path: "b/deep/x.csv", bytes: enc("x,y\n1,2\n") },
  { path: "a.json", bytes: enc("{}") },
  { path: "empty.txt", bytes: new Uint8Array() },
];
const expected: Record<string, { size: number; hash: Hash }> = Object.fromEntries(
  await Promise.all(
    files.map(async (f) => [f.path, { size: f.bytes.length, hash: await sha256(f.bytes) }]),
  ),
);
const stream = (b: Uint8Array) => new Blob([b as Uint8Array<ArrayBuffer>]).stream();

async function inTemp<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir();
  try {
    return await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("unpackBundle() writes every file of a packed bundle and returns its digest", () =>
  inTemp(async (dir) => {
    const bundle = packBundle(files);
    const r = await unpackBundle(stream(bundle), dir, expected);
    assert.deepEqual(r, { ok: true, value: { hash: await sha256(bundle), size: bundle.length } });
    assert.equal(await Deno.readTextFile(`${dir}/b/deep/x.csv`), "x,y\n1,2\n");
    assert.equal(await Deno.readTextFile(`${dir}/empty.txt`), "");
  }));

Deno.test("packBundle() is deterministic: the same files in any order give the same bytes", () => {
  assert.deepEqual(packBundle(files), packBundle([...files].reverse()));
});

Deno.test("bundleBody() streams from disk exactly the bytes packBundle() makes", () =>
  inTemp(async (dir) => {
    for (const f of files) {
      await Deno.mkdir(`${dir}/${f.path}`.replace(/\/[^/]*$/, ""), { recursive: true });
      await Deno.writeFile(`${dir}/${f.path}`, f.bytes);
    }
    const entries = Object.entries(expected).map(([path, e]) => ({ path, ...e })).reverse();
    const body = bundleBody(dir, entries);
    const packed = packBundle(files);
    assert.equal(body.size, packed.length);
    assert.deepEqual(new Uint8Array(await new Response(body.open()).arrayBuffer()), packed);
    assert.deepEqual(await body.digest(), {
      ok: true,
      value: { hash: await sha256(packed), size: packed.length },
    });
    await Deno.writeTextFile(`${dir}/a.json`, "{!");
    const damaged = await body.digest();
    assert.equal(damaged.ok, false);
    assert.equal(body.damaged(), '"a.json" no longer matches its hash');
  }));

Deno.test("unpackBundle() names what is wrong with a damaged bundle", async (t) => {
  const good = packBundle(files);
  const check = (b: Uint8Array, want: Record<string, { size: number; hash: string }> = expected) =>
    inTemp((dir) => unpackBundle(stream(b), dir, want));
  await t.step("a wrong header", async () => {
    const bad = good.slice();
    bad[0] = 0;
    assert.deepEqual(await check(bad), {
      ok: false,
      error: "the bundle does not start with its format header",
    });
  });
  await t.step("truncated anywhere", async () => {
    for (const cut of [good.length - 1, good.length - 9, 20]) {
      const r = await check(good.subarray(0, cut));
      assert.ok(
        !r.ok && /truncated|holds 2 files/.test(r.error),
        `cut at ${cut}: ${JSON.stringify(r)}`,
      );
    }
  });
  await t.step("a path escaping the folder, or given twice", async () => {
    const up = await check(packBundle([{ path: "../x", bytes: enc("") }]));
    assert.ok(!up.ok && up.error.includes("not relative"));
    const one = { a: { size: 1, hash: await sha256("1") } };
    const twice = await check(
      packBundle([{ path: "a", bytes: enc("1") }, { path: "a", bytes: enc("1") }]),
      one,
    );
    assert.ok(!twice.ok && twice.error.includes("twice"), JSON.stringify(twice));
  });
  await t.step("a file not listed, of another size or another hash", async () => {
    const one = { a: { size: 1, hash: await sha256("1") } };
    const r1 = await check(packBundle([{ path: "b", bytes: enc("1") }]), one);
    assert.ok(!r1.ok && r1.error.includes("does not list"));
    const r2 = await check(packBundle([{ path: "a", bytes: enc("12") }]), one);
    assert.ok(!r2.ok && r2.error.includes("of 2 bytes, the manifest says 1"));
    const r3 = await check(packBundle([{ path: "a", bytes: enc("2") }]), one);
    assert.ok(!r3.ok && r3.error.includes("not matching its hash"));
  });
});
