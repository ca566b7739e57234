/**
 * `deno task bench`: how fast the project trains compared with its peers (the same job in PyTorch
 * and in JAX, the post's own framework), and how fast the whole pipeline runs cold, warm and after
 * one parameter change.
 *
 * Training: the `train` stage on the default job (the data of `params.json`, its `training`
 * group, λ = μ = 1, ReLU) and each peer on the same sizes (`../shared/peers/torch_psinv.py`,
 * `jax_psinv.py`), each in its own process pinned to one core, for `--rounds` rounds in an order that
 * turns from round to round; the medians and their ratios are what to quote (the machine is
 * shared, so absolute times drift). Our time is the whole stage call (reading points.csv,
 * training, writing weights.json and history.csv), the second of two in its process (the first's,
 * which loads the kernel and first touches its memory, is reported beside it), on whichever build
 * of the kernel `training.backend` gives here (reported); the peers time their training loop only
 * (JAX the second call of its jitted training: the first compiles it).
 *
 * Matrix (`bench/matrix.ts`): the same comparison over job sizes, n ∈ {1000, 3000, 10000} × hidden
 * layers ∈ {[30, 30], [64, 64], [128, 128], [256, 256]}, one core each, sides alternating; per
 * cell ms/epoch of each side, each side's GFLOP/s from the architecture's FLOP per epoch,
 * 24·n·(w₁ + Σ w_l·w_{l+1} + w_H) (four network passes forward and their backward passes, each
 * twice its forward), and `matrix.cells[].jaxRatio` (psinv ÷ JAX; `torchRatio` likewise). Each
 * cell runs as many epochs as make `--matrix-gflop` GFLOP of work per side (30; within
 * `matrix.ts`' bounds: large cells run few, small ones many), so that each cell takes about a
 * second per side and the matrix minutes; `--matrix-epochs N` runs every cell at N epochs instead.
 *
 * Pipeline: `stages/main.ts reproduce` in a temporary copy of the project (the user's store and
 * artifacts are never touched): from an empty store, again with nothing changed, and after
 * `--set configs.lam1.lambda=2`; then the cold results are pushed to a `file://` remote (signed
 * by a key made for the bench and trusted in the copy) and a second copy with an empty store
 * runs `reproduce --remote` (target: under a quarter of the cold run's time, nothing executed);
 * then the first copy runs `--set training.epochs=<twice the default>`, continuing every stored
 * training, and a third copy runs the same from an empty store: `pipeline.extendOverCold` is the
 * first ÷ the second (target ≤ 0.65) and `pipeline.extendedMetricsSame` says whether their
 * `metrics.csv` are the same bytes; then `reproduce --decide` in the first copy, and again
 * (target: nothing executed); wall seconds including Deno's start, the rounds, and the stages
 * executed (from the event stream, every round). `pipeline.coldOverIdeal` is the cold run's wall
 * time ÷ its ideal, the executed stages' work (their seconds, added up) ÷ the cores; beside it,
 * the critical path and lanes of the cold run's `timeline.svg`.
 *
 * Throughput at sweep scale:
 * - sweep: {@linkcode sweepScenario}'s trainings (train and evaluate each, no figures) through
 *   `reproduce` from a cold store, against each peer's `<peer>_sweep.py N <cores>` (training
 *   only; JAX's vmapped, start-up and compilation included) in the same run; `sweep.ratio` and
 *   `sweep.jaxRatio` are ours ÷ theirs (target ≤ 1);
 * - overhead: 200 no-op toy stages with `--jobs 1` from a cold store; wall time per stage
 *   (target ≤ 20 ms);
 * - scale: 5,000 toy stages: a cold `reproduce`, then `status` and a warm `reproduce` (medians of
 *   3, target ≤ 1 s each) and the peak RSS of each of these processes (target ≤ 300 MiB; the
 *   workers are threads of the coordinator, so their memory counts too).
 *
 * Prints a table headed by the CPU it ran on and writes `artifacts/bench.json`. Not part of
 * `deno task test`. A peer that cannot run here is skipped, saying why. One module a scenario,
 * in `bench/`: `training.ts`, `matrix.ts`, `pipeline.ts`, `sweep.ts`, `toy.ts` (overhead and
 * scale), with `peers.ts` (the sides of a training) and `_shared.ts`.
 *
 * Options: `--rounds N` (5), `--skip-training`, `--skip-matrix`, `--skip-pipeline`,
 * `--skip-sweep`, `--skip-overhead`, `--skip-scale`, `--matrix-gflop N` (30),
 * `--matrix-epochs N` (none: by work), `--matrix-rounds N` (3), `--sweep-trainings N` (100),
 * `--sweep-rounds N` (1), `--scale-stages N` (5000), `--torch PATH` and `--jax PATH` (the peers'
 * training scripts, default `../shared/peers/` beside the project; their sweep scripts are
 * `torch_sweep.py` and `jax_sweep.py` in the same folders), `--jax-python PATH` (a Python that
 * imports jax and optax: default `$PSINV_JAX_PYTHON`, else `python3`; make one with
 * `python3 -m venv VENV && VENV/bin/pip install --no-index --find-links <wheels> jax jaxlib optax`).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import {
  cpuInfo,
  loadAverage,
  loadParams,
  root,
  type ScenarioResult,
  wholeAtLeast1,
} from "./bench/_shared.ts";
import { JAX_SCRIPT, type Job, peersOf, TORCH_SCRIPT, trainChild } from "./bench/peers.ts";
import { benchTraining } from "./bench/training.ts";
import { benchMatrix } from "./bench/matrix.ts";
import { benchPipelineScenario } from "./bench/pipeline.ts";
import { benchOverheadScenario, benchScaleScenario } from "./bench/toy.ts";
import { benchSweepScenario } from "./bench/sweep.ts";

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      rounds: { type: "string", default: "5" },
      "skip-training": { type: "boolean", default: false },
      "skip-matrix": { type: "boolean", default: false },
      "skip-pipeline": { type: "boolean", default: false },
      "skip-sweep": { type: "boolean", default: false },
      "skip-overhead": { type: "boolean", default: false },
      "skip-scale": { type: "boolean", default: false },
      "matrix-epochs": { type: "string" },
      "matrix-gflop": { type: "string", default: "30" },
      "matrix-rounds": { type: "string", default: "3" },
      "sweep-trainings": { type: "string", default: "100" },
      "sweep-rounds": { type: "string", default: "1" },
      "scale-stages": { type: "string", default: "5000" },
      torch: { type: "string", default: TORCH_SCRIPT },
      jax: { type: "string", default: JAX_SCRIPT },
      "jax-python": { type: "string", default: Deno.env.get("PSINV_JAX_PYTHON") ?? "python3" },
      "child-train": { type: "string" },
      "child-job": { type: "string", default: "{}" },
    },
  });
  if (values["child-train"] !== undefined) {
    return await trainChild(values["child-train"], JSON.parse(values["child-job"]));
  }
  const rounds = wholeAtLeast1(values.rounds, "--rounds");
  const params = await loadParams();
  const cores = navigator.hardwareConcurrency;
  const job: Job = {
    n: params.data.n,
    // The reference's network is 1 → width → width → 1: the post's [30, 30] takes width 30.
    width: params.training.layers[0]!,
    epochs: params.training.epochs,
    lambda: 1,
    mu: 1,
    activation: "relu",
  };
  const peers = peersOf({ torch: values.torch, jax: values.jax, jaxPython: values["jax-python"] });
  const cpu = cpuInfo();
  const result: Record<string, unknown> = {
    date: new Date().toISOString(),
    cpu,
    command: "deno task bench" + (Deno.args.length ? " " + Deno.args.join(" ") : ""),
    deno: Deno.version.deno,
    cores,
    loadAverageAtStart: loadAverage(),
    backend: params.training.backend,
    job,
  };
  const lines: string[] = [
    `CPU: ${cpu.model}; avx512f ${cpu.avx512f ? "listed" : "not listed"}, avx2 ${
      cpu.avx2 ? "listed" : "not listed"
    }; ${cores} cores; Deno ${Deno.version.deno}`,
  ];
  // Each scenario in turn, unless skipped: its part of bench.json, and its lines.
  const scenarios: [string, boolean, () => Promise<ScenarioResult>][] = [
    ["training", values["skip-training"], () => benchTraining(params, job, peers, rounds)],
    ["matrix", values["skip-matrix"], () =>
      benchMatrix({
        params,
        peers,
        epochs: values["matrix-epochs"] === undefined
          ? undefined
          : wholeAtLeast1(values["matrix-epochs"], "--matrix-epochs"),
        gflop: wholeAtLeast1(values["matrix-gflop"], "--matrix-gflop"),
        rounds: wholeAtLeast1(values["matrix-rounds"], "--matrix-rounds"),
      })],
    ["pipeline", values["skip-pipeline"], () => benchPipelineScenario(cores)],
    ["overhead", values["skip-overhead"], () => benchOverheadScenario()],
    ["scale", values["skip-scale"], () => benchScaleScenario(values["scale-stages"])],
    ["sweep", values["skip-sweep"], () =>
      benchSweepScenario(
        params,
        peers,
        cores,
        wholeAtLeast1(values["sweep-trainings"], "--sweep-trainings"),
        wholeAtLeast1(values["sweep-rounds"], "--sweep-rounds"),
      )],
  ];
  for (const [name, skip, run] of scenarios) {
    if (skip) continue;
    const { json, lines: more } = await run();
    result[name] = json;
    lines.push(...more);
  }

  const out = join(root, "artifacts", "bench.json");
  await Deno.mkdir(join(root, "artifacts"), { recursive: true });
  await Deno.writeTextFile(out, JSON.stringify(result, null, 2) + "\n");
  console.log(lines.join("\n") + `\n\nWrote ${out}`);
}

if (import.meta.main) await main();
