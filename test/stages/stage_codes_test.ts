import assert from "node:assert/strict";
import { StageError } from "../../pipeline/core/stage.ts";
import { stageError } from "../../stages/stage_codes.ts";

Deno.test("stageError() builds the engine's StageError with one of the experiment's codes", () => {
  const e = stageError("stage-diverged", "loss is NaN at epoch 12", "lower the learning rate");
  assert.ok(e instanceof StageError);
  assert.equal(e.code, "stage-diverged");
  assert.equal(e.hint, "lower the learning rate");
  // A code outside the union does not compile: the directive fails the type check if it does.
  // @ts-expect-error: "stage-divreged" is not one of the stages' codes
  assert.equal(stageError("stage-divreged", "m", "h").code, "stage-divreged");
});
