/**
 * What a run publishes: each stage's outcome with its declared publish map and inputs, in the
 * shape `materialise` takes (`store/artifacts.ts`), for `reproduce` and `compare` alike.
 *
 * @module
 */
import type { PublishingStage } from "../store/mod.ts";
import type { Graph } from "./graph.ts";
import type { StageOutcome } from "./scheduler.ts";

/**
 * The stages to materialise from a run's outcomes; a stage without a stored result publishes
 * nothing (its earlier files are removed).
 *
 * @example
 * ```ts
 * import { buildGraph } from "./graph.ts";
 * import { publishingStages } from "./publishing.ts";
 * const g = buildGraph([{ id: "a", module: "file:///a.ts", inputs: {}, params: {}, outputs: ["x"] }]);
 * if (g.ok) publishingStages(g.value, [{ id: "a", status: "failed", seconds: 0, started: 0, finished: 0 }]);
 * // [{ id: "a", publish: {}, inputs: {} }]
 * ```
 */
export function publishingStages(
  graph: Graph,
  outcomes: readonly StageOutcome[],
): PublishingStage[] {
  return outcomes.map((o) => ({
    id: o.id,
    publish: graph.byId.get(o.id)!.publish ?? {},
    inputs: graph.byId.get(o.id)!.inputs,
    ...(graph.byId.get(o.id)!.after ? { after: graph.byId.get(o.id)!.after! } : {}),
    ...(o.dir && o.manifest ? { result: { dir: o.dir, manifest: o.manifest } } : {}),
  }));
}
