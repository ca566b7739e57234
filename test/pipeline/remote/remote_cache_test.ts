/**
 * The remote cache against a folder and against a real nginx: what a reader gets from what a
 * writer uploaded, and every way an entry can be unusable, each ending in a reported rejection
 * and an untouched local store, never in a served result.
 *
 * @module
 */
import assert from "node:assert/strict";
import { commit } from "../store/_fixture.ts";
import { remoteBundlePath, remoteEntryPath } from "../../../pipeline/core/remote_layout.ts";
import { type RemoteCache, remoteCache } from "../../../pipeline/remote/remote_cache.ts";
import { downloadResult } from "../../../pipeline/remote/restore.ts";
import type { Manifest } from "../../../pipeline/store/manifest.ts";
import type { Store } from "../../../pipeline/store/store.ts";
import type { SigningKey } from "../../../pipeline/remote/signing_key.ts";
import {
  flipByte,
  KINDS,
  newKey,
  onlyFile,
  skipped,
  type TestRemote,
  testRemote,
  trusting,
  withStores,
} from "./_fixture.ts";

const writer = await newKey();
const stranger = await newKey();

/** A result in store `a`, uploaded by `signer` to the remote. */
async function uploaded(
  remote: TestRemote,
  a: Store,
  signer: SigningKey = writer,
): Promise<{ manifest: Manifest; cache: RemoteCache }> {
  const manifest = await commit(a, "train/a", { lambda: 1 }, {
    "weights.json": '{"w":[1,2,3]}',
    "curves/loss.csv": "epoch,loss\n1,0.5\n",
  });
  const cache = remoteCache({ transport: remote.transport, trusted: trusting(writer), signer });
  const stored = await a.get(manifest.key);
  assert.equal(stored.kind, "hit");
  const up = await cache.upload({ manifest, dir: stored.kind === "hit" ? stored.dir : "" });
  assert.ok(up.ok && up.value.kind === "uploaded", JSON.stringify(up));
  return { manifest, cache };
}

/** A reader's cache trusting only the writer, with no signing key. */
function reader(remote: TestRemote): RemoteCache {
  return remoteCache({ transport: remote.transport, trusted: trusting(writer) });
}

/** Runs `fn` against a fresh remote of each kind. */
function eachRemote(
  name: string,
  fn: (remote: TestRemote, a: Store, b: Store) => Promise<void>,
): void {
  for (const kind of KINDS) {
    Deno.test({
      name: `${name} (${kind})`,
      ignore: skipped(kind),
      fn: async () => {
        const remote = await testRemote(kind);
        try {
          await withStores((a, b) => fn(remote, a, b));
        } finally {
          await remote.dispose();
        }
      },
    });
  }
}

eachRemote(
  "a result uploaded by one store is restored byte for byte into another",
  async (remote, a, b) => {
    const { manifest } = await uploaded(remote, a);
    const found = await reader(remote).lookup(manifest.key);
    assert.equal(found.kind, "hit");
    if (found.kind !== "hit") return;
    const got = await downloadResult(b, "train/a", found);
    assert.ok(got.ok && got.value.kind === "stored", JSON.stringify(got));
    const restored = got.value.result;
    assert.equal(restored.manifest.content, manifest.content);
    assert.equal(
      await Deno.readTextFile(`${restored.dir}/curves/loss.csv`),
      "epoch,loss\n1,0.5\n",
    );
    assert.equal((await b.get(manifest.key)).kind, "hit");
    assert.deepEqual((await b.history("train/a")).map((m) => m.key), [manifest.key]);
    // One object per result: the entry and its bundle, whatever the number of files.
    assert.equal([...Deno.readDirSync(`${remote.dir}/cas`)].length, 1);
  },
);

eachRemote("an absent key is a miss, not an error", async (remote) => {
  assert.deepEqual(await reader(remote).lookup("f".repeat(64) as Manifest["key"]), {
    kind: "miss",
  });
});

eachRemote(
  "a flipped byte in a bundle is rejected before anything is stored",
  async (remote, a, b) => {
    const { manifest } = await uploaded(remote, a);
    await flipByte(await onlyFile(`${remote.dir}/cas`), -3);
    const found = await reader(remote).lookup(manifest.key);
    assert.equal(found.kind, "hit", "the entry itself is sound");
    if (found.kind !== "hit") return;
    const got = await downloadResult(b, "train/a", found);
    assert.ok(got.ok);
    const fetched = got.value;
    assert.equal(fetched.kind, "rejected");
    assert.match(
      (fetched as { detail: string }).detail,
      /its bundle cas\/\w+… holds "weights.json" not matching its hash/,
    );
    assert.equal((await b.get(manifest.key)).kind, "miss");
    assert.equal((await b.size()).entries, 0);
  },
);

eachRemote("a deleted bundle is rejected as missing, not served as a hit", async (remote, a, b) => {
  const { manifest } = await uploaded(remote, a);
  await Deno.remove(await onlyFile(`${remote.dir}/cas`));
  const found = await reader(remote).lookup(manifest.key);
  assert.equal(found.kind, "hit");
  if (found.kind !== "hit") return;
  const fetched = await downloadResult(b, "train/a", found);
  assert.deepEqual(fetched.ok && fetched.value, {
    kind: "rejected",
    detail: `its bundle ${remoteBundlePath(found.entry.bundle.hash)} is missing`,
  });
});

eachRemote(
  "an entry signed by a key the project does not list is rejected, naming both",
  async (remote, a) => {
    const { manifest } = await uploaded(remote, a, stranger);
    const found = await reader(remote).lookup(manifest.key);
    assert.deepEqual(found, {
      kind: "rejected",
      detail: `it is signed by ${stranger.id}, which trusted_keys.json does not list`,
    });
  },
);

eachRemote(
  "an entry changed after signing, unsigned or half-written is rejected",
  async (remote, a) => {
    const { manifest } = await uploaded(remote, a);
    const path = `${remote.dir}/${remoteEntryPath(manifest.key)}`;
    const entry = JSON.parse(await Deno.readTextFile(path));
    const cases: [string, string, RegExp][] = [
      [
        "changed",
        JSON.stringify({ ...entry, manifest: { ...entry.manifest, seconds: 0 } }),
        /signature does not verify/,
      ],
      ["unsigned", JSON.stringify({ ...entry, signature: undefined }), /^it is unsigned$/],
      ["half-written", JSON.stringify(entry).slice(0, 200), /not JSON/],
    ];
    for (const [what, text, detail] of cases) {
      await Deno.writeTextFile(path, text);
      const found = await reader(remote).lookup(manifest.key);
      assert.equal(found.kind, "rejected", what);
      assert.match((found as { detail: string }).detail, detail, what);
    }
  },
);

eachRemote(
  "an upload leaves a valid entry alone unless told to replace it",
  async (remote, a, b) => {
    const { manifest, cache } = await uploaded(remote, a);
    const dir = (await a.get(manifest.key) as { dir: string }).dir;
    assert.deepEqual(await cache.upload({ manifest, dir }), {
      ok: true,
      value: { kind: "present" },
    });
    const again = await cache.upload({ manifest, dir }, { replace: true });
    assert.ok(again.ok && again.value.kind === "uploaded");
    // A damaged bundle is not "present": an upload puts it right.
    await flipByte(await onlyFile(`${remote.dir}/cas`), 0);
    await Deno.truncate(await onlyFile(`${remote.dir}/cas`), 10);
    const repaired = await cache.upload({ manifest, dir });
    assert.ok(repaired.ok && repaired.value.kind === "uploaded");
    const found = await reader(remote).lookup(manifest.key);
    assert.ok(found.kind === "hit");
    const got = await downloadResult(b, "train/a", found);
    assert.ok(got.ok && got.value.kind === "stored");
  },
);

eachRemote("two writers uploading one key at once leave one valid entry", async (remote, a, b) => {
  const manifest = await commit(a, "train/a", { lambda: 1 }, { "w.json": "[1]" });
  const dir = (await a.get(manifest.key) as { dir: string }).dir;
  const both = trusting(writer, stranger);
  const caches = [writer, stranger].map((signer) =>
    remoteCache({ transport: remote.transport, trusted: both, signer })
  );
  for (let round = 0; round < 5; round++) {
    const ups = await Promise.all(
      caches.map((c) => c.upload({ manifest, dir }, { replace: true })),
    );
    assert.ok(ups.every((u) => u.ok));
    const found = await remoteCache({ transport: remote.transport, trusted: both }).lookup(
      manifest.key,
    );
    assert.equal(found.kind, "hit");
    if (found.kind !== "hit") return;
    assert.ok([writer.id, stranger.id].includes(found.entry.signer));
    const out = await b.scratch();
    assert.equal((await found.fetch(out)).kind, "ok");
    await b.discard(out);
  }
});

eachRemote(
  "latest() finds the result last uploaded for a stage id, signed by a trusted key",
  async (remote, a) => {
    const { manifest } = await uploaded(remote, a);
    const r = reader(remote);
    assert.equal((await r.latest("train/a"))?.key, manifest.key);
    assert.equal(await r.latest("train/b"), undefined);
    const untrusting = remoteCache({ transport: remote.transport, trusted: trusting(stranger) });
    assert.equal(await untrusting.latest("train/a"), undefined);
  },
);
