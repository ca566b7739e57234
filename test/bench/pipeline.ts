/**
 * The pipeline scenario: `stages/main.ts reproduce` in temporary copies of the project (the
 * user's store and artifacts are never touched), cold, warm, after one change, from a remote the
 * cold run filled, extended to twice the epochs against a copy cold at twice the epochs, and
 * `--decide` twice; the cold run against its ideal (`coldOverIdeal`: wall ÷ (the executed
 * stages' work ÷ cores)), with the critical path of the cold run's `timeline.svg`.
 *
 * @module
 */
import { join } from "node:path";
import { artifactsDir, timelineSvgFile } from "../../pipeline/core/layout.ts";
import { copyProject, loadParams, root, round, type ScenarioResult } from "./_shared.ts";

/** One `reproduce` of the pipeline copy. */
export interface PipelineRun {
  readonly label: string;
  readonly args: readonly string[];
  /** Wall seconds from spawning Deno to its exit. */
  readonly seconds: number;
  readonly exitCode: number;
  readonly executed: readonly string[];
  /** Seconds of work of the executed `train/*` stages, summed. */
  readonly trainingSeconds: number;
  /** Seconds of work of all executed stages, summed. */
  readonly workSeconds: number;
  /** Rounds of `reproduce --decide` (0 for a plain run). */
  readonly rounds: number;
}

async function reproduce(
  copy: string,
  label: string,
  extra: string[],
  env: Record<string, string> = {},
): Promise<PipelineRun> {
  const args = ["run", "-A", "stages/main.ts", "reproduce", "--json", ...extra];
  const t0 = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: copy,
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const seconds = (performance.now() - t0) / 1000;
  // The event stream, not run.json: `--decide` runs several rounds, run.json holds the last.
  const events = new TextDecoder().decode(out.stdout).split("\n").flatMap((line) => {
    try {
      return [JSON.parse(line) as { kind: string; stage?: string; seconds?: number }];
    } catch {
      return [];
    }
  });
  const ran = events.filter((e) => e.kind === "stage-executed");
  const total = (list: typeof ran) => list.reduce((sum, e) => sum + (e.seconds ?? 0), 0);
  if (!out.success) {
    console.error(
      `bench: reproduce (${label}) exited ${out.code}: ${
        new TextDecoder().decode(out.stderr).slice(-1500)
      }`,
    );
  }
  return {
    label,
    args: ["reproduce", "--json", ...extra],
    seconds,
    exitCode: out.code,
    executed: ran.map((e) => e.stage ?? ""),
    trainingSeconds: total(ran.filter((e) => e.stage?.startsWith("train/"))),
    workSeconds: total(ran),
    rounds: events.filter((e) => e.kind === "decide-round").length,
  };
}

/**
 * The whole pipeline in temporary copies: cold, warm, after one change, from a remote the cold
 * run filled, extended to twice the epochs (continuing the stored trainings) and cold at twice the
 * epochs; whether the extended and the cold `metrics.csv` are the same bytes.
 */
async function benchPipeline(): Promise<
  { runs: PipelineRun[]; extendedMetricsSame: boolean; coldTimeline: TimelineFacts }
> {
  const copy = await Deno.makeTempDir({ prefix: "psinv-bench-pipeline-" });
  const longer = await Deno.makeTempDir({ prefix: "psinv-bench-longer-" });
  const fresh = await Deno.makeTempDir({ prefix: "psinv-bench-fresh-" });
  const remote = await Deno.makeTempDir({ prefix: "psinv-bench-remote-" });
  const keys = await Deno.makeTempDir({ prefix: "psinv-bench-key-" });
  try {
    await copyProject(root, copy);
    await Deno.mkdir(join(copy, "artifacts"), { recursive: true });
    const cold = await reproduce(copy, "cold (empty store)", []);
    const coldTimeline = timelineFacts(
      await Deno.readTextFile(timelineSvgFile(artifactsDir(copy))).catch(() => ""),
    );
    const warm = await reproduce(copy, "warm (nothing changed)", []);
    const change = await reproduce(copy, "lam1.lambda = 2", ["--set", "configs.lam1.lambda=2"]);
    // Share the cold results, then reproduce in a copy that has only the remote.
    const env = { PSINV_SIGNING_KEY: join(keys, "signing_key.json") };
    const url = `file://${remote}`;
    for (const args of [["trust", "--name", "bench"], ["push", "--remote", url]]) {
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "stages/main.ts", ...args],
        cwd: copy,
        env,
        stdout: "null",
        stderr: "piped",
      }).output();
      if (!out.success) {
        console.error(`bench: ${args[0]} failed: ${new TextDecoder().decode(out.stderr)}`);
      }
    }
    await copyProject(copy, fresh);
    await Deno.mkdir(join(fresh, "artifacts"), { recursive: true });
    const shared = await reproduce(fresh, "fresh copy, from a remote", ["--remote", url], env);
    // Twice the epochs: continuing the cold run's trainings, against a copy that has none.
    const epochs = ["--set", `training.epochs=${2 * (await loadParams()).training.epochs}`];
    const extend = await reproduce(copy, `extend to ${epochs[1]!.split("=")[1]} epochs`, epochs);
    await copyProject(root, longer);
    await Deno.mkdir(join(longer, "artifacts"), { recursive: true });
    const coldLonger = await reproduce(longer, "  cold at that many", epochs);
    const metrics = (dir: string) => Deno.readFile(join(dir, "artifacts", "metrics.csv"));
    const same = String(await metrics(copy)) === String(await metrics(longer));
    // Every claim decided (or at its cap) in rounds from the cold run's store, then again.
    const decide = await reproduce(copy, "--decide", ["--decide"]);
    const decideAgain = await reproduce(copy, "--decide again", ["--decide"]);
    return {
      runs: [cold, warm, change, shared, extend, coldLonger, decide, decideAgain],
      extendedMetricsSame: same,
      coldTimeline,
    };
  } finally {
    for (const dir of [copy, fresh, remote, keys, longer]) {
      await Deno.remove(dir, { recursive: true });
    }
  }
}

/** What the bench reads back from a run's `timeline.svg`: its lanes and its critical path. */
interface TimelineFacts {
  readonly lanes: number;
  readonly criticalSeconds: number;
}

/** The lanes and the critical path's seconds of a `timeline.svg`, from its bars' attributes. */
function timelineFacts(svg: string): TimelineFacts {
  const bars = [...svg.matchAll(/<g class="bar" ([^>]*)>/g)].map((m) => {
    const attr = (name: string) => new RegExp(`data-${name}="([^"]*)"`).exec(m[1]!)?.[1];
    return {
      lane: attr("lane"),
      seconds: Number(attr("end")) - Number(attr("start")),
      attrs: m[1]!,
    };
  });
  const critical = bars.filter((b) => b.attrs.includes('data-critical="true"'));
  return {
    lanes: new Set(bars.map((b) => b.lane)).size,
    criticalSeconds: round(critical.reduce((sum, b) => sum + b.seconds, 0), 2),
  };
}

/** The pipeline scenario, its part of bench.json and its lines. */
export async function benchPipelineScenario(cores: number): Promise<ScenarioResult> {
  const { runs, extendedMetricsSame, coldTimeline } = await benchPipeline();
  const cold = runs[0]!;
  const extendOverCold = runs[4]!.seconds / runs[5]!.seconds;
  const ideal = cold.trainingSeconds / cores;
  // The cold run against its ideal: all executed stages' work spread evenly over the cores.
  const coldOverIdeal = cold.seconds / (cold.workSeconds / cores);
  const json = {
    runs: runs.map((r) => ({
      label: r.label,
      args: r.args,
      seconds: round(r.seconds, 2),
      exitCode: r.exitCode,
      executedCount: r.executed.length,
      executed: r.executed,
      ...(r.rounds > 0 ? { rounds: r.rounds } : {}),
    })),
    coldTrainingSeconds: round(cold.trainingSeconds, 2),
    coldWorkSeconds: round(cold.workSeconds, 2),
    coldIdealSeconds: round(ideal, 2),
    remoteOverCold: round(runs[3]!.seconds / cold.seconds, 3),
    extendOverCold: round(extendOverCold, 3),
    extendedMetricsSame,
    coldOverIdeal: round(coldOverIdeal, 3),
    coldCriticalPathSeconds: coldTimeline.criticalSeconds,
    coldLanes: coldTimeline.lanes,
  };
  const lines = [
    "",
    "Pipeline (`reproduce` in a temporary copy, wall seconds including Deno's start)",
    ...runs.map((r) =>
      `  ${r.label.padEnd(24)}${r.seconds.toFixed(2).padStart(8)} s   ${
        String(r.executed.length).padStart(3)
      } stages executed${r.exitCode === 0 ? "" : ` (exit ${r.exitCode})`}${
        r === runs[2] ? ": " + r.executed.join(", ") : ""
      }`
    ),
    `  cold: training work ${cold.trainingSeconds.toFixed(2)} s ÷ ${cores} cores = ${
      ideal.toFixed(2)
    } s (all stages' work ${cold.workSeconds.toFixed(2)} s ÷ ${cores} = ${
      (cold.workSeconds / cores).toFixed(2)
    } s)`,
    `  from a remote ÷ cold: ${(runs[3]!.seconds / cold.seconds).toFixed(3)} (target < 0.25, ` +
    `nothing executed)`,
    `  extend ÷ cold at twice the epochs: ${extendOverCold.toFixed(3)} (target ≤ 0.65); ` +
    `metrics.csv ${extendedMetricsSame ? "identical" : "DIFFERS"}`,
    `  --decide: ${runs[6]!.rounds} rounds, ${runs[6]!.executed.length} stages executed; ` +
    `again: ${runs[7]!.executed.length} executed (target 0)`,
    `  cold: ${cold.seconds.toFixed(1)} s (target < 90 s on 2 cores); ÷ its ideal (all stages' ` +
    `work ÷ ${cores} cores): ${coldOverIdeal.toFixed(2)}; critical path ${
      coldTimeline.criticalSeconds.toFixed(1)
    } s on ${coldTimeline.lanes} lanes (artifacts/timeline.svg of the cold copy)`,
  ];
  return { json, lines };
}
