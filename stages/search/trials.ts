/**
 * A search's trials: trial i is the i-th point of its seeded Halton sequence (halton.ts) mapped
 * onto its space, λ and μ on a log scale (3 significant digits, so that tables read cleanly),
 * the network picked from its lists. A trial is the same point however many trials start.
 *
 * @module
 */
import type { Activation } from "../activations.ts";
import type { SearchParams } from "../search_schema.ts";
import { replicateName } from "../design.ts";
import { haltonPoint, logScale, pick } from "./halton.ts";

/** One point of a search's space. */
export interface Trial {
  /** Its index in the search's sequence, from 0. */
  readonly index: number;
  readonly lambda: number;
  readonly mu: number;
  readonly layers: readonly number[];
  readonly activation: Activation;
}

/** Coordinates drawn per trial: λ, μ, layers, activation (μ's is drawn even when tied). */
const DIMS = 4;

/**
 * Trial `index` of a search.
 *
 * @example
 * ```ts
 * import { trialAt } from "./trials.ts";
 * const space = { lambda: { log: [0.001, 1000] }, mu: "lambda", layers: [[30, 30]], activation: ["relu"] } as const;
 * const t = trialAt({ space, seed: 0 } as never, 3);
 * t.mu === t.lambda; // true
 * ```
 */
export function trialAt(search: Pick<SearchParams, "space" | "seed">, index: number): Trial {
  const [uL, uM, uN, uA] = haltonPoint(index, DIMS, search.seed) as [
    number,
    number,
    number,
    number,
  ];
  const { space } = search;
  const round = (x: number) => Number(x.toPrecision(3));
  const lambda = round(logScale(uL, ...space.lambda.log));
  return {
    index,
    lambda,
    mu: space.mu === "lambda" ? lambda : round(logScale(uM, ...space.mu.log)),
    layers: pick(uN, space.layers),
    activation: pick(uA, space.activation),
  };
}

/**
 * The run id (`train/<run>`, `evaluate/<run>`) of a trial's replicate at a rung's epochs.
 *
 * @example
 * ```ts
 * import { trialRun } from "./trials.ts";
 * trialRun("front", 7, 150, 1, 0); // "search-front/t7/e150/s1-d0"
 * ```
 */
export function trialRun(
  search: string,
  trial: number,
  epochs: number,
  seed: number,
  draw: number,
): string {
  return `search-${search}/t${trial}/e${epochs}/${replicateName(seed, draw)}`;
}

/**
 * The name under which a search's stages read a trial's replicate: `t<i>/s<seed>-d<draw>`, with
 * the rung's epochs in front (`e<epochs>/…`) where several rungs are read at once.
 *
 * @example
 * ```ts
 * import { trialInput } from "./trials.ts";
 * trialInput(7, 1, 0); // "t7/s1-d0"
 * trialInput(7, 1, 0, 150); // "e150/t7/s1-d0"
 * ```
 */
export function trialInput(trial: number, seed: number, draw: number, epochs?: number): string {
  const name = `t${trial}/${replicateName(seed, draw)}`;
  return epochs === undefined ? name : `e${epochs}/${name}`;
}

/** Parses {@linkcode trialInput}'s names back: trial, seed, draw, and epochs when present. */
export function parseTrialInput(
  name: string,
): { trial: number; seed: number; draw: number; epochs?: number } | undefined {
  const m = /^(?:e(\d+)\/)?t(\d+)\/s(\d+)-d(\d+)$/.exec(name);
  if (!m) return undefined;
  return {
    trial: Number(m[2]),
    seed: Number(m[3]),
    draw: Number(m[4]),
    ...(m[1] === undefined ? {} : { epochs: Number(m[1]) }),
  };
}
