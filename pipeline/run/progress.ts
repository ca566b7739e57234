/**
 * A stage with progress (`StageDecl.progress`) as a command plans it: how far it goes, which of
 * its states it keeps (each an output the engine names, `checkpointOutput`), and which of its
 * fingerprint's parameters its lineage leaves out. Then, on a miss, the stored state it can
 * continue from: the largest progress below its own among the results of its lineage.
 *
 * @module
 */
import {
  checkpointOutput,
  err,
  type GraphInvalid,
  type Hash,
  ok,
  type Result,
  type StageCheckpoint,
  type StageDecl,
} from "../core/mod.ts";
import type { ProgressParams } from "../key/mod.ts";
import type { Store } from "../store/mod.ts";

/** How far a stage with progress goes and what it keeps. */
export interface ProgressPlan {
  /** The parameters its lineage leaves out, by their key in the fingerprint. */
  readonly params: ProgressParams;
  /** The progress parameter's key in the fingerprint (a dotted path, or a literal's local name). */
  readonly path: string;
  /** The progress parameter's value: how far the stage goes. */
  readonly target: number;
  /** Progress values of the states it keeps, ascending; the last is `target`. */
  readonly states: readonly number[];
}

/** A stored state a miss can continue from. */
export interface ResumePoint {
  /** The key of the result holding it. */
  readonly key: Hash;
  readonly progress: number;
  /** That result's outputs folder. */
  readonly dir: string;
  /** The state's file in it. */
  readonly file: string;
}

/**
 * The progress plan of `decl` from its declared values (local name → value); `undefined` for a
 * stage without progress, an error naming the stage for a declaration that does not hold up.
 *
 * @example
 * ```ts
 * import { progressPlan } from "./progress.ts";
 * const decl = {
 *   id: "t", module: "file:///t.ts", inputs: {}, outputs: ["w"],
 *   params: { epochs: "training.epochs", keep: "training.keep" },
 *   progress: { param: "epochs", checkpoints: "keep" },
 * };
 * const p = progressPlan(decl, { epochs: 500, keep: [100] });
 * p.ok && p.value?.states; // [100, 500]
 * ```
 */
export function progressPlan(
  decl: StageDecl,
  byName: Readonly<Record<string, unknown>>,
): Result<ProgressPlan | undefined, GraphInvalid> {
  const progress = decl.progress;
  if (progress === undefined) return ok(undefined);
  const invalid = (detail: string): Result<never, GraphInvalid> =>
    err({ reason: "graph-invalid", detail: `stage "${decl.id}" ${detail}`, trail: [decl.id] });
  const keyOf = (name: string): string | undefined => {
    const binding = decl.params[name];
    return binding === undefined ? undefined : typeof binding === "string" ? binding : name;
  };
  const path = keyOf(progress.param);
  if (path === undefined) {
    return invalid(`measures progress by "${progress.param}", which it does not declare`);
  }
  const target = byName[progress.param];
  if (typeof target !== "number" || !Number.isFinite(target) || target < 0) {
    return invalid(`measures progress by "${path}", which must be a number ≥ 0, not ${target}`);
  }
  let kept: readonly unknown[] = [];
  let checkpoints: string | undefined;
  if (progress.checkpoints !== undefined) {
    checkpoints = keyOf(progress.checkpoints);
    if (checkpoints === undefined) {
      return invalid(`keeps states at "${progress.checkpoints}", which it does not declare`);
    }
    const value = byName[progress.checkpoints];
    if (!Array.isArray(value)) {
      return invalid(`keeps states at "${checkpoints}", which must be a list of numbers`);
    }
    kept = value;
  }
  for (const p of kept) {
    if (typeof p !== "number" || !Number.isFinite(p) || p < 0 || p >= target) {
      return invalid(
        `keeps a state at ${p} ("${checkpoints}"): each must be from 0 to below ${target}`,
      );
    }
  }
  const states = [...new Set([...kept as number[], target])].sort((a, b) => a - b);
  return ok({
    params: { progress: path, ...(checkpoints === undefined ? {} : { checkpoints }) },
    path,
    target,
    states,
  });
}

/**
 * `decl` with the outputs holding its kept states added (so they are stored, verified and moved
 * like any output, and never published); one its author declared already is a duplicate output,
 * which the graph refuses.
 */
export function withStateOutputs(decl: StageDecl, plan: ProgressPlan): StageDecl {
  return { ...decl, outputs: [...decl.outputs, ...plan.states.map(checkpointOutput)] };
}

/** Where a stage with this plan, writing into `outDir`, writes the states it keeps. */
export function stateFiles(plan: ProgressPlan, outDir: string): StageCheckpoint[] {
  return plan.states.map((progress) => ({
    progress,
    file: `${outDir}/${checkpointOutput(progress)}`,
  }));
}

/**
 * The stored state a stage with this plan can continue from: among the results of its lineage,
 * the state with the largest progress below its target (and not past its first kept state, which
 * a continued run could not write), in a result that is present and verifies. A damaged result is
 * set aside by the lookup (`Store.get`), reported to `onDamaged`, and the next best is tried.
 */
export async function findResumePoint(
  store: Store,
  lineage: Hash,
  plan: ProgressPlan,
  onDamaged: (key: Hash, detail: string) => void,
): Promise<ResumePoint | undefined> {
  const limit = plan.states[0]!;
  const candidates = store.lineage(lineage)
    .flatMap((e) => e.states.map((progress) => ({ key: e.key, progress })))
    .filter((c) => c.progress < plan.target && c.progress <= limit)
    // Largest progress first; among equals the newest result (listed last).
    .reverse()
    .sort((a, b) => b.progress - a.progress);
  for (const c of candidates) {
    const found = await store.get(c.key);
    if (found.kind === "corrupt") onDamaged(c.key, found.detail);
    if (found.kind !== "hit") continue;
    const file = checkpointOutput(c.progress);
    if (found.manifest.files[file] === undefined) continue;
    return { key: c.key, progress: c.progress, dir: found.dir, file: `${found.dir}/${file}` };
  }
  return undefined;
}
