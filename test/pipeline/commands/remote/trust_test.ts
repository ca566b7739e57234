import assert from "node:assert/strict";
import { toyProject } from "../../../testdata/toy/harness.ts";

Deno.test("trust creates this machine's key on first use and lists it once", async () => {
  const p = await toyProject();
  const keys = await Deno.makeTempDir();
  try {
    const env = { PSINV_SIGNING_KEY: `${keys}/k.json`, USER: "ann" };
    const first = await p.runWith({ env }, "trust");
    assert.equal(first.code, 0, first.err);
    assert.match(
      first.err,
      /^Created this machine's signing key ed25519:\S+ in .*k\.json; keep that file private\./,
    );
    const doc = JSON.parse(await Deno.readTextFile(`${p.root}/trusted_keys.json`));
    assert.equal(doc.keys.length, 1);
    assert.equal(doc.keys[0].name, `ann@${Deno.hostname()}`);
    assert.equal(
      first.out,
      `Trusted ${
        doc.keys[0].key
      } (ann@${Deno.hostname()}) in trusted_keys.json: commit it so other clones use what this key signs\n`,
    );
    const again = await p.runWith({ env }, "trust");
    assert.equal(
      again.out,
      `trusted_keys.json already trusts ${doc.keys[0].key} (ann@${Deno.hostname()})\n`,
    );
    assert.equal(again.err, "");
    const other = `ed25519:${"B".repeat(43)}`;
    assert.equal((await p.runWith({ env }, "trust", other, "--name", "ci")).code, 0);
    const after = JSON.parse(await Deno.readTextFile(`${p.root}/trusted_keys.json`));
    assert.deepEqual(after.keys.map((k: { name: string }) => k.name), [
      `ann@${Deno.hostname()}`,
      "ci",
    ]);
  } finally {
    await p.dispose();
    await Deno.remove(keys, { recursive: true });
  }
});

Deno.test("trust refuses a malformed key, or one nobody is named for, with exit 2", async () => {
  const p = await toyProject();
  try {
    const bad = await p.run("trust", "ssh-rsa AAAA");
    assert.equal(bad.code, 2);
    assert.equal(
      bad.err,
      '"ssh-rsa AAAA" is not a public key: expected ed25519: and 43 base64url characters\n',
    );
    const unnamed = await p.run("trust", `ed25519:${"B".repeat(43)}`);
    assert.equal(unnamed.code, 2);
    assert.match(unnamed.err, /name it with --name/);
    await assert.rejects(Deno.stat(`${p.root}/trusted_keys.json`));
  } finally {
    await p.dispose();
  }
});
