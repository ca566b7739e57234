/**
 * What a SLURM job state (as `squeue` prints it) means for the stage it runs.
 *
 * @module
 */

/** The coordinator's reading of one job state. */
export type JobVerdict =
  /** Waiting or running: keep polling. */
  | { readonly kind: "active" }
  /** Ended normally: its exit status must be in the store (allowing for NFS lag). */
  | { readonly kind: "ended" }
  /** Lost to the cluster, not to the stage: submit again. */
  | { readonly kind: "resubmit" }
  /** Killed at its time limit. */
  | { readonly kind: "timeout" }
  /** Failed as a job, with what to do about it. */
  | { readonly kind: "failed"; readonly hint: string };

const ACTIVE = new Set([
  "PENDING",
  "CONFIGURING",
  "RUNNING",
  "COMPLETING",
  "SUSPENDED",
  "REQUEUED",
  "REQUEUE_FED",
  "REQUEUE_HOLD",
  "RESIZING",
  "SIGNALING",
  "STAGE_OUT",
  "STOPPED",
  "RESV_DEL_HOLD",
]);

/** States after which a job is resubmitted (up to the executor's `maxResubmits`). */
export const RESUBMITTED_STATES = ["NODE_FAIL", "PREEMPTED", "BOOT_FAIL"] as const;

/**
 * Classifies a job state.
 *
 * @example
 * ```ts
 * import { classifyState } from "./job_state.ts";
 * classifyState("NODE_FAIL"); // { kind: "resubmit" }
 * classifyState("OUT_OF_MEMORY").kind; // "failed"
 * ```
 */
export function classifyState(state: string): JobVerdict {
  if (ACTIVE.has(state)) return { kind: "active" };
  if ((RESUBMITTED_STATES as readonly string[]).includes(state)) return { kind: "resubmit" };
  switch (state) {
    case "COMPLETED":
      return { kind: "ended" };
    case "TIMEOUT":
      return { kind: "timeout" };
    case "OUT_OF_MEMORY":
      return { kind: "failed", hint: "raise its memory with --mem or --resource <stage>:mem=…" };
    case "CANCELLED":
      return { kind: "failed", hint: "the job was cancelled outside this run (scancel?)" };
    case "DEADLINE":
      return { kind: "failed", hint: "the job missed its deadline; raise --time or resubmit" };
    default:
      return {
        kind: "failed",
        hint: "see its log; check that the nodes can start Deno (--deno) and see the store",
      };
  }
}
