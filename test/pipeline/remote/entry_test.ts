import assert from "node:assert/strict";
import { canonicalJson, type Hash, sha256 } from "../../../pipeline/core/hash.ts";
import { ENGINE_FORMAT, stageKey } from "../../../pipeline/key/fingerprint.ts";
import { contentHash, type Manifest } from "../../../pipeline/store/manifest.ts";
import {
  checkRemoteEntry,
  inspectEntry,
  outputsMismatch,
  type RemoteEntry,
  signEntry,
} from "../../../pipeline/remote/entry.ts";
import { newKey, trusting } from "./_fixture.ts";

const key = await newKey();
const trusted = trusting(key);

async function manifest(lambda: number): Promise<Manifest> {
  const fingerprint = {
    format: ENGINE_FORMAT,
    params: { lambda },
    inputs: {},
    code: await sha256("code"),
    version: 0,
  };
  const files = { "a.csv": { hash: await sha256("x"), size: 1 } };
  return {
    format: ENGINE_FORMAT,
    key: await stageKey(fingerprint),
    stage: "train/a",
    fingerprint,
    files,
    content: await contentHash(files),
    seconds: 1,
    created: "2026-01-01T00:00:00.000Z",
  };
}

const bundle = { hash: await sha256("bundle"), size: 6 };
const decode = (b: Uint8Array) => JSON.parse(new TextDecoder().decode(b));
const encode = (v: unknown) => new TextEncoder().encode(canonicalJson(v));

Deno.test("checkRemoteEntry() accepts what signEntry() wrote, for its key", async () => {
  const m = await manifest(1);
  const r = await checkRemoteEntry(await signEntry({ manifest: m, bundle }, key), m.key, trusted);
  assert.ok(r.ok, JSON.stringify(r));
  assert.deepEqual(r.value.manifest, m);
  assert.equal(r.value.signer, key.id);
});

Deno.test("checkRemoteEntry() rejects an entry of a revoked key; inspectEntry() still reads it", async () => {
  const m = await manifest(1);
  const bytes = await signEntry({ manifest: m, bundle }, key);
  const revoked = { file: "trusted_keys.json", keys: [], revoked: [{ key: key.id, name: "ci" }] };
  assert.deepEqual(await checkRemoteEntry(bytes, m.key, revoked), {
    ok: false,
    error: `it is signed by ${key.id}, which trusted_keys.json revokes`,
  });
  const seen = await inspectEntry(bytes, m.key);
  assert.ok(seen.ok && seen.value.signer === key.id);
  const forged = encode({ ...decode(bytes), signer: (await newKey()).id });
  assert.deepEqual(await inspectEntry(forged, m.key), {
    ok: false,
    error: `its signature does not verify against ${decode(forged).signer}`,
  });
});

Deno.test("checkRemoteEntry() rejects a validly signed entry that does not stand for its key", async (t) => {
  const m = await manifest(1);
  await t.step("an entry stored under another key", async () => {
    const other = (await manifest(2)).key;
    const r = await checkRemoteEntry(await signEntry({ manifest: m, bundle }, key), other, trusted);
    assert.deepEqual(r, { ok: false, error: `it is the entry of another key, ${m.key}` });
  });
  await t.step("a manifest whose fingerprint does not hash to the key it claims", async () => {
    const lying = { ...m, fingerprint: { ...m.fingerprint, params: { lambda: 99 } } };
    const r = await checkRemoteEntry(
      await signEntry({ manifest: lying, bundle }, key),
      m.key,
      trusted,
    );
    assert.deepEqual(r, { ok: false, error: "its fingerprint does not hash to its key" });
  });
  await t.step("another wire format", async () => {
    const e = decode(await signEntry({ manifest: m, bundle }, key)) as RemoteEntry;
    const r = await checkRemoteEntry(encode({ ...e, format: 2 }), m.key, trusted);
    assert.deepEqual(r, { ok: false, error: "it has wire format 2, this engine reads 1" });
  });
  await t.step("no trusted-keys file at all", async () => {
    const r = await checkRemoteEntry(await signEntry({ manifest: m, bundle }, key), m.key, {
      file: "",
      keys: [],
    });
    assert.ok(!r.ok && r.error.endsWith("the pipeline names no trusted-keys file"));
  });
});

Deno.test("outputsMismatch() holds an entry to the stage's declared outputs", async () => {
  const m = await manifest(1);
  const e = { manifest: m } as RemoteEntry;
  assert.equal(outputsMismatch(e, ["a.csv"]), undefined);
  assert.equal(
    outputsMismatch(e, ["a.csv", "b.csv"]),
    "its files (a.csv) are not the stage's declared outputs (a.csv, b.csv)",
  );
});

Deno.test("signEntry() signs the canonical form: key order does not matter to a reader", async () => {
  const m = await manifest(1);
  const bytes = await signEntry({ manifest: m, bundle }, key);
  const doc = decode(bytes);
  const reordered = Object.fromEntries(Object.entries(doc).reverse());
  const r = await checkRemoteEntry(
    new TextEncoder().encode(JSON.stringify(reordered)),
    m.key as Hash,
    trusted,
  );
  assert.ok(r.ok);
});
