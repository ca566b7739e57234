/**
 * The engine on the toy pipeline (`test/testdata/toy/`), from a cold store: the per-stage
 * overhead (200 no-op stages with `--jobs 1`; target ≤ 20 ms each), and scale (5,000 stages: a
 * cold `reproduce`, then `status` and a warm `reproduce`, medians of 3, target ≤ 1 s each, and
 * the peak RSS of each process, target ≤ 300 MiB).
 *
 * @module
 */
import { join } from "node:path";
import {
  fmt,
  median,
  root,
  round,
  type ScenarioResult,
  type Timed,
  timed,
  wholeAtLeast1,
} from "./_shared.ts";

/** The toy pipeline's command line. */
const TOY_MAIN = join(root, "test", "testdata", "toy", "main.ts");

/** A toy project with `steps` per-configuration stages (plus the toy's six others). */
async function toyCopy(steps: number): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "psinv-bench-toy-" });
  const configs: Record<string, { k: number }> = {};
  for (let i = 0; i < steps; i++) configs[`c${i}`] = { k: i };
  const doc = JSON.parse(
    await Deno.readTextFile(join(root, "test", "testdata", "toy", "params.json")),
  );
  await Deno.writeTextFile(join(dir, "params.json"), JSON.stringify({ ...doc, configs }));
  return dir;
}

function toyRun(dir: string, args: readonly string[]): Promise<Timed> {
  return timed(Deno.execPath(), ["run", "-A", TOY_MAIN, ...args], {
    cwd: root,
    env: { TOY_ROOT: dir, NO_COLOR: "1" },
  });
}

/** What {@linkcode benchOverhead} measures. */
interface Overhead {
  readonly stages: number;
  readonly seconds: number;
  readonly msPerStage: number;
  /** CPU milliseconds per stage (all threads of the process). */
  readonly cpuMsPerStage: number | null;
  readonly exitCode: number;
}

/**
 * Per-stage overhead: the toy with `steps` one-line step stages (each reads a small file and
 * writes one), run cold with `--jobs 1`; wall time over every stage executed.
 */
async function benchOverhead(steps: number): Promise<Overhead> {
  const dir = await toyCopy(steps - 6);
  try {
    const r = await toyRun(dir, ["reproduce", "--jobs", "1"]);
    if (r.exitCode !== 0) console.error(`bench: overhead run failed: ${r.stderr.slice(-1500)}`);
    return {
      stages: steps,
      seconds: round(r.seconds, 2),
      msPerStage: round((r.seconds * 1000) / steps, 2),
      cpuMsPerStage: r.cpuSeconds === null ? null : round((r.cpuSeconds * 1000) / steps, 2),
      exitCode: r.exitCode,
    };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** One scale measurement: median wall seconds of `runs`, and the largest peak RSS seen. */
interface ScaleRun {
  readonly label: string;
  readonly seconds: number;
  readonly runs: readonly number[];
  readonly peakMiB: number | null;
  /** Median CPU seconds (user + system). */
  readonly cpuSeconds: number | null;
  readonly exitCode: number;
}

/** The engine at `stages` toy stages: cold reproduce, then status and warm reproduce, 3 each. */
async function benchScale(stages: number): Promise<{
  stages: number;
  cold: ScaleRun;
  status: ScaleRun;
  warm: ScaleRun;
}> {
  const dir = await toyCopy(stages - 6);
  const summary = (label: string, rs: Timed[]): ScaleRun => {
    const peaks = rs.map((r) => r.peakMiB).filter((m): m is number => m !== null);
    return {
      label,
      seconds: round(median(rs.map((r) => r.seconds)), 2),
      runs: rs.map((r) => round(r.seconds, 2)),
      peakMiB: peaks.length ? round(Math.max(...peaks), 0) : null,
      cpuSeconds: rs.every((r) => r.cpuSeconds !== null)
        ? round(median(rs.map((r) => r.cpuSeconds!)), 2)
        : null,
      exitCode: Math.max(...rs.map((r) => r.exitCode)),
    };
  };
  try {
    const cold = await toyRun(dir, ["reproduce"]);
    const status: Timed[] = [];
    const warm: Timed[] = [];
    // Interleaved, so that a burst of load on the shared machine spreads over both.
    for (let i = 0; i < 3; i++) {
      status.push(await toyRun(dir, ["status"]));
      warm.push(await toyRun(dir, ["reproduce"]));
    }
    return {
      stages,
      cold: summary("cold reproduce", [cold]),
      status: summary("status (warm store)", status),
      warm: summary("warm no-op reproduce", warm),
    };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** The overhead scenario, its part of bench.json and its lines. */
export async function benchOverheadScenario(): Promise<ScenarioResult> {
  const o = await benchOverhead(200);
  const lines = [
    "",
    `Per-stage overhead: ${o.stages} no-op toy stages, --jobs 1, cold store`,
    `  wall ${o.seconds.toFixed(2)} s (Deno start included) = ${
      o.msPerStage.toFixed(1)
    } ms per stage (target ≤ 20 ms); CPU ${fmt(o.cpuMsPerStage, 1)} ms per stage${
      o.exitCode === 0 ? "" : ` (exit ${o.exitCode})`
    }`,
  ];
  return { json: o, lines };
}

/** The scale scenario at `--scale-stages`, its part of bench.json and its lines. */
export async function benchScaleScenario(stagesOption: string): Promise<ScenarioResult> {
  const sc = await benchScale(wholeAtLeast1(stagesOption, "--scale-stages"));
  const lines = [
    "",
    `Scale: ${sc.stages} toy stages (wall seconds, peak RSS and CPU seconds of the process)`,
    ...[sc.cold, sc.status, sc.warm].map((r) =>
      `  ${r.label.padEnd(28)}${r.seconds.toFixed(2).padStart(7)} s${
        fmt(r.peakMiB, 0).padStart(7)
      } MiB   CPU ${fmt(r.cpuSeconds, 2)} s${
        r.runs.length > 1 ? `   runs ${r.runs.map((v) => v.toFixed(2)).join(" ")}` : ""
      }${r.exitCode === 0 ? "" : ` (exit ${r.exitCode})`}`
    ),
    "  targets: status and warm reproduce ≤ 1 s, peak RSS ≤ 300 MiB",
  ];
  return { json: sc, lines };
}
