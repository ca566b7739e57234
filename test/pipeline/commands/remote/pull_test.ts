/**
 * `pull` on the toy pipeline: it fills the store without running anything, says what the remote
 * lacks, checks results already here with `--verify`, and stops in one line when the remote
 * fails.
 *
 * @module
 */
import assert from "node:assert/strict";
import { remoteEntryPath } from "../../../../pipeline/core/remote_layout.ts";
import { flipByte } from "../../remote/_fixture.ts";
import { type ToyPair, withToyPair } from "../../remote/_toy_remote.ts";

const withPair = (fn: (p: ToyPair) => Promise<void>) => withToyPair("file", fn);

Deno.test("pull stores verified results without running a stage, in graph order", () =>
  withPair(async (p) => {
    assert.equal((await p.a.run("reproduce", "--remote", p.url)).code, 0);
    const r = await p.b.run("pull", "--remote", p.url, "total");
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(await p.b.project.executions(), []);
    assert.match(r.out, /↓ source .*\n(↓ step\/[ab] .*\n){2}↓ total .*\nPulled 4 result\(s\)/);
    assert.match(r.out, /; 0 were here already\n$/);
    const again = await p.b.run("pull", "--remote", p.url, "total");
    assert.match(
      again.out,
      /^Pulled 0 result\(s\) \(0 B\) from \S+ in [\d.]+ s; 4 were here already\n$/,
    );
    assert.equal((await p.b.run("verify")).code, 0);
  }));

Deno.test("pull names what the remote lacks, and what depends on it, and exits 1", () =>
  withPair(async (p) => {
    assert.equal((await p.a.run("reproduce", "--remote", p.url, "source")).code, 0);
    const r = await p.b.run("pull", "--remote", p.url, "total");
    assert.equal(r.code, 1);
    assert.match(r.out, /^↓ source/);
    assert.equal(r.err, "Not on the remote: step/a, step/b, total\n");
  }));

Deno.test("pull --verify checks results already here against the remote's", () =>
  withPair(async (p) => {
    assert.equal((await p.a.run("reproduce", "--remote", p.url, "source")).code, 0);
    assert.equal((await p.b.run("pull", "--remote", p.url, "source")).code, 0);
    const fine = await p.b.run("pull", "--remote", p.url, "--verify", "source");
    assert.equal(fine.code, 0);
    assert.match(
      fine.out,
      /; 1 were here already; 1 checked against the remote\n$/,
    );
    const key = (await p.a.project.report()).stages[0]!.key!;
    const entry = JSON.parse(await Deno.readTextFile(`${p.remote.dir}/${remoteEntryPath(key)}`));
    await flipByte(`${p.remote.dir}/cas/${entry.bundle.hash}`, -1);
    const bad = await p.b.run("pull", "--remote", p.url, "--verify", "source");
    assert.equal(bad.code, 1);
    assert.match(bad.err, /^! The remote's result of source was not used: its bundle/);
    assert.match(bad.err, /\nNot used \(see above\): source\n$/);
    assert.equal((await p.b.run("verify")).code, 0, "the local result is untouched");
  }));

Deno.test("pull from a remote that fails stops in one line and keeps what it stored", () =>
  withPair(async (p) => {
    assert.equal((await p.a.run("reproduce", "--remote", p.url)).code, 0);
    let gets = 0;
    const r = await p.b.runWith(
      {
        wrap: (t) => ({
          ...t,
          get: (path) =>
            ++gets > 4
              ? Promise.resolve({
                ok: false,
                error: { kind: "failed", detail: `reading ${path}: EIO` },
              })
              : t.get(path),
        }),
      },
      "pull",
      "--remote",
      p.url,
    );
    assert.equal(r.code, 1);
    assert.match(
      r.err,
      /^The remote "file:\/\/\S+" failed: reading \S+: EIO \(what was pulled is complete and stays; rerun pull to finish\)\n$/,
    );
    assert.equal((await p.b.run("verify")).code, 0);
    const rerun = await p.b.run("pull", "--remote", p.url);
    assert.equal(rerun.code, 0, rerun.err);
    assert.equal((await p.b.run("reproduce")).code, 0);
    assert.deepEqual(await p.b.project.executions(), []);
  }));
