/**
 * A tiny version of the experiment (30 points, 3 epochs, tfjs-cpu) in a temporary project, run
 * through the command line in-process: what the scenario tests of the real stages share.
 *
 * @module
 */
import { main } from "../../pipeline/cli/cli.ts";
import { experiment } from "../../stages/pipeline.ts";
import { type Params, paramsSchema } from "../../stages/params_schema.ts";

/** The shipped parameters, validated. */
export const shipped = paramsSchema.parse(
  JSON.parse(await Deno.readTextFile(new URL("../../params.json", import.meta.url))),
);

/** The parameters of the tiny experiment (a grid of two cells, no search). */
export const tiny = {
  data: { n: 30, knots: 4, noise: 0.1, seed: 5, monotone: true, curvePoints: 10 },
  training: {
    epochs: 3,
    learningRate: 0.001,
    layers: [3, 3],
    activation: "relu",
    batchSize: 0,
    seed: 0,
    backend: "tfjs-cpu",
  },
  evaluation: { gridPoints: 11, margin: 0.5 },
  configs: {
    lam1: { lambda: 1, mu: 1, activation: "relu", group: "equal" },
    "free-relu": { lambda: 0, mu: 0, activation: "relu", group: "unconstrained" },
  },
  replicates: { seeds: 2, draws: 1 },
  sweeps: {
    grid: {
      lambda: [1],
      mu: [1, 10],
      activation: ["relu"],
      replicates: { seeds: 1, draws: 1 },
      figures: ["l1-m10-relu"],
    },
  },
  statistics: {
    resamples: 200,
    confidence: 0.95,
    seed: 0,
    nearlyLinearR2: 0.99,
    minRuns: 1,
    decide: { maxSeeds: 1 },
  },
  searches: {},
  style: shipped.style,
} satisfies Record<keyof Params, unknown>;

/** A search over the tiny experiment's grid: 4 trials, rungs of 2 and 4 epochs, one seed. */
export const tinySearch = {
  space: {
    lambda: { log: [0.01, 100] },
    mu: { log: [0.01, 100] },
    layers: [[3, 3]],
    activation: ["relu"],
  },
  trials: 4,
  rungs: [2, 4],
  eta: 2,
  objectives: ["fit", "inversion"],
  replicates: { seeds: 1, draws: 1 },
  seed: 0,
  reference: { fit: 100, inversion: 100 },
  compare: "grid",
};

/** A temporary project and what its tests do with it. */
export interface Project {
  root: string;
  run(...args: string[]): Promise<{ code: number; err: string }>;
  executed(): Promise<string[]>;
  // deno-lint-ignore no-explicit-any
  edit(change: (doc: any) => void): Promise<void>;
  artifacts(): Promise<Record<string, string>>;
}

/** A temporary project of `doc` (the tiny experiment by default), its CLI seeing `env`. */
export async function project(
  doc: object = tiny,
  env: Readonly<Record<string, string>> = {},
): Promise<Project> {
  const root = await Deno.makeTempDir({ prefix: "psinv-sweep-" });
  await Deno.writeTextFile(`${root}/params.json`, JSON.stringify(doc, null, 2));
  const files = async (dir: string, prefix = ""): Promise<Record<string, string>> => {
    const out: Record<string, string> = {};
    for await (const e of Deno.readDir(dir)) {
      const rel = `${prefix}${e.name}`;
      if (e.isDirectory) Object.assign(out, await files(`${dir}/${e.name}`, `${rel}/`));
      // run.json, the timeline and the provenance record hold times; the rest must repeat exactly.
      else if (!/^(run|provenance)\.json$|^provenance\.js$|^timeline\.svg$/.test(rel)) {
        out[rel] = await Deno.readTextFile(`${dir}/${e.name}`);
      }
    }
    return out;
  };
  return {
    root,
    async run(...args) {
      let err = "";
      const code = await main(args, experiment, {
        root,
        out: () => {},
        err: (t) => (err += t),
        terminal: false,
        env: (name) => env[name],
      });
      return { code, err };
    },
    async executed() {
      const r = JSON.parse(await Deno.readTextFile(`${root}/artifacts/run.json`));
      return r.stages.filter((s: { status: string }) => s.status === "executed")
        .map((s: { id: string }) => s.id).sort();
    },
    async edit(change) {
      const doc = JSON.parse(await Deno.readTextFile(`${root}/params.json`));
      change(doc);
      await Deno.writeTextFile(`${root}/params.json`, JSON.stringify(doc, null, 2));
    },
    artifacts: () => files(`${root}/artifacts`),
  };
}
