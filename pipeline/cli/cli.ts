/**
 * The engine's command line: parses the arguments, runs one command against a pipeline, renders
 * its events through the logger and ends with an exit code — 0 ok, 1 a stage or the disk failed,
 * 2 bad input (nothing ran, the store untouched).
 *
 * @module
 */
import {
  acceptStages,
  dagSvg,
  dagText,
  expandStagePatterns,
  stageStates,
  statusReport,
} from "../commands/mod.ts";
import { type Command, type Execution, parseCommand, USAGE } from "./args.ts";
import {
  acquireLock,
  type Lock,
  materialise,
  openStore,
  type Store,
  StoreIoError,
  writeAtomic,
} from "../store/mod.ts";
import type { CodeFingerprint } from "../key/mod.ts";
import {
  artifactsDir,
  dagSvgFile,
  type Emit,
  err,
  type Failure,
  type Hash,
  ok,
  parseTimeLimit,
  type Pipeline,
  psinvDir,
  renderFailure,
  resolveResources,
  type Result,
  type StageDecl,
} from "../core/mod.ts";
import { createLogger } from "./logger.ts";
import {
  codeOf,
  type Executor,
  localExecutor,
  makePlan,
  type Plan,
  schedule,
  selectStages,
  withTimeLimit,
} from "../run/mod.ts";
import { cancelLeftovers, checkCluster, shellQuote, slurmExecutor } from "../slurm/mod.ts";
import { runReport, writeRunReport } from "./report.ts";

/** Options of {@linkcode main}; all but `root` default to the real process's. */
export interface MainOptions {
  /** The project root: parameters file, `.psinv/` and `artifacts/` live here. */
  readonly root: string;
  /** Writes to standard output. */
  readonly out?: (text: string) => void;
  /** Writes to standard error. */
  readonly err?: (text: string) => void;
  /** Whether standard error is a terminal (live progress line). */
  readonly terminal?: boolean;
  /** Reads an environment variable (`CI`). */
  readonly env?: (name: string) => string | undefined;
  /** The clock (ms since the epoch). */
  readonly now?: () => number;
  /** Where stages execute locally (default: {@linkcode localExecutor}, one Web Worker each). */
  readonly executor?: () => Executor;
}

/** `--jobs` of a cluster run when not given: SLURM jobs in flight at once. */
export const DEFAULT_CLUSTER_JOBS = 100;

/** `gc --keep` when not given: enough to step back a few parameter values without recomputing. */
export const DEFAULT_KEEP = 3;

/**
 * Runs one command (`args` without the program name) and returns the exit code.
 *
 * @example
 * ```ts ignore
 * import { main } from "./cli.ts";
 * Deno.exit(await main(Deno.args, experiment, { root: Deno.cwd() }));
 * ```
 */
export async function main<P>(
  args: string[],
  pipeline: Pipeline<P>,
  options: MainOptions,
): Promise<number> {
  const now = options.now ?? Date.now;
  const env = options.env ?? ((name: string) => Deno.env.get(name));
  const ci = /^(1|true|yes)$/i.test(env("CI") ?? "");
  const parsed = parseCommand(args, {
    jobs: Math.max(1, navigator.hardwareConcurrency || 1),
    keep: DEFAULT_KEEP,
    clusterJobs: DEFAULT_CLUSTER_JOBS,
    env,
  });
  const json = parsed.ok
    ? parsed.value.kind !== "help" && parsed.value.json
    : args.includes("--json");
  const logger = createLogger({
    json,
    progress: !json && !ci && (options.terminal ?? Deno.stderr.isTerminal()),
    out: options.out ?? writer(Deno.stdout),
    err: options.err ?? writer(Deno.stderr),
    now,
  });
  const fail = (failure: Failure): number => {
    const { message, exitCode } = renderFailure(failure);
    logger.emit({ kind: "command-failed", failure, message, exitCode });
    return exitCode;
  };
  try {
    if (!parsed.ok) return fail(parsed.error);
    if (parsed.value.kind === "help") {
      (options.out ?? writer(Deno.stdout))(USAGE + "\n");
      return 0;
    }
    const root = options.root.length > 1 ? options.root.replace(/\/+$/, "") : options.root;
    const ctx: Context = {
      root,
      plan: (overrides) => makePlan(pipeline, { root, overrides }),
      emit: logger.emit,
      now,
      executor: options.executor ?? localExecutor,
      env,
    };
    const code = await run(parsed.value, ctx);
    return code.ok ? code.value : fail(code.error);
  } catch (e) {
    const failure = asFailure(e);
    if (failure === undefined) throw e;
    return fail(failure);
  } finally {
    logger.close();
  }
}

interface Context {
  readonly root: string;
  /** Reads the parameters (with overrides) and declares the graph. */
  readonly plan: (overrides: readonly string[]) => Promise<Result<Plan, Failure>>;
  readonly emit: Emit;
  readonly now: () => number;
  readonly executor: () => Executor;
  readonly env: (name: string) => string | undefined;
}

async function run(
  command: Exclude<Command, { kind: "help" }>,
  ctx: Context,
): Promise<Result<number, Failure>> {
  if (command.kind === "verify") {
    return await locked(ctx, async (store) => {
      const { checked, damaged } = await store.verify();
      ctx.emit({ kind: "verify-done", checked, damaged });
      return ok(damaged.length === 0 ? 0 : 1);
    });
  }

  const plan = await ctx.plan(command.sets);
  if (!plan.ok) return plan;
  const expanded = command.kind === "accept"
    ? expandStagePatterns(plan.value.graph.order.map((d) => d.id), command.stages)
    : ok("stages" in command ? command.stages : []);
  if (!expanded.ok) return expanded;
  const named = expanded.value;
  const ids = selectStages(plan.value.graph, named);
  if (!ids.ok) return ids;

  if (command.kind === "dag") {
    const path = dagSvgFile(artifactsDir(ctx.root));
    try {
      await writeAtomic(path, { data: dagSvg(plan.value.graph) });
    } catch (e) {
      return err(ioFailed(path, e, "check that artifacts/ is a writable folder"));
    }
    ctx.emit({ kind: "dag", text: dagText(plan.value.graph), svg: dagSvgFile(artifactsDir("")) });
    return ok(0);
  }

  const code = await codeOf(plan.value, ids.value);
  if (!code.ok) return code;

  switch (command.kind) {
    case "status": {
      const store = await openStore(ctx.root);
      ctx.emit(await statusReport({ plan: plan.value, ids: ids.value, code: code.value, store }));
      return ok(0);
    }
    case "reproduce": {
      // Checked before the lock: bad input submits no job and leaves the store untouched.
      const executor = await chooseExecutor(ctx, command.execution);
      if (!executor.ok) return executor;
      return await locked(ctx, (store) =>
        reproduce(ctx, store, plan.value, ids.value, code.value, {
          jobs: command.jobs,
          force: command.force ? new Set(named.length > 0 ? named : ids.value) : new Set(),
          executor: executor.value,
          cluster: command.execution.executor === "slurm",
        }));
    }
    case "gc":
      return await locked(ctx, async (store) => {
        const states = await stageStates({
          plan: plan.value,
          ids: ids.value,
          code: code.value,
          store,
        });
        const live = new Set<Hash>();
        for (const s of states.values()) if (s.fresh) live.add(s.fresh.key);
        const { removed, freedBytes } = await store.gc({ live, keepLast: command.keep });
        ctx.emit({
          kind: "gc-done",
          removed,
          freedBytes,
          keep: command.keep,
          store: await store.size(),
        });
        return ok(0);
      });
    case "accept":
      return await locked(ctx, async (store) => {
        const done = await acceptStages({
          plan: plan.value,
          ids: ids.value,
          named: new Set(named),
          code: code.value,
          store,
          emit: ctx.emit,
          now: ctx.now,
        });
        return done.ok ? ok(0) : done;
      });
  }
}

async function reproduce(
  ctx: Context,
  store: Store,
  plan: Plan,
  ids: readonly string[],
  code: ReadonlyMap<string, CodeFingerprint>,
  opts: {
    jobs: number;
    force: ReadonlySet<string>;
    executor: () => Executor;
    cluster: boolean;
  },
): Promise<Result<number, Failure>> {
  const started = ctx.now();
  ctx.emit({ kind: "run-start", command: "reproduce", stages: ids, jobs: opts.jobs });
  if (opts.cluster) {
    const left = await cancelLeftovers(store.dir);
    if (left.length > 0) {
      ctx.emit({ kind: "cluster-leftovers", jobs: left });
      await store.sweep();
    }
  }
  // Ctrl-C or SIGTERM stops running stages (cancels their jobs) and lets the run end cleanly:
  // run.json written, lock released. A second signal exits at once.
  const interrupt = new AbortController();
  let signal: Deno.Signal | undefined;
  const listeners = (["SIGINT", "SIGTERM"] as const).map((sig) => {
    const listener = (): void => {
      if (signal !== undefined) Deno.exit(sig === "SIGINT" ? 130 : 143);
      signal = sig;
      ctx.emit({ kind: "run-interrupted", signal: sig });
      interrupt.abort();
    };
    Deno.addSignalListener(sig, listener);
    return [sig, listener] as const;
  });
  const executor = opts.executor();
  const outcomes = await schedule({
    plan,
    ids,
    code,
    store,
    jobs: opts.jobs,
    force: opts.force,
    emit: ctx.emit,
    now: ctx.now,
    executor,
    signal: interrupt.signal,
    interruptedBy: () => signal ?? "interrupted",
  }).finally(async () => {
    await executor.close();
    for (const [sig, listener] of listeners) Deno.removeSignalListener(sig, listener);
  });
  const published = await materialise({
    root: ctx.root,
    stages: outcomes.map((o) => ({
      id: o.id,
      publish: plan.graph.byId.get(o.id)!.publish ?? {},
      ...(o.dir && o.manifest ? { result: { dir: o.dir, manifest: o.manifest } } : {}),
    })),
    known: new Set(plan.graph.byId.keys()),
    emit: ctx.emit,
  });
  const finished = ctx.now();
  const errors = new Map<string, string>();
  for (const o of outcomes) if (o.failure) errors.set(o.id, renderFailure(o.failure).message);
  const written = await writeRunReport(ctx.root, runReport(outcomes, started, finished, errors));
  const count = (s: string) => outcomes.filter((o) => o.status === s).length;
  ctx.emit({
    kind: "run-done",
    executed: count("executed"),
    cached: count("cached"),
    failed: count("failed"),
    skipped: count("skipped"),
    seconds: (finished - started) / 1000,
    failures: outcomes.filter((o) => o.status === "failed").map((o) => o.id),
  });
  if (!published.ok) return published;
  if (!written.ok) return written;
  if (signal !== undefined) return ok(signal === "SIGINT" ? 130 : 143);
  return ok(count("failed") + count("skipped") > 0 ? 1 : 0);
}

/**
 * The executor a run asked for: local stages get their time limit enforced here; SLURM ones are
 * checked against the cluster first (SLURM enforces their limits itself).
 */
async function chooseExecutor(
  ctx: Context,
  e: Execution,
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
      ...(e.partition ? { partition: e.partition } : {}),
      ...(e.account ? { account: e.account } : {}),
      ...(poll > 0 ? { pollMs: poll * 1000 } : {}),
    })
  );
}

/** Runs `body` holding the store lock, after sweeping what killed runs left behind. */
async function locked(
  ctx: Context,
  body: (store: Store) => Promise<Result<number, Failure>>,
): Promise<Result<number, Failure>> {
  const lock: Result<Lock, Failure> = await acquireLock(ctx.root, {
    onWait: (h) => ctx.emit({ kind: "lock-wait", pid: h.pid, since: h.since }),
  });
  if (!lock.ok) return lock;
  try {
    const store = await openStore(ctx.root);
    const removed = await store.sweep();
    ctx.emit({ kind: "store-swept", removed });
    return await body(store);
  } finally {
    await lock.value.release();
  }
}

function asFailure(e: unknown): Failure | undefined {
  if (e instanceof StoreIoError) return e.failure;
  if (
    e instanceof Deno.errors.PermissionDenied || e instanceof Deno.errors.NotFound ||
    e instanceof Deno.errors.AlreadyExists || e instanceof Deno.errors.IsADirectory ||
    e instanceof Deno.errors.NotADirectory
  ) {
    return ioFailed("", e, "check that the project folder is readable and writable");
  }
  return undefined;
}

function ioFailed(path: string, e: unknown, hint: string): Failure {
  return {
    reason: "io-failed",
    path,
    detail: e instanceof Error ? e.message : String(e),
    hint,
  };
}

function writer(stream: { writeSync(p: Uint8Array): number }): (text: string) => void {
  const encoder = new TextEncoder();
  return (text) => {
    let bytes = encoder.encode(text);
    while (bytes.length > 0) bytes = bytes.subarray(stream.writeSync(bytes));
  };
}
