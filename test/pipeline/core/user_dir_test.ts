import assert from "node:assert/strict";
import { userDir } from "../../../pipeline/core/user_dir.ts";

const env = (vars: Record<string, string>) => (name: string) => vars[name];

Deno.test("userDir() prefers the XDG variable of its kind, then HOME, and skips empty values", async (t) => {
  await t.step("config", () => {
    assert.equal(userDir("config", env({ XDG_CONFIG_HOME: "/x", HOME: "/h" })), "/x/psinv");
    assert.equal(userDir("config", env({ XDG_CACHE_HOME: "/c", HOME: "/h" })), "/h/.config/psinv");
  });
  await t.step("cache", () => {
    assert.equal(userDir("cache", env({ XDG_CACHE_HOME: "/c", HOME: "/h" })), "/c/psinv");
    assert.equal(userDir("cache", env({ XDG_CONFIG_HOME: "/x", HOME: "/h" })), "/h/.cache/psinv");
  });
  await t.step("empty counts as unset; nothing set is undefined", () => {
    assert.equal(userDir("cache", env({ XDG_CACHE_HOME: "", HOME: "/h" })), "/h/.cache/psinv");
    assert.equal(userDir("config", env({ HOME: "" })), undefined);
    assert.equal(userDir("cache", env({})), undefined);
  });
});
