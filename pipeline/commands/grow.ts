/**
 * Running a graph that grows as it runs (`Pipeline.stages`' `known`): schedule what is
 * declared, declare again once the stages the declaration waits on have run, schedule what that
 * adds, until nothing is added. Shared by `reproduce` and both sides of `compare`.
 *
 * @module
 */
import type { CodeFingerprint } from "../key/mod.ts";
import type { Failure, Result } from "../core/mod.ts";
import { type Plan, schedule, type ScheduleOptions, type StageOutcome } from "../run/mod.ts";

/** What one pass schedules: a plan, the stages selected in it, their code. */
export interface Round {
  readonly plan: Plan;
  readonly ids: readonly string[];
  readonly code: ReadonlyMap<string, CodeFingerprint>;
}

/** Options of {@linkcode runGrowing}. */
export interface GrowingOptions {
  /** The first pass. */
  readonly first: Round;
  /** What every pass is scheduled with, but its plan, stages and code. */
  readonly schedule: Omit<ScheduleOptions, "plan" | "ids" | "code">;
  /** Declares the graph again (absent: one pass). */
  readonly grow?: () => Promise<Result<Round, Failure>>;
  /** Whether to stop before declaring again (e.g. the run was interrupted); never when absent. */
  readonly stopped?: () => boolean;
}

/** The last pass's round, every stage's outcome (as it ended in its first pass), a failure. */
export interface GrowingRun {
  readonly round: Round;
  readonly outcomes: StageOutcome[];
  /** Declaring the graph again failed (the outcomes stand). */
  readonly failure?: Failure;
}

/**
 * Passes until the plan waits on nothing, a pass adds no stage, a stage fails, or `stopped()`.
 *
 * @example
 * ```ts ignore
 * import { runGrowing } from "./grow.ts";
 * const { outcomes } = await runGrowing({ first, schedule: { store, jobs: 2, force: new Set(), emit, now, executor, ranOn } });
 * ```
 */
export async function runGrowing(o: GrowingOptions): Promise<GrowingRun> {
  const byId = new Map<string, StageOutcome>();
  let round = o.first;
  for (;;) {
    const ran = await schedule({
      ...o.schedule,
      plan: round.plan,
      ids: round.ids,
      code: round.code,
    });
    // A stage met again in a later pass keeps how it ended in the first.
    for (const x of ran) if (!byId.has(x.id)) byId.set(x.id, x);
    if (!o.grow || round.plan.pending.length === 0 || o.stopped?.()) break;
    // After a failure the run ends as any run does: a later pass would only try it again.
    if (ran.some((x) => x.status === "failed" || x.status === "skipped")) break;
    const grown = await o.grow();
    if (!grown.ok) return { round, outcomes: [...byId.values()], failure: grown.error };
    const added = grown.value.ids.filter((id) => !byId.has(id));
    if (added.length === 0) break;
    o.schedule.emit({ kind: "graph-grew", after: round.plan.pending, stages: added });
    round = grown.value;
  }
  return { round, outcomes: [...byId.values()] };
}
