/**
 * A tiny reproduction of the real pipeline in a temporary project: params.json cut down to
 * seconds (30 points, 3 epochs of two hidden layers of 3 on tfjs-cpu, two seeds, a 1 × 2 sweep).
 *
 * @module
 */
import { join } from "node:path";
import { main } from "../../../pipeline/cli/cli.ts";
import { experiment } from "../../../stages/pipeline.ts";

/** params.json cut down to seconds; `configs` keeps only the named ones when given. */
export async function tinyParams(configs?: readonly string[]): Promise<Record<string, unknown>> {
  const doc = JSON.parse(await Deno.readTextFile(new URL("../../../params.json", import.meta.url)));
  Object.assign(doc.data, { n: 30, knots: 4, curvePoints: 10 });
  Object.assign(doc.training, { epochs: 3, layers: [3, 3], backend: "tfjs-cpu" });
  doc.evaluation.gridPoints = 11;
  if (configs !== undefined) {
    doc.configs = Object.fromEntries(configs.map((c) => [c, doc.configs[c]]));
  }
  doc.replicates = { seeds: 2, draws: 1 };
  doc.sweeps = {
    grid: { lambda: [1], mu: [1, 10], activation: ["relu"], figures: ["l1-m10-relu"] },
  };
  // The shipped search, shrunk: 4 trials over two short rungs, one seed.
  Object.assign(doc.searches.front, {
    space: { ...doc.searches.front.space, layers: [[3, 3]] },
    trials: 4,
    rungs: [2, 3],
    eta: 2,
    replicates: { seeds: 1, draws: 1 },
  });
  doc.statistics.resamples = 200;
  // The claims' rows keep the tiny replicates; --decide may double them once.
  Object.assign(doc.statistics, { minRuns: 2, decide: { maxSeeds: 4 } });
  return doc;
}

/** A temporary project with `params`, and a function running the CLI in it. */
export async function tinyProject(params: unknown): Promise<{
  root: string;
  run: (...args: string[]) => Promise<{ code: number; out: string; err: string }>;
  dispose: () => Promise<void>;
}> {
  const root = await Deno.makeTempDir({ prefix: "psinv_tiny_" });
  await Deno.writeTextFile(join(root, "params.json"), JSON.stringify(params, null, 2));
  return {
    root,
    async run(...args) {
      let out = "", err = "";
      const code = await main(args, experiment, {
        root,
        out: (t) => (out += t),
        err: (t) => (err += t),
        terminal: false,
        env: () => undefined,
      });
      return { code, out, err };
    },
    dispose: () => Deno.remove(root, { recursive: true }),
  };
}
