/**
 * The training scenario: the `train` stage on the default job (the data of `params.json`, its
 * `training` group, λ = μ = 1, ReLU) against each peer on the same sizes, for `rounds` rounds in
 * an order that turns from round to round; the medians and their ratios. Ours is timed on the
 * second training of its process (`trainChild`), JAX on the second call of its jitted training.
 *
 * @module
 */
import { fmt, median, type Params, round, type ScenarioResult } from "./_shared.ts";
import { hasTime, pinning } from "./_shared.ts";
import {
  type Job,
  type Peer,
  peerMissing,
  pointsOf,
  runOurs,
  runPeer,
  type TrainingRun,
} from "./peers.ts";

/** Ours against each peer on `job`, `rounds` alternating rounds. */
export async function benchTraining(
  params: Params,
  job: Job,
  peers: readonly Peer[],
  rounds: number,
): Promise<ScenarioResult> {
  const dataDir = await pointsOf(params.data);
  try {
    const withTime = await hasTime();
    const missing = new Map<Peer, string | null>();
    for (const peer of peers) missing.set(peer, await peerMissing(peer));
    const present = peers.filter((peer) => missing.get(peer) === null);
    const ours: TrainingRun[] = [];
    const theirs = new Map<Peer, TrainingRun[]>(present.map((peer) => [peer, []]));
    for (let r = 0; r < rounds; r++) {
      // Ours first in even rounds, last in odd ones: drifting load weighs on every side.
      const order: (Peer | "ours")[] = ["ours", ...present];
      for (const side of r % 2 === 0 ? order : order.reverse()) {
        if (side === "ours") ours.push(await runOurs(dataDir));
        else theirs.get(side)!.push(await runPeer(job, side, withTime));
      }
      console.error(`bench: training round ${r + 1}/${rounds} done`);
    }
    const oursMed = median(ours.map((t) => t.msPerEpoch));
    const peak = (runs: TrainingRun[]) => {
      const v = runs.map((t) => t.peakMiB).filter((m): m is number => m !== null);
      return v.length ? Math.max(...v) : null;
    };
    const medianOf = (peer: Peer) => {
      const runs = theirs.get(peer);
      return runs === undefined ? null : median(runs.map((t) => t.msPerEpoch));
    };
    const ratioTo = (peer: Peer) => {
      const m = medianOf(peer);
      return m === null ? null : round(oursMed / m);
    };
    const [torch, jax] = peers as [Peer, Peer];
    const json = {
      rounds,
      sides: pinning(),
      psinv: {
        build: ours[0]?.build,
        medianMsPerEpoch: round(oursMed),
        msPerEpoch: ours.map((t) => round(t.msPerEpoch)),
        firstMsPerEpoch: ours.map((t) => round(t.firstMsPerEpoch ?? NaN)),
        peakMiB: peak(ours),
        finalLoss: ours[0]?.finalLoss,
      },
      ...Object.fromEntries(peers.map((peer) => {
        const runs = theirs.get(peer);
        return [
          peer.key,
          runs === undefined ? `not measured: ${missing.get(peer)}` : {
            medianMsPerEpoch: round(medianOf(peer)!),
            msPerEpoch: runs.map((t) => round(t.msPerEpoch)),
            peakMiB: peak(runs),
            finalLoss: runs[0]?.finalLoss,
          },
        ];
      })),
      ratio: ratioTo(torch),
      jaxRatio: ratioTo(jax),
    };
    const lines = [
      "",
      `Training: n=${job.n}, hidden layers [${params.training.layers}], λ=μ=1, relu, ${job.epochs} full-batch epochs, ` +
      `${rounds} alternating rounds, ${pinning()}`,
      `  ${"".padEnd(26)}${"median ms/epoch".padStart(16)}${"peak RSS MiB".padStart(14)}   runs`,
      `  ${`psinv (${ours[0]?.build})`.padEnd(26)}${fmt(oursMed, 3).padStart(16)}${
        fmt(peak(ours), 0).padStart(14)
      }   ${ours.map((t) => t.msPerEpoch.toFixed(2)).join(" ")}`,
      ...peers.map((peer) => {
        const runs = theirs.get(peer);
        return runs === undefined
          ? `  ${peer.name}: not measured (${missing.get(peer)})`
          : `  ${peer.name.padEnd(26)}${fmt(medianOf(peer), 3).padStart(16)}${
            fmt(peak(runs), 0).padStart(14)
          }   ${runs.map((t) => t.msPerEpoch.toFixed(2)).join(" ")}`;
      }),
      `  psinv: each process's second training (as JAX: its second call); their first: ${
        ours.map((t) => fmt(t.firstMsPerEpoch ?? null, 2)).join(" ")
      } ms/epoch`,
      ...peers.flatMap((peer) => {
        const r = ratioTo(peer);
        // JAX, the post's own framework, is the anchor: the post's job is to take under 0.6 of it.
        const target = peer.key === "jax" ? "< 0.6" : "≤ 1.0";
        return r === null
          ? []
          : [`  ratio psinv / ${peer.name}: ${r.toFixed(2)} (target ${target})`];
      }),
    ];
    return { json, lines };
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
}
