import assert from "node:assert/strict";
import { parseTempName, tempName } from "../../../pipeline/core/temp_name.ts";

Deno.test("tempName() names a hidden file beside its target, carrying this process's pid", () => {
  const tmp = tempName("/p/index/train%2Fa.json");
  assert.match(tmp, /^\/p\/index\/\.train%2Fa\.json\.\d+\.[0-9a-f]{8}\.tmp$/);
  assert.deepEqual(parseTempName(tmp.slice("/p/index/".length)), {
    target: "train%2Fa.json",
    pid: Deno.pid,
  });
  assert.notEqual(tempName("/p/a.json"), tempName("/p/a.json"));
  assert.match(tempName("a.json"), /^\.a\.json\./);
});

Deno.test("parseTempName() reads back the target and pid of a given writer", () => {
  for (const target of ["a.json", ".published.json", "fit.svg", "x.1.tmp"]) {
    const name = tempName(`/d/${target}`, { pid: 4242 }).slice(3);
    assert.deepEqual(parseTempName(name), { target, pid: 4242 });
  }
});

Deno.test("parseTempName() rejects names tempName() does not make", () => {
  for (
    const name of [
      "a.json",
      "a.json.12.0a1b2c3d.tmp", // not hidden
      ".a.json.12.0A1B2C3D.tmp", // not a lowercase hex nonce
      ".a.json.x.0a1b2c3d.tmp", // no pid
      ".a.json.12.0a1b2c3d", // no .tmp
      "..12.0a1b2c3d.tmp", // no target
      ".a.json.psinv-tmp-0a1b2c3d", // an older scheme
    ]
  ) {
    assert.equal(parseTempName(name), undefined, name);
  }
});
