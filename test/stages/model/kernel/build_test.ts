import assert from "node:assert/strict";
import { buildModule, GENERATED_MODULE } from "../../../../stages/model/kernel/build.ts";

/** Whether clang can be run here (CI installs it; a developer's machine may not have it). */
async function haveClang(): Promise<boolean> {
  try {
    const { code } = await new Deno.Command("clang", { args: ["--version"], stdout: "null" })
      .output();
    return code === 0;
  } catch {
    return false;
  }
}

Deno.test({
  name: "the committed train_step_wasm.ts is what train_step.c compiles to",
  // Without clang the check is skipped, except in CI, where a missing clang is a failure.
  ignore: !Deno.env.get("CI") && !(await haveClang()),
  async fn() {
    assert.equal(
      await buildModule(),
      await Deno.readTextFile(GENERATED_MODULE),
      "train_step.c changed without `deno task kernel`: rebuild and commit train_step_wasm.ts",
    );
  },
});
