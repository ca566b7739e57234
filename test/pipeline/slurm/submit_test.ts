import assert from "node:assert/strict";
import { sbatchArgs } from "../../../pipeline/slurm/submit.ts";

Deno.test("sbatchArgs() submits one array, named for the run, with the stage's requests", () => {
  const args = sbatchArgs({
    name: "psinv-1-ab",
    dir: "/store/slurm/1-ab/b1",
    count: 3,
    cwd: "/project",
    deno: "npx -y deno@2.9.6",
    resources: { time: "1:00:00", mem: "2G", cpus: 2 },
    partition: "short",
    account: "lab",
  });
  for (
    const a of [
      "--array=0-2",
      "--job-name=psinv-1-ab",
      "--no-requeue",
      "--output=/store/slurm/1-ab/b1/log-%a.txt",
      "--partition=short",
      "--account=lab",
      "--time=1:00:00",
      "--mem=2G",
      "--cpus-per-task=2",
    ]
  ) assert.ok(args.includes(a), a);
  const wrap = args.find((a) => a.startsWith("--wrap="))!;
  assert.match(
    wrap,
    /^--wrap=exec npx -y deno@2\.9\.6 run -A \S+\/_task\.ts \/store\/slurm\/1-ab\/b1$/,
  );
});

Deno.test("sbatchArgs() leaves out what is not requested (the partition's defaults apply)", () => {
  const args = sbatchArgs({
    name: "n",
    dir: "/d",
    count: 1,
    cwd: "/",
    deno: "deno",
    resources: {},
  });
  assert.ok(!args.some((a) => /^--(time|mem|cpus-per-task|partition|account)=/.test(a)));
});
