import assert from "node:assert/strict";
import { readTrustedKeys, revokeKey, trustKey } from "../../../pipeline/remote/trusted_keys.ts";

const KEY = `ed25519:${"A".repeat(43)}`;

Deno.test("readTrustedKeys() trusts no key when the file is absent or unnamed", async () => {
  const root = await Deno.makeTempDir();
  try {
    assert.deepEqual(await readTrustedKeys(root, "keys.json"), {
      ok: true,
      value: { file: "keys.json", keys: [] },
    });
    assert.deepEqual(await readTrustedKeys(root, ""), { ok: true, value: { file: "", keys: [] } });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("readTrustedKeys() names the line of a syntax error and the field of a bad key", async () => {
  const root = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${root}/keys.json`, '{\n  "keys": [,]\n}\n');
    const syntax = await readTrustedKeys(root, "keys.json");
    assert.ok(!syntax.ok);
    assert.match(syntax.error.detail, /^line 2, column 12/);
    await Deno.writeTextFile(`${root}/keys.json`, '{"keys": [{"key": "rsa:x", "name": "a"}]}');
    const shape = await readTrustedKeys(root, "keys.json");
    assert.ok(!shape.ok);
    assert.match(shape.error.detail, /^"keys\.0\.key"/);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("trustKey() adds a key once, creating the file, formatted as deno fmt keeps it", async () => {
  const root = await Deno.makeTempDir();
  try {
    assert.deepEqual(await trustKey(root, "sub/keys.json", { key: KEY, name: "ci" }), {
      ok: true,
      value: true,
    });
    assert.deepEqual(await trustKey(root, "sub/keys.json", { key: KEY, name: "ci" }), {
      ok: true,
      value: false,
    });
    const r = await readTrustedKeys(root, "sub/keys.json");
    assert.ok(r.ok);
    assert.deepEqual(r.value.keys, [{ key: KEY, name: "ci" }]);
    const fmt = await new Deno.Command(Deno.execPath(), {
      args: ["fmt", "--check", `${root}/sub/keys.json`],
      stdout: "null",
      stderr: "null",
    }).output();
    assert.equal(fmt.code, 0);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("revokeKey() moves a key to the revoked ones, and trusting it again moves it back", async () => {
  const root = await Deno.makeTempDir();
  try {
    await trustKey(root, "keys.json", { key: KEY, name: "ci" });
    assert.deepEqual(await revokeKey(root, "keys.json", KEY, "unused"), { ok: true, value: "ci" });
    const r = await readTrustedKeys(root, "keys.json");
    assert.ok(r.ok);
    assert.deepEqual([r.value.keys, r.value.revoked], [[], [{ key: KEY, name: "ci" }]]);
    assert.deepEqual(await trustKey(root, "keys.json", { key: KEY, name: "ci" }), {
      ok: true,
      value: true,
    });
    const again = await readTrustedKeys(root, "keys.json");
    assert.ok(again.ok);
    assert.deepEqual([again.value.keys, again.value.revoked], [[{ key: KEY, name: "ci" }], []]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
