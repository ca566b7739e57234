/**
 * The stage graph: checks the declarations (unique ids, existing inputs, no cycles, sound output
 * and publish paths), orders them topologically and selects a stage with everything upstream.
 *
 * @module
 */
import {
  ENGINE_ARTIFACTS,
  err,
  type GraphInvalid,
  ok,
  type Result,
  type StageDecl,
  type UnknownStage,
} from "../core/mod.ts";

/** A checked stage graph. */
export interface Graph {
  /** Every stage, inputs before the stages that read them; declaration order otherwise. */
  readonly order: readonly StageDecl[];
  /** Stage id → declaration. */
  readonly byId: ReadonlyMap<string, StageDecl>;
}

/**
 * Checks declarations and orders them so that every stage comes after its inputs.
 *
 * @example
 * ```ts
 * import { buildGraph } from "./graph.ts";
 * const stage = (id: string, inputs: Record<string, string>) =>
 *   ({ id, module: "file:///s.ts", inputs, params: {}, outputs: ["o"] });
 * const g = buildGraph([stage("b", { a: "a" }), stage("a", {})]);
 * g.ok && g.value.order.map((s) => s.id); // ["a", "b"]
 * ```
 */
export function buildGraph(decls: readonly StageDecl[]): Result<Graph, GraphInvalid> {
  const byId = new Map<string, StageDecl>();
  const publishers = new Map<string, string>();
  for (const d of decls) {
    if (d.id === "" || /\s/.test(d.id)) return invalid(`stage id "${d.id}" is empty or has spaces`);
    if (byId.has(d.id)) return invalid(`stage id "${d.id}" is declared twice`, [d.id]);
    byId.set(d.id, d);
    const outputs = new Set<string>();
    for (const o of d.outputs) {
      if (!isSafeRelative(o)) {
        return invalid(`stage "${d.id}" declares output "${o}", which is not a relative path`, [
          d.id,
        ]);
      }
      if (outputs.has(o)) return invalid(`stage "${d.id}" declares output "${o}" twice`, [d.id]);
      outputs.add(o);
    }
    for (const [file, target] of Object.entries(d.publish ?? {})) {
      if (!outputs.has(file)) {
        return invalid(`stage "${d.id}" publishes "${file}", which is not one of its outputs`, [
          d.id,
        ]);
      }
      if (!isSafeRelative(target) || target.split("/").some((s) => s.startsWith("."))) {
        return invalid(
          `stage "${d.id}" publishes to "${target}", which is not a plain relative path`,
          [d.id],
        );
      }
      if (ENGINE_ARTIFACTS.has(target) || ENGINE_ARTIFACTS.has(target.split("/")[0]!)) {
        return invalid(`stage "${d.id}" publishes to "${target}", a name the engine writes`, [
          d.id,
        ]);
      }
      const other = publishers.get(target);
      if (other !== undefined) {
        return invalid(`stages "${other}" and "${d.id}" both publish "${target}"`, [other, d.id]);
      }
      publishers.set(target, d.id);
    }
  }
  for (const d of decls) {
    for (const [name, from] of Object.entries(d.inputs)) {
      if (!byId.has(from)) {
        return invalid(`stage "${d.id}" reads input "${name}" from unknown stage "${from}"`, [
          d.id,
        ]);
      }
    }
    for (const from of d.after ?? []) {
      if (!byId.has(from)) {
        return invalid(`stage "${d.id}" is declared after unknown stage "${from}"`, [d.id]);
      }
    }
  }

  // Depth-first, visiting inputs in declaration order, so the order is stable and a cycle is
  // reported with the ids along it.
  const order: StageDecl[] = [];
  const state = new Map<string, "visiting" | "done">();
  const trail: string[] = [];
  const visit = (d: StageDecl): GraphInvalid | undefined => {
    const s = state.get(d.id);
    if (s === "done") return undefined;
    if (s === "visiting") {
      const cycle = [...trail.slice(trail.indexOf(d.id)), d.id];
      return {
        reason: "graph-invalid",
        detail: `stages form a cycle: ${cycle.join(" → ")}`,
        trail: cycle,
      };
    }
    state.set(d.id, "visiting");
    trail.push(d.id);
    for (const from of upstream(d)) {
      const found = visit(byId.get(from)!);
      if (found) return found;
    }
    trail.pop();
    state.set(d.id, "done");
    order.push(d);
    return undefined;
  };
  for (const d of decls) {
    const found = visit(d);
    if (found) return err(found);
  }
  return ok({ order, byId });
}

/**
 * The ids to run for a command naming `ids`: those stages and everything upstream of them, in
 * topological order; every stage when `ids` is empty.
 *
 * @example
 * ```ts
 * import { buildGraph, selectStages } from "./graph.ts";
 * const stage = (id: string, inputs: Record<string, string>) =>
 *   ({ id, module: "file:///s.ts", inputs, params: {}, outputs: ["o"] });
 * const g = buildGraph([stage("a", {}), stage("b", { a: "a" }), stage("c", {})]);
 * const s = g.ok ? selectStages(g.value, ["b"]) : undefined;
 * s?.ok && s.value; // ["a", "b"]
 * ```
 */
export function selectStages(
  graph: Graph,
  ids: readonly string[],
): Result<string[], UnknownStage> {
  if (ids.length === 0) return ok(graph.order.map((d) => d.id));
  const wanted = new Set<string>();
  const add = (id: string): void => {
    if (wanted.has(id)) return;
    wanted.add(id);
    for (const from of upstream(graph.byId.get(id)!)) add(from);
  };
  for (const id of ids) {
    if (!graph.byId.has(id)) {
      return err({ reason: "unknown-stage", id, known: graph.order.map((d) => d.id) });
    }
    add(id);
  }
  return ok(graph.order.filter((d) => wanted.has(d.id)).map((d) => d.id));
}

/** The stages a stage comes after: its inputs, then those that decided it exists. */
export function upstream(d: StageDecl): string[] {
  return [...Object.values(d.inputs), ...(d.after ?? [])];
}

function isSafeRelative(p: string): boolean {
  return p.length > 0 && !p.startsWith("/") && !p.includes("\\") &&
    !p.split("/").some((s) => s === "" || s === "." || s === "..");
}

function invalid(detail: string, trail: readonly string[] = []): Result<never, GraphInvalid> {
  return err({ reason: "graph-invalid", detail, trail });
}
