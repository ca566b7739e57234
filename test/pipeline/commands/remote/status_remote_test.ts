/**
 * `status --remote` on the toy pipeline: a fresh clone of a fully pushed project learns that
 * every missing stage would come from the remote, counted per family, at one request per stage;
 * after a parameter change it names what the remote lacks.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { RemoteStatus } from "../../../../pipeline/core/answer.ts";
import { KINDS, skipped } from "../../remote/_fixture.ts";
import { withToyPair } from "../../remote/_toy_remote.ts";

for (const kind of KINDS) {
  Deno.test({
    name:
      `status --remote on a fresh clone of a pushed project says every stage is available (${kind})`,
    ignore: skipped(kind),
    fn: () =>
      withToyPair(kind, async (p) => {
        assert.equal((await p.a.run("reproduce")).code, 0);
        assert.equal((await p.a.run("push", "--remote", p.url)).code, 0);
        const r = await p.b.run("status", "--remote", p.url);
        assert.equal(r.code, 0, r.err);
        assert.match(
          r.out,
          /^Remote \S+: 8 of 8 stages not fresh here can be downloaded \(8 requests, one per stage not here\)$/m,
        );
        assert.match(r.out, /^ {2}step\/\* +2 available$/m);
        assert.match(r.out, /^ {2}busy\/\* +2 available$/m);
        // PSINV_REMOTE asks too, and --json carries the counts.
        const json = await p.b.runWith({ env: { PSINV_REMOTE: p.url } }, "status", "--json");
        const report = JSON.parse(json.out.trim().split("\n").at(-1)!) as RemoteStatus;
        assert.equal(report.kind, "remote-status");
        assert.deepEqual([report.available, report.notHere, report.requests], [8, 8, 8]);
        // Nothing was downloaded, nothing ran.
        assert.equal((await p.b.run("status")).out.includes("0 fresh, 0 stale, 8 missing"), true);
      }),
  });
}

Deno.test("status --remote names what the remote lacks after a parameter change, per family", () =>
  withToyPair("file", async (p) => {
    assert.equal((await p.a.run("reproduce")).code, 0);
    assert.equal((await p.a.run("push", "--remote", p.url)).code, 0);
    await p.b.project.editParams((d) => ((d.configs as Record<string, { k: number }>).a!.k = 10));
    const r = await p.b.run("status", "--remote", p.url);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /: 6 of 8 stages not fresh here can be downloaded \(7 requests/);
    assert.match(r.out, /^ {2}step\/\* +1 available, 1 not on the remote$/m);
    assert.match(r.out, /^ {2}total +1 waiting on an input$/m);
    assert.match(r.out, /^ {2}1 × an input is neither here nor on the remote \(step\/\*\)$/m);
  }));

Deno.test("status --remote reports entries it cannot use, with the reason", () =>
  withToyPair("file", async (p) => {
    assert.equal((await p.a.run("reproduce", "source")).code, 0);
    assert.equal((await p.a.run("push", "--remote", p.url, "source")).code, 0);
    await Deno.writeTextFile(`${p.b.project.root}/trusted_keys.json`, '{"keys": []}');
    const r = await p.b.run("status", "--remote", p.url, "source");
    assert.match(r.out, /0 of 1 stages not fresh here can be downloaded/);
    assert.match(
      r.out,
      /^ {2}1 × it is signed by ed25519:\S+, which trusted_keys\.json does not list$/m,
    );
  }));
