import assert from "node:assert/strict";
import { classifyState } from "../../../pipeline/slurm/job_state.ts";

Deno.test("classifyState() resubmits only what the cluster lost, and fails the rest with a hint", () => {
  for (const s of ["PENDING", "RUNNING", "COMPLETING", "CONFIGURING", "SUSPENDED"]) {
    assert.equal(classifyState(s).kind, "active", s);
  }
  for (const s of ["NODE_FAIL", "PREEMPTED", "BOOT_FAIL"]) {
    assert.equal(classifyState(s).kind, "resubmit", s);
  }
  assert.equal(classifyState("COMPLETED").kind, "ended");
  assert.equal(classifyState("TIMEOUT").kind, "timeout");
  const oom = classifyState("OUT_OF_MEMORY");
  assert.ok(oom.kind === "failed" && oom.hint.includes("--mem"));
  for (const s of ["FAILED", "CANCELLED", "DEADLINE", "SOMETHING_NEW"]) {
    assert.equal(classifyState(s).kind, "failed", s);
  }
});
