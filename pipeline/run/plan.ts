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
import { buildGraph, type Graph, selectStages } from "./graph.ts";
import { join } from "node:path";
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
  /**
   * Stages whose results the declaration asked for and did not get (no current result yet): the
   * graph grows once they have run (see `Pipeline.stages`); empty when the graph is whole.
   */
  readonly pending: readonly string[];
}

/**
 * Finds the current results of `stages` (and what they need) in the store: stage id → the
 * result's folder, for those that have one.
 */
export type KnownResults = (
  plan: Plan,
  stages: readonly string[],
) => Promise<ReadonlyMap<string, string>>;

/** Options of {@linkcode makePlan}. */
export interface PlanOptions {
  readonly root: string;
  /** `--set` overrides, in order. */
  readonly overrides: readonly string[];
  /** Another parameters file (relative to the root) than the pipeline's own. */
  readonly paramsFile?: string;
  /**
   * Where a growing graph's reads are answered; without it every read is unanswered and the
   * plan is the graph as far as nothing has run.
   */
  readonly known?: KnownResults;
}

/**
 * Reads and validates the parameters, declares the stages and checks the graph; every error is
 * a value (bad parameters, a graph with a cycle, a declared parameter path that does not exist).
 * A stage with progress gets the outputs holding its kept states. A graph that grows (see
 * `Pipeline.stages`) is declared again while `known` answers reads anew.
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
  const answers = new Map<string, string>();
  for (;;) {
    const asked = new Map<string, string[]>();
    const read = (stage: string, file: string): string | undefined => {
      const text = answers.get(`${stage}\0${file}`);
      if (text === undefined) asked.set(stage, [...(asked.get(stage) ?? []), file]);
      return text;
    };
    const plan = declared(pipeline, values, opts.root, read);
    if (!plan.ok) return plan;
    const stray = [...asked.keys()].find((id) => !plan.value.graph.byId.has(id));
    if (stray !== undefined) {
      return err({
        reason: "graph-invalid",
        detail: `declaring the stages read a result of "${stray}", which is not declared`,
        trail: [stray],
      });
    }
    const pending = [...asked.keys()];
    const whole = { ...plan.value, pending };
    if (pending.length === 0 || opts.known === undefined) return ok(whole);
    const closure = selectStages(whole.graph, pending);
    if (!closure.ok) return closure;
    const dirs = await opts.known(whole, closure.value);
    let grew = false;
    for (const id of pending) {
      const dir = dirs.get(id);
      if (dir === undefined) continue;
      for (const file of asked.get(id)!) {
        const text = readIfPresent(join(dir, file));
        if (text === undefined) {
          return err({
            reason: "graph-invalid",
            detail: `declaring the stages read "${file}" of stage "${id}", which its result lacks`,
            trail: [id],
          });
        }
        answers.set(`${id}\0${file}`, text);
        grew = true;
      }
    }
    if (!grew) return ok(whole);
  }
}

/** The graph declared with what `read` answers, checked, with each stage's parameter values. */
function declared<P>(
  pipeline: Pipeline<P>,
  values: P,
  root: string,
  read: (stage: string, file: string) => string | undefined,
): Result<Omit<Plan, "pending">, Failure> {
  let decls: StageDecl[];
  try {
    decls = pipeline.stages(values, { read });
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
  if (progress.size === 0) return ok({ root, graph: graph.value, params, progress });
  const expanded = buildGraph(decls.map((d) => {
    const p = progress.get(d.id);
    return p ? withStateOutputs(d, p) : d;
  }));
  if (!expanded.ok) return expanded;
  return ok({ root, graph: expanded.value, params, progress });
}

/**
 * The stages to run for a command naming `named` (none: all) in a plan: as
 * {@linkcode selectStages}, except that a named stage the graph has not declared yet, while it
 * waits on pending results, selects what it waits on (the stage may appear once they have run).
 */
export function selectPlanned(
  plan: Plan,
  named: readonly string[],
): Result<string[], Failure> {
  const ids = selectStages(plan.graph, named);
  if (ids.ok || plan.pending.length === 0) return ids;
  const known = named.filter((id) => plan.graph.byId.has(id));
  return selectStages(plan.graph, [...known, ...plan.pending]);
}

function readIfPresent(path: string): string | undefined {
  try {
    return Deno.readTextFileSync(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
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
