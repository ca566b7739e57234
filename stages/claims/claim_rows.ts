/**
 * Which rows each claim reads, found by their settings (never by name), and the replicates those
 * rows are trained on: a claim compares its rows run by run (paired by seed and draw), so its
 * rows share one replicate design, raised until it holds `statistics.minRuns` paired runs, or the
 * seeds per draw that `reproduce --decide` asked for (`statistics.claimSeeds`). Both the graph
 * (stages/pipeline.ts) and the `claims` stage derive the rows from here, so they agree.
 *
 * @module
 */
import type { ReplicateGroup } from "../design.ts";
import { parameterCount } from "../model/architecture.ts";
import { activationLabel } from "../activations.ts";
import { CLAIM_IDS, type ClaimId, type StatisticsParams } from "../params_schema.ts";

/** A configuration (or cell) as the claims see it: its settings and its replicates. */
export interface ClaimSubject {
  readonly id: string;
  readonly lambda: number;
  readonly mu: number;
  readonly activation: string;
  /** Hidden widths; the default network's when absent. */
  readonly layers?: readonly number[];
  /** Seeds per draw and draws it is trained on; absent where only settings matter. */
  readonly seeds?: number;
  readonly draws?: number;
}

/** What selecting the claims' rows needs. */
export interface SubjectOptions {
  /** The configurations the post's claims use: those of `configs` with the default network. */
  readonly subjects: readonly ClaimSubject[];
  /**
   * Every row (configurations and sweep cells) with its network, for the claims about the
   * network; `subjects` when absent.
   */
  readonly rows?: readonly ClaimSubject[];
  /** The default network's hidden widths (`training.layers`); [30, 30] when absent. */
  readonly layers?: readonly number[];
}

/**
 * The subjects of the design's rows (design.ts, before any claim raised their replicates): the
 * post's claims read the configurations with the default network, those about the network every
 * row.
 */
export function subjectsOf(
  rows: readonly (ClaimSubject & { readonly layers: readonly number[] })[],
  configs: Readonly<Record<string, unknown>>,
  layers: readonly number[],
): SubjectOptions {
  return {
    subjects: rows.filter((r) => Object.hasOwn(configs, r.id) && sameLayers(r.layers, layers)),
    rows,
    layers,
  };
}

/** The rows a claim's verdict reads, or why it has none. */
export type ClaimRows = { readonly rows: readonly ClaimSubject[] } | { readonly missing: string };

/** The post's network. */
export const POST_LAYERS = [30, 30] as const;

const sameLayers = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((w, i) => w === b[i]);

export const weights = (s: Pick<ClaimSubject, "lambda" | "mu">): string =>
  s.lambda === s.mu ? `λ = μ = ${s.lambda}` : `λ = ${s.lambda}, μ = ${s.mu}`;

/** A subject's hidden widths. */
export const layersOf = (o: SubjectOptions, s: ClaimSubject): readonly number[] =>
  s.layers ?? o.layers ?? POST_LAYERS;

export function find(
  o: SubjectOptions,
  lambda: number,
  mu: number,
  activation: string,
): ClaimSubject | undefined {
  return o.subjects.find((c) => c.lambda === lambda && c.mu === mu && c.activation === activation);
}

/** The ReLU configurations with λ = μ > 0, by λ, one per level. */
export function trendLevels(o: SubjectOptions): ClaimSubject[] {
  return o.subjects
    .filter((c) => c.lambda === c.mu && c.lambda > 0 && c.activation === "relu")
    .toSorted((a, b) => a.lambda - b.lambda)
    .filter((c, i, all) => i === 0 || all[i - 1]!.lambda !== c.lambda);
}

/** The unconstrained ReLU rows, one per network (the first that has it), smallest first. */
export function freeNetworks(o: SubjectOptions): ClaimSubject[] {
  const free = (o.rows ?? o.subjects).filter((s) =>
    s.lambda === 0 && s.mu === 0 && s.activation === "relu"
  );
  return free.filter((s, i) =>
    free.findIndex((t) => sameLayers(layersOf(o, t), layersOf(o, s))) === i
  ).toSorted((a, b) => parameterCount(layersOf(o, a)) - parameterCount(layersOf(o, b)));
}

function pair(
  o: SubjectOptions,
  a: readonly [number, number, string],
  b: readonly [number, number, string],
): ClaimRows {
  const sa = find(o, ...a), sb = find(o, ...b);
  if (sa === undefined || sb === undefined) {
    const [l, m, x] = sa === undefined ? a : b;
    return {
      missing: `no configuration with ${weights({ lambda: l, mu: m })}, ${activationLabel(x)}`,
    };
  }
  return { rows: [sa, sb] };
}

function atHundred(o: SubjectOptions): ClaimRows {
  const s = find(o, 100, 100, "relu");
  return s === undefined ? { missing: "no configuration with λ = μ = 100, ReLU" } : { rows: [s] };
}

function largerNetwork(o: SubjectOptions): ClaimRows {
  const networks = freeNetworks(o);
  const post = networks.find((s) => sameLayers(layersOf(o, s), POST_LAYERS));
  const largest = networks.at(-1);
  if (post === undefined) {
    return { missing: "no unconstrained ReLU row with hidden layers [30, 30]" };
  }
  if (
    largest === undefined || parameterCount(layersOf(o, largest)) <= parameterCount(POST_LAYERS)
  ) {
    return { missing: "no unconstrained ReLU row with a larger network (a sweep of layers)" };
  }
  return { rows: [largest, post] };
}

/**
 * The rows each claim's verdict reads (the first is the claim's own subject where order
 * matters: the larger network before the post's, `a` before `b` of a difference `a − b`).
 *
 * @example
 * ```ts
 * import { claimRows } from "./claim_rows.ts";
 * const rows = claimRows({ subjects: [{ id: "lam100", lambda: 100, mu: 100, activation: "relu" }] });
 * rows["misses-trend"]; // { rows: [{ id: "lam100", lambda: 100, mu: 100, activation: "relu" }] }
 * ```
 */
export function claimRows(o: SubjectOptions): Record<ClaimId, ClaimRows> {
  const levels = trendLevels(o);
  const trend: ClaimRows = levels.length < 3
    ? { missing: "fewer than three ReLU configurations with λ = μ > 0 in params.json" }
    : { rows: levels };
  return {
    "fit-rises": trend,
    "inversion-falls": trend,
    "nearly-linear": atHundred(o),
    "unconstrained-fits-best": pair(o, [0, 0, "relu"], [0.01, 0.01, "relu"]),
    "silu-fits-better": pair(o, [0, 0, "silu"], [0, 0, "relu"]),
    "too-simple": largerNetwork(o),
    "misses-trend": atHundred(o),
    // Its runs are a search's and its sweep's: search_claim.ts, raised by pipeline.ts.
    "search-front": { missing: "it is decided from a search's runs, not from rows" },
  };
}

/** A claim's replicate design: the seeds per draw of each look, and the draws. */
export interface ClaimDesign {
  /** Data draws its rows share (the most any of them has). */
  readonly draws: number;
  /** Seeds per draw before `--decide` adds any: enough for `statistics.minRuns` runs. */
  readonly startSeeds: number;
  /** Seeds per draw now (`statistics.claimSeeds` may raise them). */
  readonly seeds: number;
}

/**
 * The replicate design of a claim whose rows are given: its rows' most draws and seeds, the seeds
 * raised to reach `minRuns` paired runs, then to `claimSeeds[id]`.
 */
export function claimDesign(
  id: ClaimId,
  rows: readonly ClaimSubject[],
  statistics: Pick<StatisticsParams, "minRuns" | "claimSeeds">,
): ClaimDesign {
  const draws = Math.max(...rows.map((r) => r.draws ?? 1));
  const startSeeds = Math.max(
    ...rows.map((r) => r.seeds ?? 1),
    Math.ceil(statistics.minRuns / draws),
  );
  return { draws, startSeeds, seeds: Math.max(startSeeds, statistics.claimSeeds?.[id] ?? 0) };
}

/**
 * The replicate groups the claims ask of the design (design.ts): each claim's rows trained on its
 * {@linkcode claimDesign}.
 *
 * @example
 * ```ts
 * import { claimGroups } from "./claim_rows.ts";
 * const lam100 = { id: "lam100", lambda: 100, mu: 100, activation: "relu", seeds: 5, draws: 3 };
 * claimGroups({ subjects: [lam100] }, { minRuns: 15, claimSeeds: { "misses-trend": 10 } });
 * // [{ rows: ["lam100"], seeds: 5, draws: 3 }, { rows: ["lam100"], seeds: 10, draws: 3 }]
 * ```
 */
export function claimGroups(
  o: SubjectOptions,
  statistics: Pick<StatisticsParams, "minRuns" | "claimSeeds">,
): ReplicateGroup[] {
  const all = claimRows(o);
  return CLAIM_IDS.flatMap((id) => {
    const found = all[id];
    if (!("rows" in found)) return [];
    const d = claimDesign(id, found.rows, statistics);
    return [{ rows: found.rows.map((r) => r.id), seeds: d.seeds, draws: d.draws }];
  });
}
