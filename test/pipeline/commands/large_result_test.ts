/**
 * A result larger than the memory a push or pull may use goes up to nginx and comes down,
 * each in its own process whose peak resident set (`VmHWM`) must stay under 100 MiB. The
 * normal suite uses a 256 MiB result; `PSINV_BIG_MIB=1024` runs the 1 GiB case by hand.
 *
 * Why measured and not imposed: `prlimit --as` would count the address space V8 reserves
 * (gigabytes, never touched), and Linux does not enforce `--rss`; the peak resident set is
 * what a memory limit (a SLURM `--mem`, a cgroup) would hold the process to.
 *
 * @module
 */
import assert from "node:assert/strict";
import { main } from "../../../pipeline/cli/cli.ts";
import { loadOrCreateSigningKey } from "../../../pipeline/remote/signing_key.ts";
import { hashFile } from "../../../pipeline/store/files.ts";
import { big } from "../../testdata/big/pipeline.ts";
import { skipNginx, startNginx } from "../remote/_nginx.ts";

const MIB = Number(Deno.env.get("PSINV_BIG_MIB") ?? "256");
const LIMIT_KB = 100 * 1024;
const MAIN = new URL("../../testdata/big/main.ts", import.meta.url).pathname;

/** Runs the big pipeline's CLI in its own process; its exit code, output and peak RSS (kB). */
async function cli(
  root: string,
  env: Record<string, string>,
  ...args: string[]
): Promise<{ code: number; out: string; err: string; peakKb: number }> {
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, ...args],
    env: { BIG_ROOT: root, CI: "1", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const err = new TextDecoder().decode(r.stderr);
  const peak = /peak-rss-kb (\d+)/.exec(err)?.[1];
  return { code: r.code, out: new TextDecoder().decode(r.stdout), err, peakKb: Number(peak) };
}

Deno.test({
  name: `a ${MIB} MiB result goes up to nginx and comes down with a peak RSS under 100 MiB`,
  ignore: skipNginx,
  fn: async () => {
    const server = await startNginx();
    const dir = await Deno.makeTempDir({ prefix: "psinv-big-" });
    try {
      const keyFile = `${dir}/key.json`;
      const key = await loadOrCreateSigningKey(keyFile);
      assert.ok(key.ok);
      const env = { PSINV_SIGNING_KEY: keyFile, PSINV_REMOTE: server.url };
      for (const clone of ["a", "b"]) {
        await Deno.mkdir(`${dir}/${clone}`);
        await Deno.writeTextFile(`${dir}/${clone}/params.json`, JSON.stringify({ mib: MIB }));
        await Deno.writeTextFile(
          `${dir}/${clone}/trusted_keys.json`,
          JSON.stringify({ keys: [{ key: key.value.key.id, name: "a" }] }),
        );
      }
      const made = await main(["reproduce", "--remote", ""], big, {
        root: `${dir}/a`,
        out: () => {},
        err: () => {},
        terminal: false,
        env: (n) => (n === "PSINV_SIGNING_KEY" ? keyFile : undefined),
      });
      assert.equal(made, 0);

      const up = await cli(`${dir}/a`, env, "push");
      assert.equal(up.code, 0, up.err);
      assert.match(up.out, /^Pushed 1 result\(s\)/);
      // The clone's code memo first: hashing the project's modules the first time loads
      // TypeScript, a cost of its own whatever the result's size.
      assert.equal((await cli(`${dir}/b`, { ...env, PSINV_REMOTE: "" }, "status")).code, 0);
      const down = await cli(`${dir}/b`, env, "pull");
      assert.equal(down.code, 0, down.err);
      assert.match(down.out, /^Pulled 1 result\(s\)/m);
      console.log(
        `${MIB} MiB result: peak RSS of push ${Math.round(up.peakKb / 1024)} MiB, ` +
          `of pull ${Math.round(down.peakKb / 1024)} MiB`,
      );
      assert.ok(up.peakKb < LIMIT_KB, `push peaked at ${up.peakKb} kB`);
      assert.ok(down.peakKb < LIMIT_KB, `pull peaked at ${down.peakKb} kB`);

      // The bytes that came down are the bytes that went up.
      const files = async (root: string) => {
        const found: string[] = [];
        for await (const shard of Deno.readDir(`${root}/.psinv/store`)) {
          for await (const e of Deno.readDir(`${root}/.psinv/store/${shard.name}`)) {
            found.push(`${root}/.psinv/store/${shard.name}/${e.name}/out/big.bin`);
          }
        }
        return found;
      };
      const [a] = await files(`${dir}/a`), [b] = await files(`${dir}/b`);
      assert.deepEqual(await hashFile(b!), await hashFile(a!));
      assert.equal((await hashFile(b!)).size, MIB * 1024 * 1024);
    } finally {
      await server.dispose();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
