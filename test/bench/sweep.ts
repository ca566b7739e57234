/**
 * Throughput at sweep scale: {@linkcode sweepScenario}'s trainings (train and evaluate each, no
 * figures) through `reproduce` from a cold store, against each peer's
 * `<peer>_sweep.py N <cores>` (training only; JAX's vmapped, start-up and compilation included),
 * in rounds whose order of sides turns; `sweep.ratio` and `sweep.jaxRatio` are ours ÷ theirs.
 *
 * @module
 */
import { join } from "node:path";
import {
  copyProject,
  fmt,
  median,
  type Params,
  root,
  round,
  type ScenarioResult,
  type Timed,
  timed,
} from "./_shared.ts";
import { type Peer, peerMissing } from "./peers.ts";

/** The λ = μ values of the post's five constrained configurations, cycled by the sweep. */
const SWEEP_LAMBDAS = [0.01, 0.1, 1, 10, 100] as const;

/**
 * The sweep's parameters: the post's five λ = μ values (ReLU) as five configurations, each
 * trained over `trainings / 5` seeds on data draw 0, and no λ × μ grid nor search over one:
 * `trainings` distinct trainings, each its own stage and key, as a researcher's seed sweep runs
 * them.
 */
export function sweepScenario(
  doc: Record<string, unknown>,
  trainings: number,
): Record<string, unknown> {
  if (trainings % SWEEP_LAMBDAS.length !== 0) {
    throw new Error(`--sweep-trainings must be a multiple of ${SWEEP_LAMBDAS.length}`);
  }
  const configs = Object.fromEntries(
    SWEEP_LAMBDAS.map((
      v,
      i,
    ) => [`sweep${i}`, { lambda: v, mu: v, activation: "relu", group: "equal" }]),
  );
  return {
    ...doc,
    configs,
    replicates: { seeds: trainings / SWEEP_LAMBDAS.length, draws: 1 },
    sweeps: {},
    searches: {},
  };
}

/** One side of the sweep: wall and CPU seconds per round, and their medians. */
interface SweepSide {
  readonly seconds: number;
  readonly cpuSeconds: number | null;
  readonly runs: readonly number[];
}

/** What {@linkcode benchSweep} measures. */
interface Sweep {
  readonly trainings: number;
  readonly rounds: number;
  readonly psinv: SweepSide & {
    executed: number;
    exitCode: number;
    peakMiB: number | null;
  };
  /** Each peer's side, or why it was not measured. */
  readonly peers: Readonly<Record<string, (SweepSide & { script: string; line: string }) | string>>;
  /** psinv ÷ each peer (null when a side failed or is missing). */
  readonly ratios: Readonly<Record<string, number | null>>;
  /** psinv ÷ PyTorch, and psinv ÷ JAX, as bench.json has always named them. */
  readonly ratio: number | null;
  readonly jaxRatio: number | null;
}

/**
 * Our side of one sweep round: `reproduce collect` (every train and evaluate, and the table of
 * every run's metrics; no figures) in a fresh temporary copy of the project with {@linkcode sweepScenario}'s
 * parameters, from an empty store.
 */
async function sweepOurs(trainings: number): Promise<Timed & { executed: number }> {
  const copy = await Deno.makeTempDir({ prefix: "psinv-bench-sweep-" });
  try {
    await copyProject(root, copy);
    await Deno.mkdir(join(copy, "artifacts"), { recursive: true });
    const doc = JSON.parse(await Deno.readTextFile(join(copy, "params.json")));
    await Deno.writeTextFile(
      join(copy, "params.json"),
      JSON.stringify(sweepScenario(doc, trainings), null, 2),
    );
    const ours = await timed(
      Deno.execPath(),
      ["run", "-A", "stages/main.ts", "reproduce", "collect", "--json"],
      { cwd: copy },
    );
    let executed = 0;
    try {
      const report = JSON.parse(await Deno.readTextFile(join(copy, "artifacts", "run.json"))) as {
        stages: { status: string }[];
      };
      executed = report.stages.filter((s) => s.status === "executed").length;
    } catch (e) {
      console.error(`bench: cannot read the sweep's run.json: ${(e as Error).message}`);
    }
    // With --json, the CLI's failure is a JSON line on standard output.
    if (ours.exitCode !== 0) {
      console.error(`bench: sweep failed: ${ours.stderr.slice(-1500)}${ours.stdout.slice(-1500)}`);
    }
    return { ...ours, executed };
  } finally {
    await Deno.remove(copy, { recursive: true });
  }
}

/**
 * The sweep, ours against each peer's `<peer>_sweep.py trainings cores epochs`, for `rounds`
 * rounds; the order of the sides turns from round to round, so that load drifting on a shared
 * machine weighs on all; medians.
 */
async function benchSweep(
  trainings: number,
  cores: number,
  peers: readonly Peer[],
  epochs: number,
  rounds: number,
): Promise<Sweep> {
  const missing = new Map<Peer, string | null>();
  for (const peer of peers) missing.set(peer, await peerMissing(peer, peer.sweepScript));
  const present = peers.filter((peer) => missing.get(peer) === null);
  const ours: (Timed & { executed: number })[] = [];
  const theirs = new Map<Peer, Timed[]>(present.map((peer) => [peer, []]));
  for (let r = 0; r < rounds; r++) {
    const order: (Peer | "ours")[] = ["ours", ...present];
    for (const side of r % 2 === 0 ? order : order.reverse()) {
      if (side === "ours") ours.push(await sweepOurs(trainings));
      else {
        const args = [side.sweepScript, String(trainings), String(cores), String(epochs)];
        theirs.get(side)!.push(await timed(side.python, args));
      }
    }
    console.error(`bench: sweep round ${r + 1}/${rounds} done`);
  }
  const summary = (rs: Timed[]): SweepSide => ({
    seconds: round(median(rs.map((t) => t.seconds)), 2),
    cpuSeconds: rs.every((t) => t.cpuSeconds !== null)
      ? round(median(rs.map((t) => t.cpuSeconds!)), 2)
      : null,
    runs: rs.map((t) => round(t.seconds, 2)),
  });
  const peerSide = (peer: Peer): Sweep["peers"][string] => {
    const rs = theirs.get(peer);
    if (rs === undefined) return `not measured: ${missing.get(peer)}`;
    const failed = rs.find((t) => t.exitCode !== 0);
    if (failed) return `failed (exit ${failed.exitCode}): ${failed.stderr.slice(-300)}`;
    const script = peer.sweepScript.slice(peer.sweepScript.lastIndexOf("/") + 1);
    return { ...summary(rs), script, line: rs.at(-1)!.stdout.trim().split("\n").at(-1) ?? "" };
  };
  const peaks = ours.map((t) => t.peakMiB).filter((m): m is number => m !== null);
  const psinv = {
    ...summary(ours),
    executed: ours.at(-1)!.executed,
    exitCode: Math.max(...ours.map((t) => t.exitCode)),
    peakMiB: peaks.length ? round(Math.max(...peaks), 0) : null,
  };
  const sides = Object.fromEntries(peers.map((peer) => [peer.key, peerSide(peer)]));
  // A failed run of ours measured nothing: no ratio, rather than a flattering one.
  const ratios = Object.fromEntries(peers.map((peer) => {
    const side = sides[peer.key];
    return [
      peer.key,
      typeof side === "string" || side === undefined || psinv.exitCode !== 0
        ? null
        : round(psinv.seconds / side.seconds),
    ];
  }));
  return {
    trainings,
    rounds,
    psinv,
    peers: sides,
    ratios,
    ratio: ratios["torch"] ?? null,
    jaxRatio: ratios["jax"] ?? null,
  };
}

/** The sweep scenario: `n` trainings, `rounds` rounds; its part of bench.json and its lines. */
export async function benchSweepScenario(
  params: Params,
  peers: readonly Peer[],
  cores: number,
  n: number,
  rounds: number,
): Promise<ScenarioResult> {
  const sw = await benchSweep(n, cores, peers, params.training.epochs, rounds);
  const lines = [
    "",
    `Sweep: ${n} trainings (${params.training.epochs} epochs, n=${params.data.n}, hidden layers [${params.training.layers}]), ${cores} cores, cold store, median of ${rounds} round(s), order alternating`,
    `  psinv reproduce (train + evaluate)  ${sw.psinv.seconds.toFixed(1).padStart(7)} s   CPU ${
      fmt(sw.psinv.cpuSeconds, 1)
    } s   ${sw.psinv.executed} stages executed${
      sw.psinv.exitCode === 0 ? "" : ` (exit ${sw.psinv.exitCode})`
    }   runs ${sw.psinv.runs.join(" ")}`,
    ...peers.map((peer) => {
      const side = sw.peers[peer.key]!;
      return typeof side === "string"
        ? `  ${peer.name} sweep: ${side}`
        : `  ${`${peer.name} ${side.script} (training)`.padEnd(35)}${
          side.seconds.toFixed(1).padStart(7)
        } s   CPU ${fmt(side.cpuSeconds, 1)} s   runs ${side.runs.join(" ")}`;
    }),
    ...peers.map((peer) => {
      const r = sw.ratios[peer.key];
      return r === null || r === undefined
        ? `  sweep ratio psinv / ${peer.name}: not measured (one side failed or is missing)`
        : `  sweep ratio psinv / ${peer.name}: ${r.toFixed(2)} (target ≤ 1.0)`;
    }),
  ];
  return { json: sw, lines };
}
