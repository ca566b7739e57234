import assert from "node:assert/strict";
import { onOneCore, pinnedCore, pinning } from "./_shared.ts";

Deno.test("onOneCore() runs a command on one core where taskset is installed, and says which", async () => {
  const [command, args] = onOneCore("/usr/bin/nproc", []);
  const out = await new Deno.Command(command, { args, stdout: "piped" }).output();
  assert.ok(out.success);
  const cores = Number(new TextDecoder().decode(out.stdout).trim());
  const core = pinnedCore();
  if (core === null) {
    // No taskset here: the command runs as it is, and the benches say so.
    assert.equal(command, "/usr/bin/nproc");
    assert.match(pinning(), /not pinned/);
  } else {
    assert.equal(cores, 1, "nproc counts the cores the process may run on");
    assert.equal(core, navigator.hardwareConcurrency - 1);
    assert.equal(pinning(), `each on core ${core} alone`);
  }
});
