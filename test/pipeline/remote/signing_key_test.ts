import assert from "node:assert/strict";
import {
  KEY_ID,
  loadOrCreateSigningKey,
  loadSigningKey,
  sign,
  signingKeyPath,
  verifySignature,
} from "../../../pipeline/remote/signing_key.ts";

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "psinv-key-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("signingKeyPath() prefers PSINV_SIGNING_KEY, then XDG_CONFIG_HOME, then HOME", () => {
  const env = (vars: Record<string, string>) => (n: string) => vars[n];
  assert.equal(
    signingKeyPath(env({ PSINV_SIGNING_KEY: "/k.json", XDG_CONFIG_HOME: "/x", HOME: "/h" })),
    "/k.json",
  );
  assert.equal(
    signingKeyPath(env({ XDG_CONFIG_HOME: "/x", HOME: "/h" })),
    "/x/psinv/signing_key.json",
  );
  assert.equal(signingKeyPath(env({ HOME: "/h" })), "/h/.config/psinv/signing_key.json");
  assert.equal(signingKeyPath(env({})), undefined);
});

Deno.test("loadOrCreateSigningKey() creates a private key file once, mode 0600, then reuses it", async () => {
  await withDir(async (dir) => {
    const file = `${dir}/config/psinv/signing_key.json`;
    assert.deepEqual(await loadSigningKey(file), { ok: true, value: undefined });
    const first = await loadOrCreateSigningKey(file);
    assert.ok(first.ok && first.value.created);
    assert.match(first.value.key.id, KEY_ID);
    assert.equal((await Deno.stat(file)).mode! & 0o777, 0o600);
    assert.equal((await Deno.stat(`${dir}/config/psinv`)).mode! & 0o777, 0o700);
    const again = await loadOrCreateSigningKey(file);
    assert.ok(again.ok && !again.value.created);
    assert.equal(again.value.key.id, first.value.key.id);
    const left = [...Deno.readDirSync(`${dir}/config/psinv`)].map((e) => e.name);
    assert.deepEqual(left, ["signing_key.json"], "no temporary file is left");
  });
});

Deno.test("loadOrCreateSigningKey() run twice at once ends with one key", async () => {
  await withDir(async (dir) => {
    const file = `${dir}/k.json`;
    const made = await Promise.all([1, 2, 3, 4].map(() => loadOrCreateSigningKey(file)));
    const ids = new Set(made.map((r) => r.ok ? r.value.key.id : "failed"));
    assert.equal(ids.size, 1, [...ids].join(" "));
    const loaded = await loadSigningKey(file);
    assert.ok(loaded.ok && loaded.value && ids.has(loaded.value.id));
  });
});

Deno.test("loadSigningKey() refuses a file that is not a key, with how to recover", async () => {
  await withDir(async (dir) => {
    const file = `${dir}/k.json`;
    await Deno.writeTextFile(file, '{"format": 1}');
    const r = await loadSigningKey(file);
    assert.ok(!r.ok);
    assert.equal(r.error.reason, "key-file-invalid");
    assert.match(r.error.hint, /move it aside/);
  });
});

Deno.test("verifySignature() accepts the signer's signature and nothing else", async () => {
  await withDir(async (dir) => {
    const a = await loadOrCreateSigningKey(`${dir}/a.json`);
    const b = await loadOrCreateSigningKey(`${dir}/b.json`);
    assert.ok(a.ok && b.ok);
    const data = new TextEncoder().encode("entry");
    const sig = await sign(a.value.key, data);
    assert.equal(await verifySignature(a.value.key.id, data, sig), true);
    assert.equal(await verifySignature(b.value.key.id, data, sig), false, "another key");
    assert.equal(
      await verifySignature(a.value.key.id, new TextEncoder().encode("entrY"), sig),
      false,
      "other data",
    );
    const flipped = (sig[0] === "A" ? "B" : "A") + sig.slice(1);
    assert.equal(
      await verifySignature(a.value.key.id, data, flipped),
      false,
      "a changed signature",
    );
    assert.equal(await verifySignature("ed25519:short", data, sig), false, "a malformed key id");
  });
});
