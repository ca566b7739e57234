/**
 * `push` on the toy pipeline: what it uploads, what it leaves, and a server that fails in the
 * middle (stopped, or answering 500 as nginx does on a full disk) — one line, exit 1, the local
 * store untouched, and a rerun that finishes.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { Transport } from "../../../../pipeline/remote/transport/transport.ts";
import { KINDS, skipped } from "../../remote/_fixture.ts";
import { skipNginx } from "../../remote/_nginx.ts";
import { linesWith, withToyPair } from "../../remote/_toy_remote.ts";

for (const kind of KINDS) {
  Deno.test({
    name: `push uploads the current results once, and a clone pulls them (${kind})`,
    ignore: skipped(kind),
    fn: () =>
      withToyPair(kind, async (p) => {
        assert.equal((await p.a.run("reproduce")).code, 0);
        const first = await p.a.run("push", "--remote", p.url);
        assert.equal(first.code, 0, first.err);
        assert.match(
          first.out,
          /^Pushed 8 result\(s\) \(\d+ B\) to \S+ in [\d.]+ s; 0 were there already\n$/,
        );
        const again = await p.a.run("push", "--remote", p.url);
        assert.match(
          again.out,
          /^Pushed 0 result\(s\) \(0 B\) to \S+ in [\d.]+ s; 8 were there already/,
        );
        const pulled = await p.b.run("pull", "--remote", p.url);
        assert.equal(pulled.code, 0, pulled.err);
        assert.equal((await p.b.run("reproduce")).code, 0);
        assert.deepEqual(await p.b.project.executions(), []);
        assert.deepEqual(await p.b.project.artifacts(), await p.a.project.artifacts());
      }),
  });
}

Deno.test("push names the stages with no current result and exits 1", () =>
  withToyPair("file", async (p) => {
    assert.equal((await p.a.run("reproduce", "step/a", "step/b")).code, 0);
    const r = await p.a.run("push", "--remote", p.url, "total", "flaky");
    assert.equal(r.code, 1);
    assert.match(r.out, /^Pushed 3 result\(s\)/);
    assert.equal(
      r.err,
      "Not pushed, no current result here (run reproduce first): total, flaky\n",
    );
  }));

Deno.test("push warns when the project does not trust the key it signs with", () =>
  withToyPair("file", async (p) => {
    assert.equal((await p.a.run("reproduce", "source")).code, 0);
    await Deno.writeTextFile(`${p.a.project.root}/trusted_keys.json`, '{"keys": []}');
    const r = await p.a.run("push", "--remote", p.url, "source");
    assert.equal(r.code, 0);
    assert.match(
      r.err,
      /^! trusted_keys\.json does not trust the key that signed them \(ed25519:\S+\): other clones will not use them until you run `deno task trust` and commit the file\n$/,
    );
  }));

Deno.test({
  name:
    "nginx stopped in the middle of a push: exit 1 in one line, nothing half-written, a rerun completes",
  ignore: skipNginx,
  fn: () =>
    withToyPair("nginx", async (p) => {
      const server = p.remote.server!;
      assert.equal((await p.a.run("reproduce")).code, 0);
      let bundles = 0;
      const dying = (t: Transport): Transport => ({
        ...t,
        put: async (path, body) => {
          const r = await t.put(path, body);
          if (path.startsWith("cas/") && ++bundles === 3) await server.stop();
          return r;
        },
      });
      const r = await p.a.runWith({ wrap: dying }, "push", "--remote", p.url);
      assert.equal(r.code, 1);
      assert.equal(r.out, "");
      assert.equal(r.err.split("\n").length, 2, r.err);
      // Uploads run 8 at a time: the request that meets the stopped server is another bundle's
      // or an entry's PUT, or the HEAD that checks an uploaded bundle is still there.
      assert.match(
        r.err,
        /^The remote "\S+" failed: (PUT|HEAD) \S+: .*\(\d result\(s\) went up complete before it stopped; rerun push to finish\)\n$/,
      );
      assert.equal((await p.a.run("verify")).code, 0);
      // Whatever entry is there is complete: a clone's pull takes those and misses the rest.
      await server.restart();
      const partial = await p.b.run("pull", "--remote", p.url);
      assert.equal(partial.code, 1);
      assert.equal(linesWith(partial.err, "not used").length, 0, partial.err);
      const rerun = await p.a.run("push", "--remote", p.url);
      assert.equal(rerun.code, 0, rerun.err);
      assert.equal((await p.b.run("pull", "--remote", p.url)).code, 0);
      assert.equal((await p.b.run("reproduce")).code, 0);
      assert.deepEqual(await p.b.project.executions(), []);
      assert.deepEqual(await p.b.project.artifacts(), await p.a.project.artifacts());
    }),
});

Deno.test({
  name: "nginx answering 500 to entries (its disk full): push fails in one line and leaves no hit",
  ignore: skipNginx,
  fn: () =>
    withToyPair("nginx", async (p) => {
      assert.equal((await p.a.run("reproduce", "source")).code, 0);
      await p.remote.server!.restart({ failEntryPuts: true });
      const r = await p.a.run("push", "--remote", p.url, "source");
      assert.equal(r.code, 1);
      assert.match(
        r.err,
        /^The remote "\S+" failed: PUT ac\/\w+: HTTP 500 Internal Server Error \(0 result/,
      );
      // The bundle went up, the entry did not: a reader finds nothing to use.
      assert.equal([...Deno.readDirSync(`${p.remote.dir}/cas`)].length, 1);
      await p.remote.server!.restart();
      const pulled = await p.b.run("pull", "--remote", p.url, "source");
      assert.equal(pulled.code, 1);
      assert.equal(pulled.err, "Not on the remote: source\n");
    }),
});
