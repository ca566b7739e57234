import assert from "node:assert/strict";
import {
  buildModule,
  CLANG_VERSION,
  clangVersion,
  GENERATED_MODULE,
} from "../../../../stages/model/kernel/build.ts";

const version = await clangVersion();

Deno.test({
  name: "the committed train_step_wasm.ts is what train_step.c compiles to",
  // Another clang (or none) cannot reproduce the bytes, so the check is skipped there, except in
  // CI, which installs Debian's clang and where a missing or different one is a failure.
  ignore: !Deno.env.get("CI") && version !== CLANG_VERSION,
  async fn() {
    assert.equal(
      await buildModule(),
      await Deno.readTextFile(GENERATED_MODULE),
      "train_step.c changed without `deno task kernel`: rebuild and commit train_step_wasm.ts",
    );
  },
});
