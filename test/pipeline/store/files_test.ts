import assert from "node:assert/strict";
import { tempName } from "../../../pipeline/core/temp_name.ts";
import {
  readBytesIfPresent,
  readTextIfPresent,
  statIfPresent,
  sweepTemporaries,
  writeAtomic,
} from "../../../pipeline/store/files.ts";
import { deadPid } from "./_fixture.ts";

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "psinv_files_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function names(dir: string): string[] {
  return [...Deno.readDirSync(dir)].map((e) => e.name).sort();
}

Deno.test("read*IfPresent() answer a missing file with undefined and throw any other error", () =>
  withDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/a.txt`, "hi");
    const limit = Error.stackTraceLimit;
    assert.equal(readTextIfPresent(`${dir}/a.txt`), "hi");
    assert.deepEqual(Array.from(readBytesIfPresent(`${dir}/a.txt`)!), [104, 105]);
    assert.equal(statIfPresent(`${dir}/a.txt`)?.size, 2);
    assert.equal(readTextIfPresent(`${dir}/missing`), undefined);
    assert.equal(readBytesIfPresent(`${dir}/missing/deeper`), undefined);
    assert.equal(statIfPresent(`${dir}/missing`), undefined);
    // A folder is not a missing file: that is an error for the caller to name.
    assert.throws(() => readTextIfPresent(dir));
    assert.equal(Error.stackTraceLimit, limit, "stack traces are back on afterwards");
  }));

Deno.test("writeAtomic() writes or copies into new folders and leaves no temporary file", () =>
  withDir(async (dir) => {
    await writeAtomic(`${dir}/sub/a.txt`, { data: "one" });
    await writeAtomic(`${dir}/sub/a.txt`, { data: new TextEncoder().encode("two") });
    assert.equal(await Deno.readTextFile(`${dir}/sub/a.txt`), "two");
    await writeAtomic(`${dir}/b.txt`, { from: `${dir}/sub/a.txt` });
    assert.equal(await Deno.readTextFile(`${dir}/b.txt`), "two");
    assert.deepEqual(names(dir), ["b.txt", "sub"]);
    assert.deepEqual(names(`${dir}/sub`), ["a.txt"]);
  }));

Deno.test("writeAtomic() that fails keeps the old content and removes its temporary file", () =>
  withDir(async (dir) => {
    await writeAtomic(`${dir}/a.txt`, { data: "old" });
    await assert.rejects(
      () => writeAtomic(`${dir}/a.txt`, { from: `${dir}/missing.txt` }),
      Deno.errors.NotFound,
    );
    assert.equal(await Deno.readTextFile(`${dir}/a.txt`), "old");
    assert.deepEqual(names(dir), ["a.txt"]);
  }));

Deno.test("sweepTemporaries() removes dead writers' temporary files at any depth, nothing else", () =>
  withDir(async (dir) => {
    const dead = await deadPid();
    await Deno.mkdir(`${dir}/figures`);
    const leftovers = [
      tempName(`${dir}/run.json`, { pid: dead }),
      tempName(`${dir}/figures/fit.svg`, { pid: dead }),
    ];
    const live = tempName(`${dir}/figures/fit.svg`);
    const kept = [`${dir}/run.json`, `${dir}/figures/fit.svg`, `${dir}/.hidden`, live];
    for (const f of [...leftovers, ...kept]) await Deno.writeTextFile(f, "x");
    assert.equal(await sweepTemporaries(dir), 2);
    for (const f of leftovers) assert.equal(statIfPresent(f), undefined, f);
    for (const f of kept) assert.ok(statIfPresent(f)?.isFile, f);
    assert.equal(await sweepTemporaries(`${dir}/missing`), 0);
  }));
