/**
 * What a command knows before any stage runs: the parameters, the checked graph, each stage's
 * declared parameter values, and the code fingerprints of the stage modules. Everything here is
 * computed once per command; stage keys then need only their inputs' content hashes.
 *
 * @module
 */
import {
  type CodeFingerprint,
  codeFingerprints,
  CodeGraphError,
  defaultMemoFile,
  ENGINE_FORMAT,
  type Fingerprint,
} from "../key/mod.ts";
import {
  err,
  type Failure,
  type Hash,
  memoDir,
  ok,
  type Pipeline,
  psinvDir,
  type Result,
  type StageDecl,
} from "../core/mod.ts";
import { buildGraph, type Graph } from "./graph.ts";
import { type ProgressPlan, progressPlan, withStateOutputs } from "./progress.ts";
import { getPath, loadParams } from "../params/mod.ts";

/** The declared parameters of one stage, both ways round. */
export interface StageParams {
  /**
   * Dotted path → value: what enters the key (named by path so `status` can name the field); a
   * literal binding enters under its local name.
   */
  readonly byPath: Readonly<Record<string, unknown>>;
  /** Local name → value: what the stage's run function receives. */
  readonly byName: Readonly<Record<string, unknown>>;
}

/** The parameters and graph of one command. */
export interface Plan {
  readonly root: string;
  readonly graph: Graph;
  /** Stage id → its declared parameter values. */
  readonly params: ReadonlyMap<string, StageParams>;
  /** Stage id → how far it goes and what it keeps, for each stage that declares `progress`. */
  readonly progress: ReadonlyMap<string, ProgressPlan>;
}

/** Options of {@linkcode makePlan}. */
export interface PlanOptions {
  readonly root: string;
  /** `--set` overrides, in order. */
  readonly overrides: readonly string[];
  /** Another parameters file (relative to the root) than the pipeline's own. */
  readonly paramsFile?: string;
}

/**
 * Reads and validates the parameters, declares the stages and checks the graph; every error is
 * a value (bad parameters, a graph with a cycle, a declared parameter path that does not exist).
 * A stage with progress gets the outputs holding its kept states.
 */
export async function makePlan<P>(
  pipeline: Pipeline<P>,
  opts: PlanOptions,
): Promise<Result<Plan, Failure>> {
  const loaded = await loadParams({
    root: opts.root,
    file: opts.paramsFile ?? pipeline.paramsFile,
    overrides: opts.overrides,
    validate: pipeline.validate,
  });
  if (!loaded.ok) return loaded;
  const values = loaded.value.params;
  let decls: StageDecl[];
  try {
    decls = pipeline.stages(values);
  } catch (e) {
    return err({
      reason: "graph-invalid",
      detail: `declaring the stages failed: ${e instanceof Error ? e.message : String(e)}`,
      trail: [],
    });
  }
  const graph = buildGraph(decls);
  if (!graph.ok) return graph;
  const params = new Map<string, StageParams>();
  for (const d of graph.value.order) {
    const byPath: Record<string, unknown> = {};
    const byName: Record<string, unknown> = {};
    for (const [name, binding] of Object.entries(d.params)) {
      if (typeof binding !== "string") {
        // A literal is keyed by its local name; a declared path of the same spelling would make
        // two values share one entry of the fingerprint.
        if (Object.values(d.params).includes(name)) {
          return err({
            reason: "graph-invalid",
            detail: `stage "${d.id}" binds "${name}" both as a literal and as a parameter path`,
            trail: [d.id],
          });
        }
        byPath[name] = binding.value;
        byName[name] = binding.value;
        continue;
      }
      const path = binding;
      const value = getPath(values, path);
      if (value === undefined) {
        return err({
          reason: "graph-invalid",
          detail:
            `stage "${d.id}" reads parameter "${path}", which "${pipeline.paramsFile}" does not have`,
          trail: [d.id],
        });
      }
      byPath[path] = value;
      byName[name] = value;
    }
    params.set(d.id, { byPath, byName });
  }
  const progress = new Map<string, ProgressPlan>();
  for (const d of graph.value.order) {
    const planned = progressPlan(d, params.get(d.id)!.byName);
    if (!planned.ok) return planned;
    if (planned.value) progress.set(d.id, planned.value);
  }
  if (progress.size === 0) return ok({ root: opts.root, graph: graph.value, params, progress });
  const expanded = buildGraph(decls.map((d) => {
    const p = progress.get(d.id);
    return p ? withStateOutputs(d, p) : d;
  }));
  if (!expanded.ok) return expanded;
  return ok({ root: opts.root, graph: expanded.value, params, progress });
}

/**
 * Code fingerprints of the modules of the given stages (memoised in the store folder, so a
 * no-op run spawns no `deno info`).
 */
export async function codeOf(
  plan: Plan,
  ids: readonly string[],
): Promise<Result<Map<string, CodeFingerprint>, Failure>> {
  const urls = [...new Set(ids.map((id) => plan.graph.byId.get(id)!.module))];
  try {
    return ok(
      await codeFingerprints(urls, { root: plan.root, memoFile: defaultMemoFile(plan.root) }),
    );
  } catch (e) {
    if (e instanceof CodeGraphError) {
      const stages = ids.filter((id) => plan.graph.byId.get(id)!.module === e.module);
      return err({ reason: "graph-invalid", detail: e.message, trail: stages });
    }
    return err({
      reason: "io-failed",
      path: memoDir(psinvDir(plan.root)),
      detail: e instanceof Error ? e.message : String(e),
      hint: "check that the project folder is readable and writable",
    });
  }
}

/**
 * A stage's fingerprint from its declared parameters, its inputs' content hashes (input name →
 * hash) and its module's code hash.
 */
export function fingerprintOf(
  decl: StageDecl,
  params: StageParams,
  inputs: Readonly<Record<string, Hash>>,
  code: Hash,
): Fingerprint {
  return {
    format: ENGINE_FORMAT,
    params: params.byPath,
    inputs,
    code,
    version: decl.version ?? 0,
  };
}
