import assert from "node:assert/strict";
import fc from "fast-check";
import { canonicalJson, isHash, sha256 } from "../../../pipeline/core/hash.ts";

Deno.test("sha256() gives the standard digest of a string and of its bytes", async () => {
  const expected = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  assert.equal(await sha256("abc"), expected);
  assert.equal(await sha256(new TextEncoder().encode("abc")), expected);
  assert.ok(isHash(expected));
});

Deno.test("canonicalJson() is independent of key order at every depth", () => {
  const a = { z: 1, a: { y: [1, { q: 2, p: 3 }], b: null }, m: "s" };
  const b = { m: "s", a: { b: null, y: [1, { p: 3, q: 2 }] }, z: 1 };
  assert.equal(canonicalJson(a), canonicalJson(b));
  assert.equal(canonicalJson(a), '{"a":{"b":null,"y":[1,{"p":3,"q":2}]},"m":"s","z":1}');
});

Deno.test("canonicalJson() keeps array order", () => {
  assert.notEqual(canonicalJson([1, 2]), canonicalJson([2, 1]));
});

Deno.test("canonicalJson() round-trips through JSON.parse", () => {
  const v = { lambda: 0.1, name: 'q"uote\n', list: [true, false, null, -1e-300] };
  assert.deepEqual(JSON.parse(canonicalJson(v)), v);
});

Deno.test("canonicalJson() rejects values JSON would drop or mangle", async (t) => {
  const bad: [string, unknown][] = [
    ["NaN", { lambda: NaN }],
    ["Infinity", [Infinity]],
    ["-Infinity", { a: { b: -Infinity } }],
    ["undefined", { a: undefined }],
    ["a function", { f: () => 1 }],
    ["a bigint", { n: 1n }],
    ["a Date", { when: new Date(0) }],
    ["a Map", new Map()],
  ];
  for (const [name, value] of bad) {
    await t.step(name, () => assert.throws(() => canonicalJson(value), TypeError));
  }
});

Deno.test("canonicalJson() names where the bad value is", () => {
  assert.throws(() => canonicalJson({ configs: { a: { lambda: NaN } } }), /\$\.configs\.a\.lambda/);
});

/** The same value with every object's keys inserted in reverse order. */
function reversedKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reversedKeys);
  if (typeof v !== "object" || v === null) return v;
  const out = {};
  for (const k of Object.keys(v).reverse()) {
    // defineProperty, so a "__proto__" key stays a plain key.
    Object.defineProperty(out, k, {
      value: reversedKeys((v as Record<string, unknown>)[k]),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

Deno.test("canonicalJson() of any JSON value is key-order independent and parses back to it", () => {
  fc.assert(
    fc.property(fc.jsonValue(), (v) => {
      const text = canonicalJson(v);
      assert.equal(canonicalJson(reversedKeys(v)), text);
      assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(v)));
    }),
    { numRuns: 300 },
  );
});
