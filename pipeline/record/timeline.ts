/**
 * Where a run's time went, as data: one bar per stage that ran, on the lane of the executor it ran
 * on (a worker of the local pool, a SLURM job's worker), from the times `run.json` records; each
 * bar knows its stage's family, and the bars of the critical path — the chain through the
 * dependency graph whose executed durations add up to the most — are marked. `timeline_svg.ts`
 * draws it, as Nextflow's `-with-timeline` draws a run's tasks.
 *
 * Cached and skipped stages took no executor time and get no bar. A stage that ran without its
 * executor naming a lane is put on the first `other <n>` lane free at its start, so that no two
 * bars of one lane overlap either way.
 *
 * @module
 */
import { stageFamily } from "../core/mod.ts";
import type { RunReport } from "./run_report.ts";

/** One stage that ran, placed on its lane. */
export interface TimelineBar {
  readonly stage: string;
  readonly family: string;
  readonly lane: string;
  /** Seconds from the run's start. */
  readonly start: number;
  readonly end: number;
  readonly status: "executed" | "failed" | "interrupted";
  /** Whether it lies on the critical path. */
  readonly critical: boolean;
}

/** A run laid out in time. */
export interface Timeline {
  /** When the run began (ISO 8601), and its wall seconds. */
  readonly started: string;
  readonly seconds: number;
  /** Every lane with a bar, in natural order (`worker 2` before `worker 10`). */
  readonly lanes: readonly string[];
  /** The families of the bars, in order of first start: the order of their colours. */
  readonly families: readonly string[];
  /** By start. */
  readonly bars: readonly TimelineBar[];
  /** The critical path's stages, first to last, and the seconds its bars add up to. */
  readonly critical: { readonly stages: readonly string[]; readonly seconds: number };
  /** Seconds of all bars, added up: the run's work on the executor. */
  readonly work: number;
  /** Stages that were cached (no bar). */
  readonly cached: number;
}

/**
 * Lays out a run report in time; `inputs` gives each stage's input stage ids (the graph's edges).
 * The report's stages come in the run's order, inputs first (as `reproduce` records them).
 *
 * @example
 * ```ts
 * import { timeline } from "./timeline.ts";
 * const t0 = "2024-01-01T00:00:00.000Z";
 * const bar = (id: string, lane: string, from: number, to: number) => ({
 *   id, status: "executed" as const, key: id, seconds: to - from, started: t0, finished: t0,
 *   execution: { lane, started: new Date(from * 1000).toISOString(), finished: new Date(to * 1000).toISOString() },
 * });
 * const t = timeline(
 *   { started: new Date(0).toISOString(), seconds: 6, stages: [bar("a", "worker 1", 0, 1), bar("b/x", "worker 1", 1, 6), bar("c", "worker 2", 0, 3)] },
 *   (id) => (id === "b/x" ? ["a"] : []),
 * );
 * t.critical; // { stages: ["a", "b/x"], seconds: 6 }
 * t.families; // ["a", "c", "b/*"]
 * ```
 */
export function timeline(report: RunReport, inputs: (id: string) => readonly string[]): Timeline {
  const t0 = Date.parse(report.started);
  const at = (iso: string): number => (Date.parse(iso) - t0) / 1000;
  const placed: Omit<TimelineBar, "critical">[] = [];
  const unnamed: { stage: string; start: number; end: number; status: TimelineBar["status"] }[] =
    [];
  for (const s of report.stages) {
    if (s.status !== "executed" && s.status !== "failed" && s.status !== "interrupted") continue;
    if (s.execution !== undefined) {
      placed.push({
        stage: s.id,
        family: stageFamily(s.id),
        lane: s.execution.lane,
        start: at(s.execution.started),
        end: at(s.execution.finished),
        status: s.status,
      });
    } else if (s.status === "executed") {
      unnamed.push({ stage: s.id, start: at(s.started), end: at(s.finished), status: s.status });
    }
  }
  // First fit: a stage without a lane takes the first `other <n>` free at its start.
  const free: number[] = [];
  for (const u of unnamed.sort((a, b) => a.start - b.start)) {
    let n = free.findIndex((end) => end <= u.start);
    if (n < 0) n = free.push(0) - 1;
    free[n] = u.end;
    placed.push({ ...u, family: stageFamily(u.stage), lane: `other ${n + 1}` });
  }
  placed.sort((a, b) => a.start - b.start || a.stage.localeCompare(b.stage));

  const path = criticalPath(report, placed, inputs);
  const onPath = new Set(path.stages);
  const bars = placed.map((b) => ({ ...b, critical: onPath.has(b.stage) }));
  const natural = new Intl.Collator("en", { numeric: true });
  return {
    started: report.started,
    seconds: report.seconds,
    lanes: [...new Set(bars.map((b) => b.lane))].sort(natural.compare),
    families: [...new Set(bars.map((b) => b.family))],
    bars,
    critical: path,
    work: round(bars.reduce((sum, b) => sum + (b.end - b.start), 0)),
    cached: report.stages.filter((s) => s.status === "cached").length,
  };
}

/**
 * The chain of stages (each an input of the next) whose bars' durations add up to the most; a
 * stage without a bar counts 0 and is left out of the chain. Ties go to the input declared first.
 */
function criticalPath(
  report: RunReport,
  bars: readonly Omit<TimelineBar, "critical">[],
  inputs: (id: string) => readonly string[],
): Timeline["critical"] {
  const took = new Map(bars.map((b) => [b.stage, b.end - b.start]));
  const best = new Map<string, { total: number; previous?: string }>();
  for (const s of report.stages) {
    let previous: string | undefined;
    let total = 0;
    for (const input of inputs(s.id)) {
      const up = best.get(input);
      if (up !== undefined && up.total > total) [previous, total] = [input, up.total];
    }
    best.set(s.id, { total: total + (took.get(s.id) ?? 0), ...(previous ? { previous } : {}) });
  }
  let last: string | undefined;
  for (const [id, b] of best) if (last === undefined || b.total > best.get(last)!.total) last = id;
  const stages: string[] = [];
  for (let id = last; id !== undefined; id = best.get(id)!.previous) {
    if (took.has(id)) stages.unshift(id);
  }
  return { stages, seconds: last === undefined ? 0 : round(best.get(last)!.total) };
}

function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}
