/**
 * A toy pipeline for the engine's scenario tests: a source, one step per configuration, a
 * total over all steps, two independent busy stages and a stage that fails on demand (with one
 * dependant). Same shape as the real experiment, seconds instead of minutes.
 *
 * @module
 */
import type { ParamIssue, Pipeline, StageDecl } from "../../../pipeline/core/stage.ts";

/** The toy's parameters. */
export interface ToyParams {
  readonly seed: number;
  readonly configs: Readonly<Record<string, { readonly k: number }>>;
  readonly unused: string;
  readonly busy: { readonly one: number; readonly two: number };
  readonly fail: { readonly mode: string };
}

const here = (file: string): string => new URL(file, import.meta.url).href;

/** Declares the toy's stages. */
export function toyStages(p: ToyParams): StageDecl[] {
  const configs = Object.keys(p.configs);
  return [
    {
      id: "source",
      module: here("./source.ts"),
      description: "writes the seed",
      inputs: {},
      params: { seed: "seed" },
      outputs: ["source.txt"],
    },
    ...configs.map((c): StageDecl => ({
      id: `step/${c}`,
      module: here("./step.ts"),
      inputs: { src: "source" },
      params: { k: `configs.${c}.k` },
      outputs: ["step.txt"],
      publish: { "step.txt": `steps/${c}.txt` },
    })),
    {
      id: "total",
      module: here("./total.ts"),
      inputs: Object.fromEntries(configs.map((c) => [c, `step/${c}`])),
      params: {},
      outputs: ["total.txt"],
      publish: { "total.txt": "total.txt" },
    },
    {
      id: "busy/one",
      module: here("./busy.ts"),
      inputs: {},
      params: { ms: "busy.one" },
      outputs: ["busy.txt"],
    },
    {
      id: "busy/two",
      module: here("./busy.ts"),
      inputs: {},
      params: { ms: "busy.two" },
      outputs: ["busy.txt"],
    },
    {
      id: "flaky",
      module: here("./flaky.ts"),
      inputs: {},
      params: { mode: "fail.mode" },
      outputs: ["flaky.txt"],
      publish: { "flaky.txt": "flaky.txt" },
    },
    {
      id: "after",
      module: here("./after.ts"),
      inputs: { f: "flaky" },
      params: {},
      outputs: ["after.txt"],
    },
  ];
}

/** Hand-written checks: the toy must not depend on the experiment's schema library. */
function validate(
  doc: unknown,
): { ok: true; value: ToyParams } | { ok: false; issues: ParamIssue[] } {
  const issues: ParamIssue[] = [];
  const d = doc as Partial<ToyParams> | null;
  if (typeof d !== "object" || d === null) {
    return { ok: false, issues: [{ path: "", message: "expected an object" }] };
  }
  if (typeof d.seed !== "number") issues.push({ path: "seed", message: "expected a number" });
  if (typeof d.configs !== "object" || d.configs === null) {
    issues.push({ path: "configs", message: "expected an object" });
  } else {
    for (const [c, v] of Object.entries(d.configs)) {
      if (typeof v?.k !== "number") {
        issues.push({ path: `configs.${c}.k`, message: "expected a number" });
      }
    }
  }
  if (typeof d.busy?.one !== "number" || typeof d.busy?.two !== "number") {
    issues.push({ path: "busy", message: "expected numbers one and two" });
  }
  if (typeof d.fail?.mode !== "string") {
    issues.push({ path: "fail.mode", message: "expected a string" });
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: d as ToyParams };
}

/** The toy as the engine sees it. */
export const toy: Pipeline<ToyParams> = {
  paramsFile: "params.json",
  validate,
  stages: toyStages,
  trustedKeys: "trusted_keys.json",
};
