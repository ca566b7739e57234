/**
 * A search on SLURM: the graph grows as its selections come back from the cluster, and the
 * search's `front.csv` is the same bytes as the local executor's.
 */
import assert from "node:assert/strict";
import { project, tiny, tinySearch } from "../../stages/_tiny_project.ts";
import { clusterHere, POLL } from "./_cluster.ts";

const { ignore } = await clusterHere();

Deno.test({
  name: "a search on SLURM writes the local executor's front.csv",
  ignore,
  async fn() {
    const csv: string[] = [];
    for (const executor of ["local", "slurm"]) {
      const p = await project({ ...tiny, searches: { front: tinySearch } }, {
        PSINV_POLL: POLL,
      });
      try {
        const r = await p.run("reproduce", "search/front", "--executor", executor);
        assert.equal(r.code, 0, r.err);
        assert.equal(r.err.includes("Submitted"), executor === "slurm", r.err);
        csv.push((await p.artifacts())["search/front.csv"]!);
      } finally {
        await Deno.remove(p.root, { recursive: true });
      }
    }
    assert.match(csv[0]!, /^trial,rung,epochs/);
    assert.equal(csv[1], csv[0]);
  },
});
