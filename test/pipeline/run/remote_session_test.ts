/**
 * `reproduce --remote` end to end, on the toy pipeline, against a folder and a real nginx: a
 * clone reproduces from what another uploaded without executing; every damaged or untrusted
 * entry, and a remote that fails, ends with correct artifacts, a sound local store and one line
 * said about it.
 *
 * @module
 */
import assert from "node:assert/strict";
import { remoteEntryPath } from "../../../pipeline/core/remote_layout.ts";
import type { Transport } from "../../../pipeline/remote/transport/transport.ts";
import { flipByte, KINDS, skipped } from "../remote/_fixture.ts";
import { skipNginx } from "../remote/_nginx.ts";
import { linesWith, type ToyPair, toyPair } from "../remote/_toy_remote.ts";

function eachRemote(name: string, fn: (p: ToyPair) => Promise<void>): void {
  for (const kind of KINDS) {
    Deno.test({
      name: `${name} (${kind})`,
      ignore: skipped(kind),
      fn: async () => {
        const pair = await toyPair(kind);
        try {
          await fn(pair);
        } finally {
          await pair.dispose();
        }
      },
    });
  }
}

/** The bundle file on the remote holding the result of `stage` in `a`'s last run. */
async function bundleOf(p: ToyPair, stage: string): Promise<string> {
  const report = await p.a.project.report();
  const key = report.stages.find((s) => s.id === stage)!.key!;
  const entry = JSON.parse(await Deno.readTextFile(`${p.remote.dir}/${remoteEntryPath(key)}`));
  return `${p.remote.dir}/cas/${entry.bundle.hash}`;
}

eachRemote(
  "a clone reproduces from another's uploads without executing, byte for byte",
  async (p) => {
    const filled = await p.a.run("reproduce", "--remote", p.url);
    assert.equal(filled.code, 0, filled.err);
    assert.match(filled.out, /8 executed, 0 cached, 0 failed, 8 uploaded/);
    const r = await p.b.run("reproduce", "--remote", p.url);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(await p.b.project.executions(), []);
    assert.deepEqual(await p.b.project.artifacts(), await p.a.project.artifacts());
    assert.match(r.out, /0 executed, 8 cached \(8 downloaded\), 0 failed in/);
    assert.equal(r.err, "");
    assert.equal((await p.b.run("verify")).code, 0);
    // Downloaded once: the next run finds everything in the local store.
    const again = await p.b.run("reproduce", "--remote", p.url);
    assert.match(again.out, /^0 executed, 8 cached, 0 failed in/);
  },
);

eachRemote(
  "a flipped byte in a remote bundle: that stage is recomputed, said once, and repaired",
  async (p) => {
    assert.equal((await p.a.run("reproduce", "--remote", p.url)).code, 0);
    await flipByte(await bundleOf(p, "step/a"), -2);
    const r = await p.b.run("reproduce", "--remote", p.url);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(await p.b.project.executions(), ['step {"k":1}']);
    assert.deepEqual(await p.b.project.artifacts(), await p.a.project.artifacts());
    const said = linesWith(r.err, "was not used");
    assert.equal(said.length, 1, r.err);
    assert.match(
      said[0]!,
      /result of step\/a was not used: its bundle cas\/\w+… holds "step.txt" not matching its hash/,
    );
    assert.equal((await p.b.run("verify")).code, 0);
    // b's upload put the bundle right: a third clone executes nothing.
    const c = await p.clone();
    assert.equal((await c.run("reproduce", "--remote", p.url)).code, 0);
    assert.deepEqual(await c.project.executions(), []);
  },
);

eachRemote(
  "a deleted remote bundle: that stage is recomputed, and its dependants downloaded",
  async (p) => {
    assert.equal((await p.a.run("reproduce", "--remote", p.url)).code, 0);
    await Deno.remove(await bundleOf(p, "source"));
    const r = await p.b.run("reproduce", "--remote", p.url);
    assert.equal(r.code, 0, r.err);
    // The recomputed source has the same bytes, so the steps' keys are unchanged: downloaded.
    assert.deepEqual(await p.b.project.executions(), ['source {"seed":1}']);
    assert.deepEqual(await p.b.project.artifacts(), await p.a.project.artifacts());
    assert.match(r.err, /result of source was not used: its bundle cas\/\w+ is missing/);
    assert.equal((await p.b.run("verify")).code, 0);
  },
);

eachRemote(
  "a miss says what differs from the remote's result of the same stage, once",
  async (p) => {
    assert.equal((await p.a.run("reproduce", "--remote", p.url)).code, 0);
    const r = await p.b.run("reproduce", "--remote", p.url, "--set", "configs.a.k=5");
    assert.equal(r.code, 0, r.err);
    assert.deepEqual((await p.b.project.executions()).sort(), ['step {"k":5}', "total {}"]);
    // total missed too, but only its input differs: step/a has said why.
    assert.equal(
      r.err,
      "? The remote has step/a only under another key (remote → here: configs.a.k 1 → 5)\n",
    );
  },
);

eachRemote("entries signed by an untrusted key are all recomputed, and said once", async (p) => {
  assert.equal((await p.a.run("reproduce", "--remote", p.url)).code, 0);
  await Deno.writeTextFile(`${p.b.project.root}/trusted_keys.json`, '{"keys": []}');
  const r = await p.b.run("reproduce", "--remote", p.url);
  assert.equal(r.code, 0, r.err);
  assert.equal((await p.b.project.executions()).length, 8);
  assert.deepEqual(await p.b.project.artifacts(), await p.a.project.artifacts());
  const lines = r.err.trim().split("\n");
  assert.equal(lines.length, 2, r.err);
  assert.match(
    lines[0]!,
    /was not used: it is signed by ed25519:\S+, which trusted_keys\.json does not list/,
  );
  assert.match(lines[1]!, /…and 7 more remote result\(s\) not used, for a reason shown above/);
});

Deno.test({
  name: "a stopped server: reproduce runs locally and says so once",
  ignore: skipNginx,
  fn: async () => {
    const p = await toyPair("nginx");
    try {
      await p.remote.server!.stop();
      const r = await p.a.run("reproduce", "--remote", p.url);
      assert.equal(r.code, 0, r.err);
      assert.equal((await p.a.project.executions()).length, 8);
      const said = linesWith(r.err, "failed");
      assert.equal(said.length, 1, r.err);
      assert.match(
        said[0]!,
        /^! The remote http:\/\/\S+ failed \(HEAD ac\/0+: .*Connection refused.*\); going on without it$/,
      );
    } finally {
      await p.dispose();
    }
  },
});

Deno.test("a share that fails mid-run: reproduce runs locally and says so once", async () => {
  const p = await toyPair("file");
  try {
    let gets = 0;
    const failing = (t: Transport): Transport => ({
      ...t,
      get: (path) =>
        ++gets > 2
          ? Promise.resolve({
            ok: false,
            error: { kind: "failed", detail: `reading ${path}: EIO` },
          })
          : t.get(path),
      put: (path) =>
        Promise.resolve({ ok: false, error: { kind: "failed", detail: `writing ${path}: EIO` } }),
    });
    const r = await p.a.runWith({ wrap: failing }, "reproduce", "--remote", p.url);
    assert.equal(r.code, 0, r.err);
    assert.equal((await p.a.project.executions()).length, 8);
    assert.equal(linesWith(r.err, "failed (").length, 1, r.err);
    assert.match(
      r.err,
      /^! The remote file:\/\/\S+ failed \((reading|writing) \S+: EIO\); going on without it\n$/,
    );
    assert.equal((await p.a.run("verify")).code, 0);
  } finally {
    await p.dispose();
  }
});

Deno.test({
  name:
    "nginx stopped in the middle of a run: the run goes on locally, said once; what went up is sound",
  ignore: skipNginx,
  fn: async () => {
    const p = await toyPair("nginx");
    try {
      const server = p.remote.server!;
      let entries = 0;
      // After the first entry has gone up, the server dies.
      const dying = (t: Transport): Transport => ({
        ...t,
        put: async (path, body) => {
          const r = await t.put(path, body);
          if (path.startsWith("ac/") && ++entries === 1) await server.stop();
          return r;
        },
      });
      const r = await p.a.runWith({ wrap: dying }, "reproduce", "--remote", p.url);
      assert.equal(r.code, 0, r.err);
      assert.equal(linesWith(r.err, "failed (").length, 1, r.err);
      assert.equal((await p.a.project.executions()).length, 8);
      assert.equal((await p.a.run("verify")).code, 0);
      await server.restart();
      const b = await p.b.run("reproduce", "--remote", p.url);
      assert.equal(b.code, 0, b.err);
      assert.deepEqual(await p.b.project.artifacts(), await p.a.project.artifacts());
      assert.ok((await p.b.project.executions()).length < 8, "what went up was used");
      assert.equal(linesWith(b.err, "not used").length, 0, b.err);
      assert.equal((await p.b.run("verify")).code, 0);
    } finally {
      await p.dispose();
    }
  },
});

eachRemote("a bad remote is refused in one line before anything runs", async (p) => {
  for (const url of ["ftp://host/cache", "file:///no/such/folder/psinv", "https://u:pw@h/c"]) {
    const r = await p.a.run("reproduce", "--remote", url);
    assert.equal(r.code, 2, url);
    assert.equal(r.err.trim().split("\n").length, 1, r.err);
    assert.match(r.err, /^Cannot use the remote "/);
  }
  assert.deepEqual(await p.a.project.executions(), []);
  await assert.rejects(Deno.stat(`${p.a.project.root}/.psinv/store`));
});

Deno.test({
  name: "a server demanding credentials that are missing: exit 2, one line, nothing runs",
  ignore: skipNginx,
  fn: async () => {
    const p = await toyPair("nginx");
    try {
      await p.remote.server!.restart({ token: "s3cret" });
      const r = await p.a.run("reproduce", "--remote", p.url);
      assert.equal(r.code, 2);
      assert.equal(
        r.err,
        `Cannot use the remote "${p.url}": it asks for credentials (HEAD ac/${"0".repeat(64)}: ` +
          "HTTP 401 Unauthorized) (set PSINV_REMOTE_TOKEN, or PSINV_REMOTE_USER and PSINV_REMOTE_PASSWORD)\n",
      );
      assert.deepEqual(await p.a.project.executions(), []);
      const ok = await p.a.runWith(
        { env: { PSINV_REMOTE_TOKEN: "s3cret" } },
        "reproduce",
        "--remote",
        p.url,
      );
      assert.equal(ok.code, 0, ok.err);
      assert.match(ok.out, /8 uploaded/);
    } finally {
      await p.dispose();
    }
  },
});
