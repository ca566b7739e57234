import assert from "node:assert/strict";
import { kernelSources, loadNativeKernel } from "../../../../stages/model/kernel/native_kernel.ts";

/** An environment with its own cache folder and, optionally, a compiler named. */
function env(cache: string, cc?: string) {
  return (name: string): string | undefined =>
    name === "PSINV_CACHE" ? cache : name === "PSINV_CC" ? cc : Deno.env.get(name);
}

/** Whether a C compiler runs here (a fresh Node-only machine may have none). */
async function compilerRuns(): Promise<boolean> {
  try {
    return (await new Deno.Command("cc", { args: ["--version"], stdout: "null" }).output()).success;
  } catch {
    return false;
  }
}

const compilerHere = await compilerRuns();

Deno.test("loadNativeKernel() without a compiler says so instead of failing", async () => {
  const cache = await Deno.makeTempDir();
  try {
    for (const cc of ["", "/nonexistent/cc"]) {
      const r = await loadNativeKernel({ env: env(cache, cc) });
      assert.equal(r.ok, false);
      assert.match(!r.ok ? r.reason : "", /no C compiler/);
    }
    assert.deepEqual([...Deno.readDirSync(cache)], []);
  } finally {
    await Deno.remove(cache, { recursive: true });
  }
});

Deno.test({
  name: "loadNativeKernel() builds once into the user's cache and reuses only a safe build",
  ignore: !compilerHere,
  async fn() {
    const cache = await Deno.makeTempDir();
    try {
      const first = await loadNativeKernel({ env: env(cache) });
      assert.ok(first.ok, !first.ok ? first.reason : "");
      assert.ok(first.path.startsWith(`${cache}/kernel/train_step-`));
      const built = Deno.statSync(first.path);
      assert.equal(built.mode! & 0o077, 0, "only its owner may read or write the library");
      // The same source, compiler, flags and CPU: the cached library, not a new build.
      const again = await loadNativeKernel({ env: env(cache) });
      assert.ok(again.ok);
      assert.equal(again.path, first.path);
      assert.equal(Deno.statSync(again.path).mtime?.getTime(), built.mtime?.getTime());
      // A library others could have written is not loaded: it is built afresh.
      Deno.chmodSync(first.path, 0o777);
      const rebuilt = await loadNativeKernel({ env: env(cache) });
      assert.ok(rebuilt.ok);
      const now = Deno.statSync(rebuilt.path);
      assert.equal(now.mode! & 0o022, 0);
      assert.notEqual(now.ino, built.ino, "a new file, not the one others could write");
      const k = rebuilt.make();
      assert.equal(k.build, "native");
    } finally {
      await Deno.remove(cache, { recursive: true });
    }
  },
});

Deno.test({
  name: "loadNativeKernel() reports a compiler that fails, with its first line, and keeps nothing",
  async fn() {
    const cache = await Deno.makeTempDir();
    try {
      // A compiler that answers --version but fails every build.
      const cc = `${cache}/broken-cc`;
      Deno.writeTextFileSync(
        cc,
        '#!/bin/sh\n[ "$1" = --version ] && { echo "broken 1.0"; exit 0; }\n' +
          'echo "error: no such thing" >&2\nexit 1\n',
        { mode: 0o755 },
      );
      const r = await loadNativeKernel({ env: env(`${cache}/c`, cc) });
      assert.equal(r.ok, false);
      assert.equal(!r.ok && r.reason, `${cc} failed: error: no such thing`);
      assert.deepEqual([...Deno.readDirSync(`${cache}/c/kernel`)], []);
    } finally {
      await Deno.remove(cache, { recursive: true });
    }
  },
});

Deno.test("kernelSources() lists train_step.c and every header it includes, the key's inputs", () => {
  const dir = new URL("../../../../stages/model/kernel/", import.meta.url);
  const read = (f: string) => Deno.readTextFileSync(new URL(f, dir));
  const sources = kernelSources(read);
  assert.equal(sources[0], "train_step.c");
  // Every header in the kernel's folder is part of the build (either target's), so in the key.
  const headers = [...Deno.readDirSync(dir)].map((e) => e.name).filter((f) => f.endsWith(".h"));
  assert.deepEqual([...sources.slice(1)].sort(), headers.sort());
});
