import assert from "node:assert/strict";
import { join } from "node:path";
import { nativeKernel } from "../../../../stages/model/kernel/native_kernel.ts";
import { tinyParams, tinyProject } from "../../report/_tiny.ts";

/** Whether this machine builds the native kernel (a fresh Node-only machine may not). */
const nativeHere = (await nativeKernel({ env: (name) => Deno.env.get(name) })).ok;

/** The tiny pipeline's trainings on `training.backend: "kernel"`, with PSINV_CC as given. */
async function trainings(cc: string | undefined) {
  const params = await tinyParams(["lam1", "free-relu"]);
  Object.assign(params.training as Record<string, unknown>, { backend: "kernel" });
  const p = await tinyProject(params);
  const before = Deno.env.get("PSINV_CC");
  if (cc === undefined) Deno.env.delete("PSINV_CC");
  else Deno.env.set("PSINV_CC", cc);
  try {
    const r = await p.run("reproduce", "summarise");
    assert.equal(r.code, 0, r.err);
    const store = join(p.root, "artifacts");
    return { err: r.err, metrics: await Deno.readTextFile(join(store, "metrics.csv")) };
  } finally {
    if (before === undefined) Deno.env.delete("PSINV_CC");
    else Deno.env.set("PSINV_CC", before);
    await p.dispose();
  }
}

Deno.test("without a C compiler the kernel trains on its WebAssembly build, says so once, same numbers", async () => {
  const wasm = await trainings("");
  const notes = wasm.err.split("\n").filter((l) => l.startsWith("Note"));
  assert.equal(notes.length, 1, wasm.err);
  assert.match(notes[0]!, /WebAssembly build \(same numbers, slower\): no C compiler/);
  if (nativeHere) {
    const native = await trainings(undefined);
    assert.ok(!native.err.includes("Note"), native.err);
    assert.equal(native.metrics, wasm.metrics);
  }
});
