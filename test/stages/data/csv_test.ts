import assert from "node:assert/strict";
import { CsvHeaderError, formatCsv, parseCsv } from "../../../stages/data/csv.ts";

Deno.test("parseCsv() checks the header against the expected columns, in order", async (t) => {
  const text = formatCsv(["x", "y"], [[1, 2]]);
  await t.step("the expected header reads", () => {
    assert.deepEqual(parseCsv(text, "points.csv", ["x", "y"]).rows, [["1", "2"]]);
  });
  await t.step("another names both headers", () => {
    assert.throws(
      () => parseCsv(text, "points.csv", ["y", "x"]),
      (e: unknown) =>
        e instanceof CsvHeaderError &&
        e.message === 'Cannot read "points.csv": header is "x,y", expected "y,x"',
    );
  });
  await t.step("without expected columns any header reads", () => {
    assert.deepEqual(parseCsv(text, "points.csv").columns, ["x", "y"]);
  });
});
