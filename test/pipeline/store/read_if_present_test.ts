import assert from "node:assert/strict";
import {
  readBytesIfPresent,
  readTextIfPresent,
  statIfPresent,
} from "../../../pipeline/store/read_if_present.ts";

Deno.test("read*IfPresent() answer a missing file with undefined and throw any other error", async () => {
  const dir = await Deno.makeTempDir();
  try {
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
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
