/**
 * A toy pipeline with a stage with progress, for the engine's resume scenarios: `walk` (the
 * stage with progress, `climb.ts`) and `tail`, which reads it and publishes its last line.
 *
 * @module
 */
import type { ParamIssue, Pipeline } from "../../../pipeline/core/stage.ts";

/** The climb's parameters. */
export interface ClimbParams {
  readonly walk: {
    readonly steps: number;
    readonly seed: number;
    readonly keep: readonly number[];
    readonly ms: number;
  };
}

const here = (file: string): string => new URL(file, import.meta.url).href;

/** The toy pipeline with progress; `time` is the walk's time limit. */
export function climbPipeline(time?: string): Pipeline<ClimbParams> {
  return {
    paramsFile: "params.json",
    trustedKeys: "trusted_keys.json",
    validate(doc) {
      const issues: ParamIssue[] = [];
      const walk = (doc as ClimbParams).walk;
      if (typeof walk?.steps !== "number") issues.push({ path: "walk.steps", message: "a number" });
      return issues.length === 0 ? { ok: true, value: doc as ClimbParams } : { ok: false, issues };
    },
    stages: () => [
      {
        id: "walk",
        module: here("./climb.ts"),
        inputs: {},
        params: { steps: "walk.steps", seed: "walk.seed", keep: "walk.keep", ms: "walk.ms" },
        outputs: ["walk.txt"],
        publish: { "walk.txt": "walk.txt" },
        progress: { param: "steps", checkpoints: "keep" },
        ...(time ? { resources: { time } } : {}),
      },
      {
        id: "tail",
        module: here("./tail.ts"),
        inputs: { walk: "walk" },
        params: {},
        outputs: ["tail.txt"],
        publish: { "tail.txt": "tail.txt" },
      },
    ],
  };
}
