/**
 * The engine's command line: parses the arguments, dispatches one command ({@link ../commands/})
 * against a pipeline, renders its events through the logger and ends with an exit code — 0 ok,
 * 1 a stage or the disk failed, 2 bad input (nothing ran, the store untouched).
 *
 * @module
 */
import { relative, resolve } from "node:path";
import {
  acceptStages,
  audit,
  type CommandContext,
  compare,
  dagSvg,
  dagText,
  decideRounds,
  gc,
  gcRemote,
  knownResults,
  locked,
  pull,
  push,
  remoteStatus,
  reproduce,
  statusReport,
  trust,
  verify,
  why,
} from "../commands/mod.ts";
import type { RemoteLocation, Transport } from "../remote/mod.ts";
import { signingKeyPath } from "../remote/mod.ts";
import { ownKey, type RemoteSetup, revokeKeyOf, useRemote } from "./remote_setup.ts";
import { parseCommand } from "./args.ts";
import { usage } from "./options/mod.ts";
import type { Command } from "./command.ts";
import { openStore, writeAtomic } from "../store/mod.ts";
import {
  artifactsDir,
  type CompareHook,
  dagSvgFile,
  err,
  type Failure,
  ok,
  type Pipeline,
  renderFailure,
  type Result,
} from "../core/mod.ts";
import { createLogger } from "./logger.ts";
import type { CodeFingerprint } from "../key/mod.ts";
import {
  codeOf,
  type Executor,
  expandStagePatterns,
  localExecutor,
  makePlan,
  type Plan,
  selectPlanned,
} from "../run/mod.ts";
import { runReport, timeline, writeRunReport, writeTimeline } from "../record/mod.ts";
import { asFailure, ioFailed, writer } from "./io.ts";
import { chooseExecutor, decideRound, growing, reproduceOptions } from "./reproduce_options.ts";

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
  /** Makes the remote's transport (default: HTTP or a folder, by the URL's scheme). */
  readonly remoteTransport?: (location: RemoteLocation) => Transport;
  /** Where relative paths given on the command line start (default: `INIT_CWD`, else cwd). */
  readonly cwd?: string;
  /** The experiment's own environment variables, one line of help each, listed by the help. */
  readonly environment?: Readonly<Record<string, string>>;
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
      const { command } = parsed.value;
      (options.out ?? writer(Deno.stdout))(usage(command, options.environment) + "\n");
      return 0;
    }
    const root = options.root.length > 1 ? options.root.replace(/\/+$/, "") : options.root;
    const ctx: Context = {
      root,
      plan: (overrides, paramsFile) =>
        makePlan(pipeline, {
          root,
          overrides,
          ...(paramsFile ? { paramsFile } : {}),
          known: knownResults(root),
        }),
      cwd: options.cwd ?? env("INIT_CWD") ?? Deno.cwd(),
      ...(pipeline.compare ? { compareHook: pipeline.compare } : {}),
      ...(pipeline.decide ? { decideHook: pipeline.decide } : {}),
      emit: logger.emit,
      now,
      recordRun: async (outcomes, started, finished, graph) => {
        const errors = new Map<string, string>();
        for (const o of outcomes) if (o.failure) errors.set(o.id, renderFailure(o.failure).message);
        const report = runReport(outcomes, started, finished, errors);
        const written = await writeRunReport(root, report);
        if (!written.ok) return written;
        const inputs = (id: string) => Object.values(graph.byId.get(id)?.inputs ?? {});
        return await writeTimeline(root, timeline(report, inputs));
      },
      executor: options.executor ?? localExecutor,
      env,
      remote: {
        root,
        env,
        emit: logger.emit,
        trustedKeys: pipeline.trustedKeys,
        ...(options.remoteTransport ? { transport: options.remoteTransport } : {}),
      },
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

/** The commands' context plus what only the command line uses to prepare a command. */
interface Context extends CommandContext {
  /** Reads the parameters (with overrides; another file when given) and declares the graph. */
  readonly plan: (
    overrides: readonly string[],
    paramsFile?: string,
  ) => Promise<Result<Plan, Failure>>;
  /** Where relative paths of the command line start. */
  readonly cwd: string;
  /** The experiment's comparison, when it has one. */
  readonly compareHook?: () => Promise<CompareHook>;
  /** What `reproduce --decide` asks of the experiment, when it has it. */
  readonly decideHook?: Pipeline["decide"];
  /** Where stages execute locally; `reproduce --executor slurm` uses the cluster instead. */
  readonly executor: () => Executor;
  /** Reads an environment variable (`PSINV_POLL`, credentials, where the signing key is). */
  readonly env: (name: string) => string | undefined;
  /** What opening a remote needs. */
  readonly remote: RemoteSetup;
}

async function run(
  command: Exclude<Command, { kind: "help" }>,
  ctx: Context,
): Promise<Result<number, Failure>> {
  if (command.kind === "verify" && command.audit === undefined) return await verify(ctx);
  if (command.kind === "trust" && command.revoke !== undefined) {
    return await revokeKeyOf(ctx, ctx.remote, { ...command, revoke: command.revoke });
  }
  if (command.kind === "trust") {
    return await trust(ctx, {
      file: ctx.remote.trustedKeys,
      ...(command.key !== undefined ? { key: command.key } : {}),
      ...(command.name !== undefined ? { name: command.name } : {}),
      signingKeyFile: signingKeyPath(ctx.env),
      machine: `${ctx.env("USER") ?? ctx.env("LOGNAME") ?? "user"}@${Deno.hostname()}`,
    });
  }
  if (command.kind === "compare") {
    const current = await ctx.plan([]);
    if (!current.ok) return current;
    const file = command.params === undefined
      ? undefined
      : relative(ctx.root, resolve(ctx.cwd, command.params));
    const variant = await ctx.plan(command.sets, file);
    if (!variant.ok) return variant;
    const code = new Map<string, CodeFingerprint>();
    for (const plan of [current.value, variant.value]) {
      const c = await codeOf(plan, plan.graph.order.map((d) => d.id));
      if (!c.ok) return c;
      for (const [k, v] of c.value) code.set(k, v);
    }
    return await compare(ctx, {
      current: current.value,
      variant: variant.value,
      code,
      jobs: command.jobs,
      executor: ctx.executor,
      ...(ctx.compareHook ? { hook: ctx.compareHook } : {}),
      grow: {
        current: growing(() => ctx.plan([]), []),
        variant: growing(() => ctx.plan(command.sets, file), []),
      },
    });
  }
  if (command.kind === "why") {
    const answer = why({ root: ctx.root, path: command.path, all: command.all });
    if (!answer.ok) return answer;
    ctx.emit(answer.value);
    return ok(0);
  }

  const plan = await ctx.plan(command.sets);
  if (!plan.ok) return plan;
  const expanded = command.kind === "accept" || command.kind === "push" ||
      command.kind === "pull" || command.kind === "verify"
    ? expandStagePatterns(plan.value.graph.order.map((d) => d.id), command.stages)
    : ok("stages" in command ? command.stages : []);
  if (!expanded.ok) return expanded;
  const named = expanded.value;
  const ids = selectPlanned(plan.value, named);
  if (!ids.ok) return ids;

  if (command.kind === "dag") {
    const path = dagSvgFile(artifactsDir(ctx.root));
    try {
      await writeAtomic(path, { data: dagSvg(plan.value.graph, { all: command.all }) });
    } catch (e) {
      return err(ioFailed(path, e, "check that artifacts/ is a writable folder"));
    }
    ctx.emit({
      kind: "dag",
      text: dagText(plan.value.graph, { all: command.all }),
      ...(plan.value.pending.length > 0 ? { pending: plan.value.pending } : {}),
      svg: dagSvgFile(artifactsDir("")),
    });
    return ok(0);
  }

  // The remote is checked before any work: bad input there is refused like bad parameters.
  const remoteUrl = command.kind === "verify"
    ? command.audit?.remote
    : "remote" in command
    ? command.remote
    : undefined;
  const remote = remoteUrl === undefined ? ok(undefined) : await useRemote(ctx.remote, remoteUrl, {
    sign: command.kind === "reproduce" || command.kind === "push",
    strict: command.kind !== "reproduce" && command.kind !== "status",
  });
  if (!remote.ok) return remote;

  const code = await codeOf(plan.value, ids.value);
  if (!code.ok) return code;

  switch (command.kind) {
    case "status": {
      const store = await openStore(ctx.root);
      const asked = { plan: plan.value, ids: ids.value, code: code.value, store };
      const report = await statusReport(asked);
      const { pending } = plan.value;
      ctx.emit(pending.length > 0 ? { ...report, pending } : report);
      if (remote.value) ctx.emit(await remoteStatus({ ...asked, remote: remote.value }));
      return ok(0);
    }
    case "reproduce": {
      // Checked before the lock: bad input submits no job and leaves the store untouched.
      const executor = await chooseExecutor(ctx, command.execution, command.jobs);
      if (!executor.ok) return executor;
      const setup = { command, executor: executor.value, remote: remote.value };
      if (command.decide === undefined) {
        return await reproduce(
          ctx,
          reproduceOptions(
            setup,
            plan.value,
            ids.value,
            named,
            code.value,
            () => ctx.plan(command.sets),
          ),
        );
      }
      if (ctx.decideHook === undefined) {
        return err({
          reason: "usage",
          detail: "This pipeline has nothing to decide",
          hint: "run reproduce without --decide",
        });
      }
      return await decideRounds(ctx, {
        hook: ctx.decideHook,
        targets: command.decide,
        round: decideRound(setup, ctx.decideHook, (sets) => ctx.plan(sets)),
      });
    }
    case "push":
    case "pull": {
      const common = { plan: plan.value, ids: ids.value, code: code.value, remote: remote.value! };
      return command.kind === "push"
        ? await push(ctx, common)
        : await pull(ctx, { ...common, verify: command.verify });
    }
    case "gc":
      if (remote.value) {
        return await gcRemote(ctx, {
          plan: plan.value,
          ids: ids.value,
          code: code.value,
          remote: remote.value,
          keep: command.keep,
          graceSeconds: command.graceSeconds,
          dryRun: command.dryRun,
        });
      }
      return await gc(ctx, {
        plan: plan.value,
        ids: ids.value,
        code: code.value,
        keep: command.keep,
      });
    case "verify":
      return await audit(ctx, {
        plan: plan.value,
        ids: ids.value,
        code: code.value,
        remote: remote.value!,
        sample: command.audit!.sample,
        seed: command.audit!.seed ?? crypto.getRandomValues(new Uint32Array(1))[0]!,
        executor: ctx.executor,
        ...(await ownKey(ctx.env)),
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
