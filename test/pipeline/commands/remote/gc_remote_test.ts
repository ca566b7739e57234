/**
 * `gc --remote` on the toy pipeline against a folder and nginx: after a parameter change it
 * deletes the old results (entries, then the bundles no entry names) and keeps the current ones,
 * which a fresh clone still reproduces from with nothing executed; recent uploads are spared;
 * `--dry-run` only lists; a server refusing `DELETE` is one line and exit 2; a `file://` share's
 * old temporary files are swept; and a writer uploading during the gc, in another process, loses
 * nothing.
 *
 * @module
 */
import assert from "node:assert/strict";
import { KINDS, skipped } from "../../remote/_fixture.ts";
import { skipNginx } from "../../remote/_nginx.ts";
import { type Clone, type ToyPair, withToyPair } from "../../remote/_toy_remote.ts";

/** The visible objects of a remote folder. */
function objects(dir: string, folder: string): string[] {
  try {
    return [...Deno.readDirSync(`${dir}/${folder}`)].map((e) => e.name).filter((n) =>
      !n.startsWith(".")
    ).sort();
  } catch {
    return [];
  }
}

/** Every entry on the remote names a bundle that is there. */
function assertEveryEntryHasItsBundle(dir: string): void {
  const bundles = new Set(objects(dir, "cas"));
  for (const key of objects(dir, "ac")) {
    const entry = JSON.parse(Deno.readTextFileSync(`${dir}/ac/${key}`));
    assert.ok(bundles.has(entry.bundle.hash), `the entry ${key} lost its bundle`);
  }
}

const setA = (k: number) =>
(
  d: Record<string, unknown>,
) => ((d.configs as Record<string, { k: number }>).a!.k = k);

/** Reproduces and pushes, changes configs.a.k to 10, reproduces and pushes again. */
async function twoGenerations(p: ToyPair): Promise<void> {
  assert.equal((await p.a.run("reproduce", "--remote", p.url)).code, 0);
  await p.a.project.editParams(setA(10));
  assert.equal((await p.a.run("reproduce", "--remote", p.url)).code, 0);
  // Remote times have whole seconds: let the old results be older than the gc's start.
  await new Promise((r) => setTimeout(r, 1100));
}

for (const kind of KINDS) {
  Deno.test({
    name:
      `gc --remote --keep 0 after a parameter change removes the old results, and a fresh clone reproduces with 0 executed (${kind})`,
    ignore: skipped(kind),
    fn: () =>
      withToyPair(kind, async (p) => {
        await twoGenerations(p);
        const before = objects(p.remote.dir, "ac").length;
        const r = await p.a.run("gc", "--remote", p.url, "--keep", "0", "--grace", "0");
        assert.equal(r.code, 0, r.err);
        assert.match(
          r.out,
          /^Deleted 2 entries, 2 bundles and 0 temporary files \([\d.]+ [kM]?B\) from \S+; kept \d+ entries and \d+ bundles \(\d+ requests to decide\)\n$/,
        );
        assert.equal(objects(p.remote.dir, "ac").length, before - 2);
        assertEveryEntryHasItsBundle(p.remote.dir);

        const fresh: Clone = await p.clone();
        await fresh.project.editParams(setA(10));
        const again = await fresh.run("reproduce", "--remote", p.url);
        assert.equal(again.code, 0, again.err);
        assert.deepEqual(await fresh.project.executions(), []);
        assert.deepEqual(await fresh.project.artifacts(), await p.a.project.artifacts());
      }),
  });
}

Deno.test("gc --remote keeps the K newest results of each stage, and what is younger than the grace", () =>
  withToyPair("file", async (p) => {
    await twoGenerations(p);
    // The newest 2 of step/a are its current result and the one before.
    const kept = await p.a.run("gc", "--remote", p.url, "--keep", "2", "--grace", "0");
    assert.match(kept.out, /^Deleted 0 entries, 0 bundles/);
    const young = await p.a.run("gc", "--remote", p.url, "--keep", "0");
    assert.match(young.out, /^Deleted 0 entries, 0 bundles/, "the default grace is an hour");
  }));

Deno.test("gc --remote --dry-run lists what would go and its size, and deletes nothing", () =>
  withToyPair("file", async (p) => {
    await twoGenerations(p);
    const before = [objects(p.remote.dir, "ac"), objects(p.remote.dir, "cas")];
    const r = await p.a.run("gc", "--remote", p.url, "--keep", "0", "--grace", "0", "--dry-run");
    assert.equal(r.code, 0, r.err);
    assert.match(
      r.out,
      /^would delete ac\/[0-9a-f]{12}… +[\d.]+ k?B +not current, not among the newest kept \(step\/a\)$/m,
    );
    assert.match(r.out, /^would delete cas\/[0-9a-f]{12}… +[\d.]+ k?B +a bundle no entry names$/m);
    assert.match(r.out, /^Would delete 2 entries, 2 bundles and 0 temporary files/m);
    assert.deepEqual([objects(p.remote.dir, "ac"), objects(p.remote.dir, "cas")], before);
  }));

Deno.test({
  name: "gc --remote against a server that refuses DELETE: one line, exit 2, nothing deleted",
  ignore: skipNginx,
  fn: () =>
    withToyPair("nginx", async (p) => {
      await twoGenerations(p);
      await p.remote.server!.restart({ noDelete: true });
      const before = objects(p.remote.dir, "ac");
      const r = await p.a.run("gc", "--remote", p.url, "--keep", "0", "--grace", "0");
      assert.equal(r.code, 2);
      assert.equal(r.out, "");
      assert.match(
        r.err,
        /^Cannot use the remote "\S+": it does not take DELETE \(DELETE ac\/[0-9a-f]{64}: HTTP 405 Method Not Allowed\) \(allow it: nginx `dav_methods PUT DELETE;`\)\n$/,
      );
      assert.deepEqual(objects(p.remote.dir, "ac"), before);
    }),
});

Deno.test("gc --remote sweeps the temporary files of a file:// share older than a day", () =>
  withToyPair("file", async (p) => {
    assert.equal((await p.a.run("reproduce", "source", "--remote", p.url)).code, 0);
    const old = `${p.remote.dir}/cas/.${"a".repeat(64)}.4000001.0123abcd.tmp`;
    const young = `${p.remote.dir}/cas/.${"b".repeat(64)}.4000002.0123abcd.tmp`;
    await Deno.writeTextFile(old, "half a bundle");
    await Deno.writeTextFile(young, "half a bundle");
    const twoDaysAgo = new Date(Date.now() - 2 * 86400_000);
    await Deno.utime(old, twoDaysAgo, twoDaysAgo);
    const r = await p.a.run("gc", "--remote", p.url, "--grace", "0");
    assert.match(r.out, /^Deleted 0 entries, 0 bundles and 1 temporary files \(13 B\)/);
    assert.equal(await Deno.stat(old).then(() => true, () => false), false);
    assert.equal(await Deno.stat(young).then(() => true, () => false), true);
  }));

Deno.test({
  name: "a writer uploading in another process during gc --remote loses nothing (nginx)",
  ignore: skipNginx,
  fn: () =>
    withToyPair("nginx", async (p) => {
      assert.equal((await p.a.run("reproduce", "--remote", p.url)).code, 0);
      // The writer: clone b, in its own process, runs configs.a.k = 101…108 one after another,
      // each uploading its new step/a and total. Halfway it waits (30 s at most) until a gc has
      // deleted one of its older results, so that its last uploads meet a gc that deletes, however
      // fast this machine uploads against the remote's whole-second clock.
      const main = new URL("../../../testdata/toy/main.ts", import.meta.url).pathname;
      let deleted = 0, runs = 0, deletedAtHalf = 0;
      const collected = async () => {
        const until = Date.now() + 30_000;
        while (deleted === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
      };
      const writer = (async () => {
        for (let k = 101; k <= 108; k++) {
          if (k === 105) deletedAtHalf = (await collected(), deleted);
          const r = await new Deno.Command(Deno.execPath(), {
            args: ["run", "-A", main, "reproduce", "--remote", p.url, "--set", `configs.a.k=${k}`],
            env: { TOY_ROOT: p.b.project.root, CI: "1", PSINV_SIGNING_KEY: p.b.keyFile },
            stdout: "piped",
            stderr: "piped",
          }).output();
          assert.equal(r.code, 0, new TextDecoder().decode(r.stderr));
        }
      })();
      // The gc: clone a, here, collects with keep 0 and a one-second grace, again and again.
      let writing = true;
      writer.finally(() => (writing = false));
      while (writing) {
        const r = await p.a.run("gc", "--remote", p.url, "--keep", "0", "--grace", "1");
        assert.equal(r.code, 0, r.err);
        deleted += Number(/^Deleted (\d+) entries/.exec(r.out)?.[1] ?? "0");
        runs++;
        await new Promise((r) => setTimeout(r, 150));
      }
      await writer;
      assert.ok(runs >= 2, `gc ran ${runs} times during the uploads`);
      assert.ok(deletedAtHalf > 0, "a gc collected older results while the writer was uploading");
      assertEveryEntryHasItsBundle(p.remote.dir);
      // The writer's last results are all there, whole: a fresh clone with its parameters runs
      // nothing.
      const fresh = await p.clone();
      await fresh.project.editParams(setA(108));
      const r = await fresh.run("reproduce", "--remote", p.url);
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(await fresh.project.executions(), []);
    }),
});

Deno.test("gc --remote deletes an old object that is not a valid entry, and stops when an entry cannot be read", () =>
  withToyPair("file", async (p) => {
    // Everything here: the only entries gc reads are those it lists.
    assert.equal((await p.a.run("reproduce", "--remote", p.url)).code, 0);
    const junk = `${p.remote.dir}/ac/${"c".repeat(64)}`;
    await Deno.writeTextFile(junk, "{ half an entry");
    const old = new Date(Date.now() - 10_000);
    await Deno.utime(junk, old, old);

    // A remote failing while entries are read: nothing is judged, nothing deleted.
    const failing = await p.a.runWith(
      {
        wrap: (t) => ({
          ...t,
          get: (path) =>
            path.startsWith("ac/")
              ? Promise.resolve({
                ok: false,
                error: { kind: "failed", detail: `GET ${path}: HTTP 500` },
              })
              : t.get(path),
        }),
      },
      "gc",
      "--remote",
      p.url,
      "--grace",
      "0",
    );
    assert.equal(failing.code, 1);
    assert.match(failing.err, /^The remote "\S+" failed: GET ac\/\w+: HTTP 500/);
    assert.equal(await Deno.stat(junk).then(() => true, () => false), true);

    const r = await p.a.run("gc", "--remote", p.url, "--grace", "0", "--dry-run");
    assert.match(r.out, /^would delete ac\/cccccccccccc… +15 B +not a valid entry$/m);
    assert.equal((await p.a.run("gc", "--remote", p.url, "--grace", "0")).code, 0);
    assert.equal(await Deno.stat(junk).then(() => true, () => false), false);
  }));
