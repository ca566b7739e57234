import assert from "node:assert/strict";
import { invisibleStore } from "../../../pipeline/slurm/preflight.ts";

Deno.test("invisibleStore() refuses a machine-local store only when other machines run the jobs", () => {
  const login = { host: "login1.cluster", nodes: ["n1", "n2"] };
  assert.match(
    invisibleStore({ ...login, path: "/scratch/p/.psinv", fsType: "tmpfs" })!,
    /is on tmpfs, local to login1/,
  );
  assert.match(
    invisibleStore({ ...login, path: "/tmp/p/.psinv", fsType: "ext2/ext3" })!,
    /machine-local temporary folder/,
  );
  assert.equal(invisibleStore({ ...login, path: "/home/u/p/.psinv", fsType: "nfs" }), undefined);
  // A one-node cluster on this machine sees everything this machine sees.
  assert.equal(
    invisibleStore({ host: "vm", nodes: ["vm"], path: "/tmp/p/.psinv", fsType: "tmpfs" }),
    undefined,
  );
});
