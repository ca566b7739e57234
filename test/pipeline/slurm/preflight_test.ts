import assert from "node:assert/strict";
import { invisibleStore, nodeShape } from "../../../pipeline/slurm/preflight.ts";

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

Deno.test("nodeShape() takes the smallest node and shortest limit of the partitions asked for", () => {
  const sinfo = [
    "vm|2|24105|infinite|debug*",
    "big1|64|256000|2-00:00:00|long",
    "big2|32|128000|2-00:00:00|long",
    "gpu1|16|64000|30:00|gpu",
  ].join("\n");
  assert.deepEqual(nodeShape(sinfo, undefined), {
    nodes: ["vm"],
    shape: { cpus: 2, memMb: 24105 },
  });
  assert.deepEqual(nodeShape(sinfo, "long"), {
    nodes: ["big1", "big2"],
    shape: { cpus: 32, memMb: 128000, maxTimeSeconds: 172800 },
  });
  assert.deepEqual(nodeShape(sinfo, "long,gpu").shape, {
    cpus: 16,
    memMb: 64000,
    maxTimeSeconds: 1800,
  });
  assert.deepEqual(nodeShape("", undefined), { nodes: [], shape: { cpus: 1 } });
});
