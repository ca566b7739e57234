/**
 * `compare`: the current parameters against a variant (`--set …`, or another parameters file).
 * Both sides are run under the store lock, executing only what the store lacks, and materialised
 * into `artifacts/compare/current/` and `artifacts/compare/variant/`, never over `artifacts/`.
 * Then it says which stages' keys differ and which part of each key (a parameter with old → new,
 * an input, the code), which published files differ, and hands both folders to the experiment's
 * own comparison (`Pipeline.compare`), which writes `artifacts/compare/index.html`.
 *
 * @module
 */
import { type CodeFingerprint, diffFingerprints } from "../key/mod.ts";
import {
  artifactsDir,
  compareDir,
  type CompareHook,
  err,
  type Failure,
  ok,
  type Result,
  type StageDiff,
} from "../core/mod.ts";
import { type Executor, type Plan, publishingStages, type StageOutcome } from "../run/mod.ts";
import { materialise, type Materialised, type Store } from "../store/mod.ts";
import type { CommandContext } from "./context.ts";
import { locked } from "./locked.ts";
import { type Round, runGrowing } from "./grow.ts";

/** Options of {@linkcode compare}. */
export interface CompareOptions {
  /** The current parameters. */
  readonly current: Plan;
  /** The variant. */
  readonly variant: Plan;
  /** Module URL → code fingerprint, for every module of both plans. */
  readonly code: ReadonlyMap<string, CodeFingerprint>;
  /** At most this many stages at once. */
  readonly jobs: number;
  /** Makes the executor the stages run on; closed when both sides are done. */
  readonly executor: () => Executor;
  /** Loads the experiment's comparison, if it has one. */
  readonly hook?: () => Promise<CompareHook>;
  /** This machine's name, recorded with each result it executes. */
  readonly host?: string;
  /** Declares each side's graph again, for a graph that grows as it runs. */
  readonly grow?: {
    readonly current: () => Promise<Result<Round, Failure>>;
    readonly variant: () => Promise<Result<Round, Failure>>;
  };
}

/**
 * Runs both sides and emits one `compare` event; the exit code is 0, or 1 when a stage of
 * either side failed (the comparison then covers what both sides have).
 */
export async function compare(
  ctx: CommandContext,
  opts: CompareOptions,
): Promise<Result<number, Failure>> {
  return await locked(ctx, (store) => run(ctx, store, opts));
}

async function run(
  ctx: CommandContext,
  store: Store,
  opts: CompareOptions,
): Promise<Result<number, Failure>> {
  const executor = opts.executor();
  const side = async (plan: Plan, name: "current" | "variant") => {
    const ids = plan.graph.order.map((d) => d.id);
    ctx.emit({ kind: "run-start", command: `compare (${name})`, stages: ids, jobs: opts.jobs });
    const { round, outcomes, failure } = await runGrowing({
      first: { plan, ids, code: opts.code },
      schedule: {
        store,
        jobs: opts.jobs,
        force: new Set(),
        emit: ctx.emit,
        now: ctx.now,
        executor,
        ranOn: { executor: "local", host: opts.host ?? Deno.hostname() },
      },
      ...(opts.grow ? { grow: opts.grow[name] } : {}),
    });
    const published = failure ? err(failure) : await materialise({
      root: ctx.root,
      dir: compareDir(artifactsDir(ctx.root), name),
      stages: publishingStages(round.plan.graph, outcomes),
      known: new Set(round.plan.graph.byId.keys()),
      emit: ctx.emit,
    });
    return { outcomes, published };
  };
  let current, variant;
  try {
    current = await side(opts.current, "current");
    variant = await side(opts.variant, "variant");
  } finally {
    await executor.close();
  }
  if (!current.published.ok) return current.published;
  if (!variant.published.ok) return variant.published;

  const all = [...current.outcomes, ...variant.outcomes];
  const count = (s: string) => all.filter((o) => o.status === s).length;
  const diffs = stageDiffs(current.outcomes, variant.outcomes);
  const changed = changedFiles(current.published.value, variant.published.value);
  const dir = compareDir(artifactsDir(ctx.root));
  const summary = opts.hook === undefined ? undefined : await (await opts.hook())({
    current: compareDir(artifactsDir(ctx.root), "current"),
    variant: compareDir(artifactsDir(ctx.root), "variant"),
    outDir: dir,
    changed,
  });
  ctx.emit({
    kind: "compare",
    stages: diffs.stages,
    unchanged: diffs.unchanged,
    executed: count("executed"),
    cached: count("cached"),
    changed,
    lines: summary?.lines ?? [],
    ...(summary?.page ? { page: `${compareDir(artifactsDir(""))}/${summary.page}` } : {}),
  });
  return ok(count("failed") + count("skipped") > 0 ? 1 : 0);
}

/** The stages whose results differ between the sides, and how many are the same. */
function stageDiffs(
  current: readonly StageOutcome[],
  variant: readonly StageOutcome[],
): { stages: StageDiff[]; unchanged: number } {
  const before = new Map(current.map((o) => [o.id, o]));
  const stages: StageDiff[] = [];
  let unchanged = 0;
  for (const o of variant) {
    const a = before.get(o.id);
    if (a === undefined) {
      stages.push({ id: o.id, kind: "added", changes: [] });
      continue;
    }
    if (a.key !== undefined && a.key === o.key) {
      unchanged++;
      continue;
    }
    const [ma, mb] = [a.manifest, o.manifest];
    const changes = ma && mb
      ? diffFingerprints(ma.fingerprint, mb.fingerprint, {
        ...(ma.code ? { before: ma.code.files } : {}),
        ...(mb.code ? { after: mb.code.files } : {}),
      })
      : [];
    stages.push({ id: o.id, kind: "changed", changes });
  }
  const inVariant = new Set(variant.map((o) => o.id));
  for (const o of current) {
    if (!inVariant.has(o.id)) stages.push({ id: o.id, kind: "removed", changes: [] });
  }
  return { stages, unchanged };
}

/** Published paths with other content on the two sides, or on one side only. */
function changedFiles(a: Materialised, b: Materialised): string[] {
  const paths = new Set([...Object.keys(a.published), ...Object.keys(b.published)]);
  return [...paths].filter((p) => a.published[p]?.hash !== b.published[p]?.hash).sort();
}
