import assert from "node:assert/strict";
import { stageKey } from "../../../pipeline/key/fingerprint.ts";
import {
  psinvDir,
  scratchOfOutDir,
  scratchOwnerOf,
  scratchParentDir,
} from "../../../pipeline/core/layout.ts";
import { fingerprint, withStore } from "./_fixture.ts";

Deno.test("discard() removes a scratch folder, and put() after a missing output leaves none", () =>
  withStore(async (store, root) => {
    const dir = await store.scratch();
    await Deno.writeTextFile(`${dir}/half.txt`, "half");
    await store.discard(dir);
    const fp = fingerprint({});
    const failed = await store.scratch();
    const r = await store.put({
      stage: "s",
      fingerprint: fp,
      key: await stageKey(fp),
      dir: failed,
      outputs: ["never.txt"],
      seconds: 0,
      created: "",
    });
    assert.equal(r.ok, false);
    assert.deepEqual([...Deno.readDirSync(scratchParentDir(psinvDir(root)))], []);
  }));

Deno.test("scratch() makes an empty out/ folder in a folder named for this process", () =>
  withStore(async (store, root) => {
    const out = await store.scratch();
    const scratch = scratchOfOutDir(psinvDir(root), out);
    assert.ok(scratch !== undefined, out);
    assert.equal(scratchOwnerOf(scratch.split("/").at(-1)!)?.pid, Deno.pid);
    assert.deepEqual([...Deno.readDirSync(out)], []);
  }));

Deno.test("discard() leaves a folder that is not a scratch folder alone", () =>
  withStore(async (store, root) => {
    await Deno.mkdir(`${root}/mine/out`, { recursive: true });
    await Deno.writeTextFile(`${root}/mine/out/keep.txt`, "keep");
    await store.discard(`${root}/mine/out`);
    assert.equal(await Deno.readTextFile(`${root}/mine/out/keep.txt`), "keep");
  }));
