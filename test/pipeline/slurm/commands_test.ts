import assert from "node:assert/strict";
import { parseQueue, shellQuote } from "../../../pipeline/slurm/commands.ts";

Deno.test("parseQueue() maps every array task to its state and reason", () => {
  const rows = parseQueue(
    "12_0|COMPLETED|None\n12_1|CANCELLED by 0|None\n13_0|PENDING|Resources\n\n",
  );
  assert.deepEqual([...rows.keys()], ["12_0", "12_1", "13_0"]);
  assert.deepEqual(rows.get("12_1"), { state: "CANCELLED", reason: "None" });
  assert.deepEqual(rows.get("13_0"), { state: "PENDING", reason: "Resources" });
});

Deno.test("shellQuote() leaves plain words alone and quotes the rest for sh", async () => {
  assert.equal(shellQuote("/usr/bin/deno"), "/usr/bin/deno");
  const odd = "/tmp/it's a dir/$HOME";
  const out = await new Deno.Command("sh", { args: ["-c", `printf %s ${shellQuote(odd)}`] })
    .output();
  assert.equal(new TextDecoder().decode(out.stdout), odd);
});
