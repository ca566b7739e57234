/**
 * How the SLURM executor groups ready stages into jobs (as Snakemake groups jobs): the `--batch`
 * policy (stages per job, or seconds of work per job), the split of pending stages into batches,
 * and a batch's job request — a worker pool as wide as the node allows, with the CPUs, memory and
 * time its stages need. Pure functions, so every rule is checked without a cluster.
 *
 * @module
 */
import {
  err,
  formatTimeLimit,
  ok,
  parseMemory,
  parseTimeLimit,
  type Result,
  type StageResources,
} from "../core/mod.ts";

/** How many stages one SLURM job runs: a count, or a target of seconds of work. */
export type BatchPolicy =
  | { readonly kind: "stages"; readonly stages: number }
  | { readonly kind: "seconds"; readonly seconds: number };

/**
 * `--batch` when not given: about two minutes of work per job, so that small stages do not each
 * pay a job's scheduling and start-up, and a cluster's queue sees few jobs.
 */
export const DEFAULT_BATCH: BatchPolicy = { kind: "seconds", seconds: 120 };

/** The guess for a stage with no recorded duration (none stored, none seen in this run). */
export const UNKNOWN_STAGE_SECONDS = 1;

/** A job's worker pool never runs more stages at once than this, however large the node. */
export const MAX_WIDTH = 8;

/** Added to a batch's time request: Deno's start-up and the loading of modules in workers. */
export const TIME_MARGIN_SECONDS = 60;

/** What the executor knows of the nodes a job may land on (the smallest of the partition). */
export interface NodeShape {
  readonly cpus: number;
  /** Memory in MB, when known. */
  readonly memMb?: number;
  /** The partition's time limit in seconds, when it has one. */
  readonly maxTimeSeconds?: number;
}

/**
 * Parses a `--batch` value: a whole number of stages per job (`1` keeps one stage per job), or
 * seconds of work per job with a unit (`30s`, `2m`, `1h`).
 *
 * @example
 * ```ts
 * import { parseBatch } from "./batch.ts";
 * parseBatch("20"); // { ok: true, value: { kind: "stages", stages: 20 } }
 * parseBatch("2m"); // { ok: true, value: { kind: "seconds", seconds: 120 } }
 * ```
 */
export function parseBatch(text: string): Result<BatchPolicy, string> {
  const t = text.trim();
  if (/^\d{1,6}$/.test(t) && Number(t) >= 1) return ok({ kind: "stages", stages: Number(t) });
  const m = /^(\d{1,6}(?:\.\d+)?)\s*(s|m|h)$/.exec(t);
  if (m && Number(m[1]) > 0) {
    const scale = { s: 1, m: 60, h: 3600 }[m[2] as "s" | "m" | "h"];
    return ok({ kind: "seconds", seconds: Number(m[1]) * scale });
  }
  return err(
    `must be a number of stages per job (e.g. 20; 1 for one stage per job) or seconds of ` +
      `work per job (e.g. 30s, 2m, 1h), got "${text}"`,
  );
}

/** A batch's SLURM request: how many stages its pool runs at once, and what it asks for. */
export interface JobRequest {
  /** Stages the job's worker pool runs at once. */
  readonly width: number;
  /** CPUs (pool width × each stage's), memory (likewise) and time (rounds × stage limit). */
  readonly resources: StageResources;
}

/**
 * The widest pool a node fits for stages asking `resources` each: its CPUs and memory divided
 * by one stage's, at most {@linkcode MAX_WIDTH}, at least 1.
 */
export function maxWidth(resources: StageResources, node: NodeShape): number {
  const cpus = resources.cpus ?? 1;
  const mem = resources.mem === undefined ? undefined : parseMemory(resources.mem);
  const byMem = mem === undefined || node.memMb === undefined
    ? MAX_WIDTH
    : Math.floor(node.memMb / mem);
  return Math.max(1, Math.min(MAX_WIDTH, Math.floor(node.cpus / cpus), byMem));
}

/**
 * The most stages one batch may hold so that its time request stays within the partition's
 * limit (unbounded without a stage limit or a partition limit).
 */
export function maxStages(resources: StageResources, node: NodeShape): number {
  const limit = resources.time === undefined ? undefined : parseTimeLimit(resources.time);
  if (limit === undefined || node.maxTimeSeconds === undefined) return Number.POSITIVE_INFINITY;
  const rounds = Math.floor((node.maxTimeSeconds - TIME_MARGIN_SECONDS) / limit);
  return Math.max(1, rounds * maxWidth(resources, node));
}

/**
 * The request of a job running `count` stages that each ask `resources`: the pool is as wide as
 * the node allows (and no wider than the batch); each stage keeps its own time limit inside the
 * job, so the job's limit covers the rounds of the pool plus a start-up margin.
 *
 * @example
 * ```ts
 * import { jobRequest } from "./batch.ts";
 * jobRequest({ time: "10", mem: "1G", cpus: 1 }, 5, { cpus: 2 });
 * // { width: 2, resources: { time: "0:31:00", mem: "2048M", cpus: 2 } }
 * ```
 */
export function jobRequest(
  resources: StageResources,
  count: number,
  node: NodeShape,
): JobRequest {
  const width = Math.max(1, Math.min(count, maxWidth(resources, node)));
  const out: { time?: string; mem?: string; cpus?: number } = {};
  const limit = resources.time === undefined ? undefined : parseTimeLimit(resources.time);
  if (limit !== undefined) {
    out.time = formatTimeLimit(Math.ceil(count / width) * limit + TIME_MARGIN_SECONDS);
  }
  const mem = resources.mem === undefined ? undefined : parseMemory(resources.mem);
  if (mem !== undefined) out.mem = width === 1 ? resources.mem!.trim() : `${width * mem}M`;
  if (resources.cpus !== undefined || width > 1) out.cpus = width * (resources.cpus ?? 1);
  return { width, resources: out };
}

/** Batches ready to submit, and the stages left over for a later, fuller batch. */
export interface Split<T> {
  readonly full: T[][];
  readonly rest: T[];
}

/**
 * Cuts stages (in order) into full batches: a batch is full at the policy's count of stages, or
 * once its estimated seconds reach the policy's target, or at `cap` stages. What does not fill
 * a batch is left over.
 *
 * @example
 * ```ts
 * import { splitBatches } from "./batch.ts";
 * splitBatches([1, 2, 3, 4, 5], (s) => s, { kind: "seconds", seconds: 5 }, Infinity);
 * // { full: [[1, 2, 3], [4, 5]], rest: [] }
 * ```
 */
export function splitBatches<T>(
  items: readonly T[],
  seconds: (item: T) => number,
  policy: BatchPolicy,
  cap: number,
): Split<T> {
  const full: T[][] = [];
  let current: T[] = [];
  let sum = 0;
  for (const item of items) {
    current.push(item);
    sum += seconds(item);
    const done = policy.kind === "stages" ? current.length >= policy.stages : sum >= policy.seconds;
    if (done || current.length >= cap) {
      full.push(current);
      current = [];
      sum = 0;
    }
  }
  return { full, rest: current };
}

/**
 * Cuts every stage (in order) into as few batches as the policy allows, of about equal work:
 * used when nothing running can add stages to wait for, so no batch is left nearly empty.
 *
 * @example
 * ```ts
 * import { balanceBatches } from "./batch.ts";
 * balanceBatches([1, 1, 1, 1, 1, 1], (s) => s, { kind: "stages", stages: 4 }, Infinity);
 * // [[1, 1, 1], [1, 1, 1]]
 * ```
 */
export function balanceBatches<T>(
  items: readonly T[],
  seconds: (item: T) => number,
  policy: BatchPolicy,
  cap: number,
): T[][] {
  if (items.length === 0) return [];
  const weight = policy.kind === "stages" ? () => 1 : seconds;
  const target = policy.kind === "stages" ? policy.stages : policy.seconds;
  const total = items.reduce((s, item) => s + weight(item), 0);
  for (let k = Math.max(1, Math.ceil(total / target)); k <= items.length; k++) {
    const out: T[][] = [];
    let current: T[] = [];
    let sum = 0;
    for (const item of items) {
      current.push(item);
      sum += weight(item);
      if (out.length < k - 1 && sum >= (total * (out.length + 1)) / k) {
        out.push(current);
        current = [];
      }
    }
    if (current.length > 0) out.push(current);
    if (out.every((b) => b.length <= cap)) return out;
  }
  return items.map((item) => [item]);
}

/** What {@linkcode planBatches} needs of a pending stage. */
export interface Waiting {
  /** When it became ready (ms since the epoch). */
  readonly since: number;
  readonly resources: StageResources;
}

/** A batch to send now: its stages, their resources as one key, and its job's request. */
export interface Planned<T> {
  readonly group: string;
  readonly tasks: T[];
  readonly request: JobRequest;
}

/** Options of {@linkcode planBatches}. */
export interface PlanOptions<T> {
  readonly policy: BatchPolicy;
  readonly node: NodeShape;
  /** A stage's estimated seconds of work. */
  readonly seconds: (item: T) => number;
  /** Whether jobs of the run are in flight (they may make more stages ready). */
  readonly busy: boolean;
  /** The clock (ms since the epoch). */
  readonly now: number;
  /** How long a stage may be held back waiting for company (ms). */
  readonly holdMs: number;
}

/**
 * Groups pending stages by their resources and decides which batches go now. Full batches
 * always go. A group with enough work for a batch goes whole (in balanced batches) once no job
 * is in flight; a group too small for one is held while other work runs or is sent now, as it
 * may gain company from the stages that work makes ready; when nothing at all is running or sent
 * everything goes; nothing is held longer than `holdMs`.
 *
 * @example
 * ```ts
 * import { planBatches } from "./batch.ts";
 * const stage = (since: number) => ({ since, resources: {} });
 * const r = planBatches([stage(0), stage(0)], { policy: { kind: "stages", stages: 5 },
 *   node: { cpus: 2 }, seconds: () => 1, busy: true, now: 10, holdMs: 1000 });
 * [r.plans.length, r.held.length]; // [0, 2]
 * ```
 */
export function planBatches<T extends Waiting>(
  pending: readonly T[],
  o: PlanOptions<T>,
): { plans: Planned<T>[]; held: T[] } {
  const groups = new Map<string, T[]>();
  for (const t of pending) {
    const key = JSON.stringify(t.resources);
    groups.set(key, [...(groups.get(key) ?? []), t]);
  }
  const cuts = [...groups].map(([group, items]) => {
    const resources = items[0]!.resources;
    const cap = maxStages(resources, o.node);
    return { group, items, resources, cap, split: splitBatches(items, o.seconds, o.policy, cap) };
  });
  const anyFull = cuts.some((c) => c.split.full.length > 0);
  const plans: Planned<T>[] = [];
  const held: T[] = [];
  for (const c of cuts) {
    const expired = o.now - Math.min(...c.items.map((t) => t.since)) >= o.holdMs;
    const whole = expired || (!o.busy && (c.split.full.length > 0 || !anyFull));
    const batches = whole ? balanceBatches(c.items, o.seconds, o.policy, c.cap) : c.split.full;
    if (!whole) held.push(...c.split.rest);
    for (const tasks of batches) {
      plans.push({ group: c.group, tasks, request: jobRequest(c.resources, tasks.length, o.node) });
    }
  }
  return { plans, held };
}
