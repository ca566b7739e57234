/**
 * What a `reproduce` command runs: its executor, its options for the engine on one plan, and,
 * with `--decide`, the plan of each round (the user's `--set`s, then what earlier rounds added).
 *
 * @module
 */
import {
  type Event,
  type Failure,
  ok,
  parseTimeLimit,
  type Pipeline,
  psinvDir,
  resolveResources,
  type Result,
  type StageDecl,
} from "../core/mod.ts";
import type { CodeFingerprint } from "../key/mod.ts";
import { codeOf, type Executor, type Plan, selectPlanned, withTimeLimit } from "../run/mod.ts";
import type { RemoteCache } from "../remote/mod.ts";
import { checkCluster, shellQuote, slurmExecutor } from "../slurm/mod.ts";
import type { ReproduceOptions, Round } from "../commands/mod.ts";
import type { Command, Execution } from "./command.ts";

type Reproduce = Extract<Command, { kind: "reproduce" }>;

/** What every round of one command shares. */
export interface ReproduceSetup {
  readonly command: Reproduce;
  readonly executor: () => Executor;
  readonly remote: RemoteCache | undefined;
}

/**
 * The engine's options for `command` on one plan, running `ids` (`named`: as given); `replan`
 * declares the graph again when it grows as it runs.
 */
export function reproduceOptions(
  s: ReproduceSetup,
  plan: Plan,
  ids: readonly string[],
  named: readonly string[],
  code: ReadonlyMap<string, CodeFingerprint>,
  replan: () => Promise<Result<Plan, Failure>>,
): ReproduceOptions {
  return {
    plan,
    ids,
    code,
    grow: growing(replan, named),
    jobs: s.command.jobs,
    force: s.command.force ? new Set(named.length > 0 ? named : ids) : new Set(),
    executor: s.executor,
    cluster: s.command.execution.executor === "slurm",
    ...(s.remote ? { remote: s.remote } : {}),
  };
}

/** Declares the graph again and selects `named` (none: all) in it, for a graph that grows. */
export function growing(
  replan: () => Promise<Result<Plan, Failure>>,
  named: readonly string[],
): () => Promise<Result<Round, Failure>> {
  return async () => {
    const p = await replan();
    if (!p.ok) return p;
    const ids = selectPlanned(p.value, named);
    if (!ids.ok) return ids;
    const code = await codeOf(p.value, ids.value);
    if (!code.ok) return code;
    return ok({ plan: p.value, ids: ids.value, code: code.value });
  };
}

/**
 * The plan of a `--decide` round: the parameters with the user's `--set`s and what the earlier
 * rounds added; only the hook's `reads` (and what they need) until the last round, which runs
 * every stage.
 */
export function decideRound(
  s: ReproduceSetup,
  hook: NonNullable<Pipeline["decide"]>,
  plan: (overrides: readonly string[]) => Promise<Result<Plan, Failure>>,
): (added: readonly string[], last: boolean) => Promise<Result<ReproduceOptions, Failure>> {
  return async (added, last) => {
    const sets = [...s.command.sets, ...added];
    const p = await plan(sets);
    if (!p.ok) return p;
    const named = last ? [] : hook.reads;
    const ids = selectPlanned(p.value, named);
    if (!ids.ok) return ids;
    const code = await codeOf(p.value, ids.value);
    if (!code.ok) return code;
    return ok(reproduceOptions(s, p.value, ids.value, named, code.value, () => plan(sets)));
  };
}

/** What choosing the executor reads of the command line's context. */
export interface ExecutorContext {
  readonly root: string;
  /** Where stages execute locally. */
  readonly executor: () => Executor;
  readonly env: (name: string) => string | undefined;
  readonly emit: (e: Event) => void;
}

/**
 * The executor a run asked for: local stages get their time limit enforced here; SLURM ones are
 * checked against the cluster first (SLURM enforces their limits itself).
 */
export async function chooseExecutor(
  ctx: ExecutorContext,
  e: Execution,
  jobs: number,
): Promise<Result<() => Executor, Failure>> {
  const resources = (decl: StageDecl) =>
    resolveResources(decl.id, decl.resources, e.resources, e.overrides);
  if (e.executor === "local") {
    return ok(() =>
      withTimeLimit(ctx.executor(), (decl) => {
        const time = resources(decl).time;
        return time === undefined ? undefined : parseTimeLimit(time);
      })
    );
  }
  const checked = await checkCluster({
    storeDir: ctx.root,
    resources: e.resources,
    ...(e.partition ? { partition: e.partition } : {}),
    ...(e.account ? { account: e.account } : {}),
  });
  if (!checked.ok) return checked;
  const poll = Number(ctx.env("PSINV_POLL"));
  return ok(() =>
    slurmExecutor({
      storeDir: psinvDir(ctx.root),
      cwd: Deno.cwd(),
      deno: e.deno ?? shellQuote(Deno.execPath()),
      resources,
      emit: ctx.emit,
      node: checked.value,
      maxJobs: jobs,
      ...(e.batch ? { batch: e.batch } : {}),
      ...(e.partition ? { partition: e.partition } : {}),
      ...(e.account ? { account: e.account } : {}),
      ...(poll > 0 ? { pollMs: poll * 1000 } : {}),
    })
  );
}
