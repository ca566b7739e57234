import assert from "node:assert/strict";
import {
  artifactsDir,
  codeGraphMemoFile,
  compareDir,
  corruptDir,
  dagSvgFile,
  ENGINE_ARTIFACTS,
  entriesDir,
  entryDir,
  indexDir,
  indexFile,
  lockBreakerFile,
  lockFile,
  manifestFile,
  memoDir,
  outDir,
  provenanceFile,
  provenanceScriptFile,
  psinvDir,
  publishedLedgerFile,
  quarantineDir,
  runReportFile,
  scratchDir,
  scratchOfOutDir,
  scratchOwnerOf,
  scratchParentDir,
  slurmBatchDir,
  slurmDir,
  slurmJobsFile,
  slurmLogFile,
  slurmRunDir,
  slurmStatusFile,
  slurmTaskFile,
  stageOfIndexFile,
  timelineSvgFile,
} from "../../../pipeline/core/layout.ts";

const key = "ab" + "0".repeat(62);

Deno.test("layout paths are the on-disk format existing projects use", () => {
  // Written out in full: a change here means stores and artifacts of earlier runs move.
  const p = psinvDir("/p");
  assert.equal(p, "/p/.psinv");
  assert.equal(entriesDir(p), "/p/.psinv/store");
  assert.equal(entryDir(p, key), `/p/.psinv/store/ab/${key}`);
  assert.equal(manifestFile(entryDir(p, key)), `/p/.psinv/store/ab/${key}/manifest.json`);
  assert.equal(outDir(entryDir(p, key)), `/p/.psinv/store/ab/${key}/out`);
  assert.equal(scratchParentDir(p), "/p/.psinv/tmp");
  assert.equal(scratchDir(p, { pid: 12, start: 345 }, "gc-0a1b"), "/p/.psinv/tmp/12-345-gc-0a1b");
  assert.equal(indexDir(p), "/p/.psinv/index");
  assert.equal(indexFile(p, "train/lam 1"), "/p/.psinv/index/train%2Flam%201.json");
  assert.equal(corruptDir(p), "/p/.psinv/corrupt");
  assert.equal(quarantineDir(p, key, 17, "beef"), `/p/.psinv/corrupt/${key}-17-beef`);
  assert.equal(lockFile(p), "/p/.psinv/lock");
  assert.equal(lockBreakerFile(p), "/p/.psinv/lock.break");
  assert.equal(memoDir(p), "/p/.psinv/memo");
  assert.equal(codeGraphMemoFile(p), "/p/.psinv/memo/code_graph.json");
  assert.equal(slurmDir(p), "/p/.psinv/slurm");
  const run = slurmRunDir(p, "7-0a1b2c3d");
  assert.equal(run, "/p/.psinv/slurm/7-0a1b2c3d");
  assert.equal(slurmJobsFile(run), "/p/.psinv/slurm/7-0a1b2c3d/jobs.json");
  const batch = slurmBatchDir(run, 2);
  assert.equal(batch, "/p/.psinv/slurm/7-0a1b2c3d/b2");
  assert.equal(slurmTaskFile(batch, 0), `${batch}/task-0.json`);
  assert.equal(slurmStatusFile(batch, 0, 3), `${batch}/status-0.3.json`);
  assert.equal(slurmLogFile(batch, "%a"), `${batch}/log-%a.txt`);
  const a = artifactsDir("/p");
  assert.equal(a, "/p/artifacts");
  assert.equal(runReportFile(a), "/p/artifacts/run.json");
  assert.equal(dagSvgFile(a), "/p/artifacts/dag.svg");
  assert.equal(timelineSvgFile(a), "/p/artifacts/timeline.svg");
  assert.equal(publishedLedgerFile(a), "/p/artifacts/.published.json");
  assert.equal(provenanceFile(a), "/p/artifacts/provenance.json");
  assert.equal(provenanceScriptFile(a), "/p/artifacts/provenance.js");
  assert.equal(compareDir(a, "current"), "/p/artifacts/compare/current");
  assert.deepEqual([...ENGINE_ARTIFACTS].sort(), [
    ".published.json",
    "compare",
    "dag.svg",
    "provenance.js",
    "provenance.json",
    "run.json",
    "timeline.svg",
  ]);
});

Deno.test("psinvDir() and artifactsDir() take roots with or without a trailing slash, or none", () => {
  assert.equal(psinvDir("/p///"), "/p/.psinv");
  assert.equal(artifactsDir("/p/"), "/p/artifacts");
  assert.equal(psinvDir("/"), "/.psinv");
  assert.equal(artifactsDir(""), "artifacts");
  assert.equal(dagSvgFile(artifactsDir("")), "artifacts/dag.svg");
});

Deno.test("scratchOwnerOf() reads back the owner scratchDir() names, and nothing else", () => {
  const name = scratchDir("/p/.psinv", { pid: 4242, start: 0 }, "0a1b2c3d").split("/").at(-1)!;
  assert.deepEqual(scratchOwnerOf(name), { pid: 4242, start: 0 });
  assert.equal(scratchOwnerOf("notes"), undefined);
  assert.equal(scratchOwnerOf("12-x-ab"), undefined);
});

Deno.test("scratchOfOutDir() finds the scratch folder of its out/ only", () => {
  const p = "/p/.psinv";
  const scratch = scratchDir(p, { pid: 1, start: 2 }, "ab");
  assert.equal(scratchOfOutDir(p, outDir(scratch)), scratch);
  assert.equal(scratchOfOutDir(p, `${outDir(scratch)}/`), scratch);
  assert.equal(scratchOfOutDir(p, scratch), undefined);
  assert.equal(scratchOfOutDir(p, `${outDir(scratch)}/sub/out`), undefined);
  assert.equal(scratchOfOutDir(p, outDir(scratchParentDir(p))), undefined);
  assert.equal(scratchOfOutDir(p, "/elsewhere/out"), undefined);
  assert.equal(scratchOfOutDir(p, outDir(entryDir(p, key))), undefined);
});

Deno.test("stageOfIndexFile() inverts indexFile() and rejects other names", () => {
  for (const stage of ["gen", "train/lam1/s0", "a b%c", "ü"]) {
    assert.equal(stageOfIndexFile(indexFile("/p/.psinv", stage).split("/").at(-1)!), stage);
  }
  assert.equal(stageOfIndexFile(".gen.json.12.0a1b2c3d.tmp"), undefined);
  assert.equal(stageOfIndexFile("%E0%A4%A.json"), undefined);
  assert.equal(stageOfIndexFile("gen.txt"), undefined);
});
