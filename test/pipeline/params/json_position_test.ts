import assert from "node:assert/strict";
import { findJsonError } from "../../../pipeline/params/json_position.ts";

Deno.test("findJsonError() accepts every text JSON.parse accepts", () => {
  for (const text of ['{"a": [1, -2.5e3, true, null, "x\\u00e9"]}', "[]", " 1 ", '"s"']) {
    assert.equal(findJsonError(text), undefined, text);
  }
});

Deno.test("findJsonError() names line and column of the first error", async (t) => {
  await t.step("a trailing comma", () => {
    assert.deepEqual(findJsonError('{\n  "a": 1,\n}'), {
      line: 3,
      column: 1,
      detail: "expected a quoted key, found '}'",
    });
  });
  await t.step("a missing value", () => {
    const e = findJsonError('{"a": }');
    assert.equal(e?.line, 1);
    assert.equal(e?.column, 7);
  });
  await t.step("a missing comma between properties", () => {
    const e = findJsonError('{\n  "n": 1000\n  "knots": 7\n}');
    assert.deepEqual([e?.line, e?.column], [3, 3]);
    assert.match(e!.detail, /expected ',' or '}'/);
  });
  await t.step("an unterminated document", () => {
    assert.match(findJsonError('{"a": 1')!.detail, /end of the file/);
  });
  await t.step("text after the document", () => {
    assert.deepEqual([findJsonError("{} x")?.line, findJsonError("{} x")?.column], [1, 4]);
  });
});
