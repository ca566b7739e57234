import assert from "node:assert/strict";
import { packBundle, unpackBundle } from "../../../pipeline/remote/bundle.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const files = [
  { path: "b/deep/x.csv", bytes: enc("x,y\n1,2\n") },
  { path: "a.json", bytes: enc("{}") },
  { path: "empty.txt", bytes: new Uint8Array() },
];

Deno.test("packBundle() and unpackBundle() round-trip every file, in path order", () => {
  const r = unpackBundle(packBundle(files));
  assert.ok(r.ok);
  assert.deepEqual(r.value.map((f) => f.path), ["a.json", "b/deep/x.csv", "empty.txt"]);
  assert.deepEqual(r.value.map((f) => new TextDecoder().decode(f.bytes)), ["{}", "x,y\n1,2\n", ""]);
});

Deno.test("packBundle() is deterministic: the same files in any order give the same bytes", () => {
  assert.deepEqual(packBundle(files), packBundle([...files].reverse()));
});

Deno.test("unpackBundle() names what is wrong with a damaged bundle", async (t) => {
  const good = packBundle(files);
  await t.step("a wrong header", () => {
    const bad = good.slice();
    bad[0] = 0;
    assert.deepEqual(unpackBundle(bad), {
      ok: false,
      error: "the bundle does not start with its format header",
    });
  });
  await t.step("truncated anywhere", () => {
    for (const cut of [good.length - 1, good.length - 9, 20]) {
      const r = unpackBundle(good.subarray(0, cut));
      assert.ok(!r.ok && r.error.includes("truncated"), `cut at ${cut}: ${JSON.stringify(r)}`);
    }
  });
  await t.step("a path escaping the folder, or given twice", () => {
    const up = unpackBundle(packBundle([{ path: "../x", bytes: enc("") }]));
    assert.ok(!up.ok && up.error.includes("not relative"));
    const twice = unpackBundle(
      packBundle([{ path: "a", bytes: enc("1") }, { path: "a", bytes: enc("2") }]),
    );
    assert.ok(!twice.ok && twice.error.includes("twice"));
  });
});
