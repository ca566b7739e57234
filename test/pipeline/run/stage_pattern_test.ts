import assert from "node:assert/strict";
import { expandStagePatterns } from "../../../pipeline/run/stage_pattern.ts";
import { renderFailure } from "../../../pipeline/core/render_failure.ts";

const known = ["generate", "train/a", "evaluate/a", "evaluate/b", "evaluate/a.b", "summarise"];

Deno.test("expandStagePatterns() expands globs over stage ids", async (t) => {
  await t.step("a folder pattern names every stage in it, in graph order", () => {
    assert.deepEqual(expandStagePatterns(known, ["evaluate/*"]), {
      ok: true,
      value: ["evaluate/a", "evaluate/b", "evaluate/a.b"],
    });
  });
  await t.step("* and ? stop at '/', and '.' is literal", () => {
    assert.deepEqual(expandStagePatterns(known, ["*"]), {
      ok: true,
      value: ["generate", "summarise"],
    });
    assert.deepEqual(expandStagePatterns(known, ["*/?"]), {
      ok: true,
      value: ["train/a", "evaluate/a", "evaluate/b"],
    });
    assert.deepEqual(expandStagePatterns(known, ["evaluate/a.*"]), {
      ok: true,
      value: ["evaluate/a.b"],
    });
  });
  await t.step("ids pass through unchecked, duplicates are dropped", () => {
    assert.deepEqual(expandStagePatterns(known, ["nope", "train/a", "train/*"]), {
      ok: true,
      value: ["nope", "train/a"],
    });
  });
  await t.step(
    "a pattern matching nothing is an unknown-stage failure with the nearest pattern",
    () => {
      const r = expandStagePatterns(known, ["evalute/*"]);
      assert.ok(!r.ok);
      assert.deepEqual(r.error, { reason: "unknown-stage", id: "evalute/*", known, pattern: true });
      const { message, exitCode } = renderFailure(r.error);
      assert.equal(exitCode, 2);
      assert.equal(
        message,
        `No stage matches "evalute/*": did you mean "evaluate/*"? valid stages are ${
          known.join(", ")
        }`,
      );
    },
  );
});
