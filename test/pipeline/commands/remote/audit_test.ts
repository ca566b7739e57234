/**
 * `verify --remote --sample N`: re-running results that came from the remote catches one that a
 * trusted key signed although its bytes are wrong, names that key, sets the result here aside
 * and replaces it with the re-run's; the sample is seeded and repeats; `trust --revoke` lists the
 * key's entries and `gc --remote` then deletes them.
 *
 * @module
 */
import assert from "node:assert/strict";
import { remoteBundlePath, remoteEntryPath } from "../../../../pipeline/core/remote_layout.ts";
import { sha256 } from "../../../../pipeline/core/hash.ts";
import type { AuditDone } from "../../../../pipeline/core/answer.ts";
import { packBundle } from "../../../../pipeline/remote/bundle.ts";
import { checkRemoteEntry, signEntry } from "../../../../pipeline/remote/entry.ts";
import { loadSigningKey } from "../../../../pipeline/remote/signing_key.ts";
import { contentHash } from "../../../../pipeline/store/manifest.ts";
import { type ToyPair, withToyPair } from "../../remote/_toy_remote.ts";
import { sample } from "../../../../pipeline/commands/remote/audit.ts";

const withPair = (fn: (p: ToyPair) => Promise<void>) => withToyPair("file", fn);

function audited(out: string): AuditDone {
  return JSON.parse(out.trim().split("\n").at(-1)!) as AuditDone;
}

/** Replaces the remote's result of `stage` by `text`, validly signed by clone a's key. */
async function poison(p: ToyPair, stage: string, file: string, text: string): Promise<string> {
  const signer = await loadSigningKey(p.a.keyFile);
  assert.ok(signer.ok && signer.value);
  const pointer = await Deno.readTextFile(
    `${p.remote.dir}/stages/${await sha256(stage)}`,
  );
  const key = pointer.trim();
  const entryPath = `${p.remote.dir}/${remoteEntryPath(key)}`;
  const trusted = { file: "trusted_keys.json", keys: [{ key: p.a.key, name: "a" }] };
  const entry = await checkRemoteEntry(await Deno.readFile(entryPath), key as never, trusted);
  assert.ok(entry.ok, JSON.stringify(entry));
  const bytes = new TextEncoder().encode(text);
  const files = {
    ...entry.value.manifest.files,
    [file]: { hash: await sha256(bytes), size: bytes.length },
  };
  const manifest = { ...entry.value.manifest, files, content: await contentHash(files) };
  const bundle = packBundle([{ path: file, bytes }]);
  const ref = { hash: await sha256(bundle), size: bundle.length };
  await Deno.writeFile(`${p.remote.dir}/${remoteBundlePath(ref.hash)}`, bundle);
  await Deno.writeFile(entryPath, await signEntry({ manifest, bundle: ref }, signer.value));
  return key;
}

Deno.test("verify --remote --sample 5 passes on an honest remote, and the seed repeats the sample", () =>
  withPair(async (p) => {
    assert.equal((await p.a.run("reproduce", "--remote", p.url)).code, 0);
    assert.equal((await p.b.run("reproduce", "--remote", p.url)).code, 0);
    const r = await p.b.run("verify", "--remote", p.url, "--sample", "5", "--seed", "7");
    assert.equal(r.code, 0, r.err);
    assert.match(
      r.out,
      /^Audited 5 of \d+ results that came from \S+ \(seed 7; --seed 7 repeats it\): all identical$/m,
    );
    assert.equal(r.out.split("\n").filter((l) => l.startsWith("✓ ")).length, 5);
    const first = audited(
      (await p.b.run("verify", "--remote", p.url, "--sample", "5", "--seed", "7", "--json")).out,
    );
    const again = audited(
      (await p.b.run("verify", "--remote", p.url, "--sample", "5", "--seed", "7", "--json")).out,
    );
    assert.deepEqual(again.audited.map((a) => a.stage), first.audited.map((a) => a.stage));
    assert.ok(first.audited.every((a) => a.signer === p.a.key));
    // Results this machine made itself are not audited here: the sample draws from the others.
    assert.equal((await p.a.run("verify", "--remote", p.url, "--sample", "5", "--json")).code, 0);
    assert.equal(audited((await p.a.run("verify", "--remote", p.url, "--json")).out).candidates, 0);
  }));

Deno.test("sample() draws n distinct items, in their order, the same for the same seed", () => {
  const items = [...Array(20).keys()];
  const a = sample(items, 5, 42);
  assert.equal(new Set(a).size, 5);
  assert.deepEqual(a, [...a].sort((x, y) => x - y));
  assert.deepEqual(sample(items, 5, 42), a);
  assert.notDeepEqual(sample(items, 5, 43), a);
  assert.deepEqual(sample(items, 50, 1), items);
});

Deno.test("verify --remote fails naming the key when a validly signed bundle is wrong; revoke and gc remove that key's entries", () =>
  withPair(async (p) => {
    assert.equal((await p.a.run("reproduce", "--remote", p.url)).code, 0);
    const good = await p.a.project.artifacts();
    await poison(p, "step/a", "step.txt", "not what step/a computes\n");
    assert.equal((await p.b.run("reproduce", "--remote", p.url)).code, 0);
    assert.notEqual((await p.b.project.artifacts())["steps/a.txt"], good["steps/a.txt"]);

    const r = await p.b.run("verify", "--remote", p.url, "--sample", "5", "step/*");
    assert.equal(r.code, 1, r.err);
    assert.match(
      r.out,
      new RegExp(
        `^✗ step/a \\([0-9a-f]{12}\\): step\\.txt differ from the remote's result signed by ${p.a.key}; the result here was set aside`,
        "m",
      ),
    );
    assert.match(
      r.out,
      new RegExp(`^Audited 3 of 3 results .*: 1 differ, signed by ${p.a.key}$`, "m"),
    );
    assert.match(r.out, new RegExp(`deno task trust --revoke ${p.a.key}`));
    // Set aside here, and replaced by the right bytes: the next run publishes them.
    assert.equal([...Deno.readDirSync(`${p.b.project.root}/.psinv/corrupt`)].length, 1);
    assert.equal((await p.b.run("reproduce", "--remote", "")).code, 0);
    assert.equal((await p.b.project.artifacts())["steps/a.txt"], good["steps/a.txt"]);

    const revoked = await p.b.run("trust", "--revoke", p.a.key, "--remote", p.url);
    assert.equal(revoked.code, 0, revoked.err);
    assert.match(revoked.out, /^Revoked ed25519:\S+ \(clone0\) in trusted_keys\.json/);
    assert.match(
      revoked.out,
      /^\d+ entries on \S+ are signed by it; `gc --remote` deletes them:$/m,
    );
    assert.match(revoked.out, /^ {2}step\/a +[0-9a-f]{12}$/m);
    const keys = JSON.parse(await Deno.readTextFile(`${p.b.project.root}/trusted_keys.json`));
    assert.deepEqual(keys.revoked.map((k: { key: string }) => k.key), [p.a.key]);
    assert.ok(!keys.keys.some((k: { key: string }) => k.key === p.a.key));

    const gc = await p.b.run("gc", "--remote", p.url, "--keep", "5");
    assert.equal(gc.code, 0, gc.err);
    for (const name of Deno.readDirSync(`${p.remote.dir}/ac`)) {
      if (name.name.startsWith(".")) continue;
      const entry = JSON.parse(await Deno.readTextFile(`${p.remote.dir}/ac/${name.name}`));
      assert.notEqual(entry.signer, p.a.key, "no entry of the revoked key is left");
    }
  }));
