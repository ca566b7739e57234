/**
 * `reproduce`: runs the selected stages under the store lock (reusing stored results), publishes
 * their outputs into `artifacts/`, records the run, and answers with the exit code: 0 all done,
 * 1 a stage failed or was skipped, 130/143/129 interrupted by SIGINT/SIGTERM/SIGHUP (after the
 * run's jobs were cancelled, `run.json` written and the lock released). `reproduce --decide` runs
 * in rounds ({@linkcode decideRounds}): each round runs what the pipeline's decide hook reads, the
 * hook answers with `--set` overrides for another round or nothing, and the last round runs
 * everything; rounds are ordinary runs with ordinary keys, so a repeated `--decide` replays them
 * from the store and executes nothing.
 *
 * @module
 */
import type { CodeFingerprint } from "../key/mod.ts";
import { join } from "node:path";
import { err, type Failure, nearestName, ok, type Pipeline, type Result } from "../core/mod.ts";
import { type Executor, type Plan, publishingStages, type StageOutcome } from "../run/mod.ts";
import { materialise, type Store } from "../store/mod.ts";
import type { RemoteCache } from "../remote/mod.ts";
import { cancelLeftovers } from "../slurm/mod.ts";
import type { CommandContext } from "./context.ts";
import { locked } from "./locked.ts";
import { type Round, runGrowing } from "./grow.ts";
import { INTERRUPT_EXIT_CODES, type Interruption, listenForInterrupts } from "./interrupt.ts";

/** Options of {@linkcode reproduce}. */
export interface ReproduceOptions {
  /** The parameters and graph to run. */
  readonly plan: Plan;
  /** Stage ids to run, topological order, closed under inputs. */
  readonly ids: readonly string[];
  /** Module URL → code fingerprint, for every module of `ids`. */
  readonly code: ReadonlyMap<string, CodeFingerprint>;
  /** At most this many stages at once (SLURM: the executor bounds its jobs in flight itself). */
  readonly jobs: number;
  /** Stage ids executed even when a result is stored. */
  readonly force: ReadonlySet<string>;
  /** Makes the executor stages run on, once the lock is held; closed when the run ends. */
  readonly executor: () => Executor;
  /** Whether stages go to SLURM: jobs a killed run left behind are cancelled first. */
  readonly cluster: boolean;
  /** Results missing locally are looked up here, and executed ones uploaded. */
  readonly remote?: RemoteCache;
  /** This machine's name, recorded with each result it executes (default: `Deno.hostname()`). */
  readonly host?: string;
  /** Given every stage's outcome once the run ends (`--decide` reads its rounds' results). */
  readonly outcomes?: (outcomes: readonly StageOutcome[]) => void;
  /**
   * Declares the graph again, for a plan with `pending` stages once they have run: the run goes
   * on with the stages it adds, until nothing is added (see `Pipeline.stages`).
   */
  readonly grow?: () => Promise<Result<Round, Failure>>;
}

/**
 * Runs the stages under the store lock and emits `run-start` … `run-done`.
 *
 * @example
 * ```ts ignore
 * import { reproduce } from "./reproduce.ts";
 * const code = await reproduce(ctx, { plan, ids, code: fps, jobs: 4, force: new Set(), executor: localExecutor, cluster: false });
 * ```
 */
export async function reproduce(
  ctx: CommandContext,
  opts: ReproduceOptions,
): Promise<Result<number, Failure>> {
  let interruption: Interruption | undefined;
  try {
    return await locked(ctx, (store) => {
      // Listening from here until the lock is released: a signal while waiting for the lock
      // still just ends the process, which has nothing to clean up yet.
      interruption = listenForInterrupts(ctx.emit, ctx.now);
      return run(ctx, store, opts, interruption);
    });
  } finally {
    interruption?.stop();
  }
}

async function run(
  ctx: CommandContext,
  store: Store,
  opts: ReproduceOptions,
  interruption: Interruption,
): Promise<Result<number, Failure>> {
  const { ids } = opts;
  const started = ctx.now();
  ctx.emit({ kind: "run-start", command: "reproduce", stages: ids, jobs: opts.jobs });
  if (opts.cluster) {
    const left = await cancelLeftovers(store.dir);
    if (left.length > 0) {
      ctx.emit({ kind: "cluster-leftovers", jobs: left });
      await store.sweep();
    }
  }
  const executor = opts.executor();
  const { round, outcomes, failure } = await runGrowing({
    first: opts,
    schedule: {
      store,
      // On a cluster the executor bounds its jobs in flight; it is handed every ready stage.
      jobs: opts.cluster ? Number.POSITIVE_INFINITY : opts.jobs,
      force: opts.force,
      emit: ctx.emit,
      now: ctx.now,
      executor,
      ranOn: { executor: opts.cluster ? "slurm" : "local", host: opts.host ?? Deno.hostname() },
      signal: interruption.signal,
      interruptedBy: () => interruption.received() ?? "interrupted",
      ...(opts.remote ? { remote: opts.remote } : {}),
    },
    ...(opts.grow ? { grow: opts.grow } : {}),
    stopped: () => interruption.received() !== undefined,
  }).finally(() => executor.close(interruption.hurry));
  opts.outcomes?.(outcomes);
  const published = await materialise({
    root: ctx.root,
    stages: publishingStages(round.plan.graph, outcomes),
    known: new Set(round.plan.graph.byId.keys()),
    emit: ctx.emit,
  });
  const finished = ctx.now();
  const written = await ctx.recordRun(outcomes, started, finished, round.plan.graph);
  const count = (s: string) => outcomes.filter((o) => o.status === s).length;
  ctx.emit({
    kind: "run-done",
    executed: count("executed"),
    cached: count("cached"),
    failed: count("failed"),
    skipped: count("skipped"),
    interrupted: count("interrupted"),
    seconds: (finished - started) / 1000,
    failures: outcomes.filter((o) => o.status === "failed").map((o) => o.id),
    ...(opts.remote ? { downloaded: outcomes.filter((o) => o.downloaded).length } : {}),
    ...(outcomes.some((o) => o.resumed)
      ? { resumed: outcomes.filter((o) => o.resumed).length }
      : {}),
  });
  if (!published.ok) return published;
  if (!written.ok) return written;
  if (failure) return err(failure);
  const signal = interruption.received();
  if (signal !== undefined) return ok(INTERRUPT_EXIT_CODES[signal]);
  return ok(count("failed") + count("skipped") > 0 ? 1 : 0);
}

/** Options of {@linkcode decideRounds}. */
export interface DecideOptions {
  readonly hook: NonNullable<Pipeline["decide"]>;
  /** What to decide (none: all). */
  readonly targets: readonly string[];
  /**
   * A round's run for the overrides added so far: only the hook's `reads` and what they need,
   * or, for the last round, every selected stage.
   */
  readonly round: (
    added: readonly string[],
    last: boolean,
  ) => Promise<Result<ReproduceOptions, Failure>>;
}

/**
 * Checks the targets, then runs rounds until the hook adds nothing, then the last round; answers
 * with the exit code of the first round that did not succeed, or of the last.
 */
export async function decideRounds(
  ctx: CommandContext,
  o: DecideOptions,
): Promise<Result<number, Failure>> {
  const unknown = o.targets.find((t) => !o.hook.targets.includes(t));
  if (unknown !== undefined) {
    const nearest = nearestName(unknown, o.hook.targets);
    return err({
      reason: "usage",
      detail: `Unknown ${o.hook.noun} "${unknown}" after --decide`,
      hint: `name one of ${o.hook.targets.join(", ")}${
        nearest === undefined ? "" : ` (did you mean "${nearest}"?)`
      }, or none to decide every ${o.hook.noun}`,
    });
  }
  const next = await o.hook.next();
  let added: string[] = [];
  for (let round = 1;; round++) {
    const opts = await o.round(added, false);
    if (!opts.ok) return opts;
    const dirs = new Map<string, string>();
    const code = await reproduce(ctx, {
      ...opts.value,
      outcomes: (all) => all.forEach((x) => x.dir !== undefined && dirs.set(x.id, x.dir)),
    });
    if (!code.ok || code.value !== 0) return code;
    const more = await next({
      read: (stage, file) => {
        const dir = dirs.get(stage);
        if (dir === undefined) throw new Error(`--decide: stage "${stage}" has no result`);
        return Deno.readTextFile(join(dir, file));
      },
      targets: o.targets,
    });
    // Only what is new counts: a hook that repeats itself ends the rounds instead of looping.
    const fresh = (more ?? []).filter((m) => !added.includes(m));
    ctx.emit({ kind: "decide-round", round, added: fresh });
    if (fresh.length === 0) break;
    added = [...added, ...fresh];
  }
  const last = await o.round(added, true);
  return last.ok ? await reproduce(ctx, last.value) : last;
}
