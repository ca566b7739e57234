/**
 * `deno task bench`: how fast the project trains compared with its peers (the same job in PyTorch
 * and in JAX, the post's own framework), and how fast the whole pipeline runs cold, warm and after
 * one parameter change.
 *
 * Training: the `train` stage on the default job (the data of `params.json`, its `training`
 * group, λ = μ = 1, ReLU) and each peer on the same sizes (`../shared/peers/torch_psinv.py`,
 * `jax_psinv.py`), each in its own process on one core, for `--rounds` rounds in an order that
 * turns from round to round; the medians and their ratios are what to quote (the machine is
 * shared, so absolute times drift). Our time is the whole stage call (reading points.csv,
 * training, writing weights.json and history.csv) after its modules are loaded, on whichever
 * build of the kernel `training.backend` gives here (reported); the peers time their training
 * loop only (JAX leaves its compilation out).
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
 * executed (from the event stream, every round).
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
 * `deno task test`. A peer that cannot run here is skipped, saying why.
 *
 * Options: `--rounds N` (5), `--skip-training`, `--skip-pipeline`, `--skip-sweep`,
 * `--skip-overhead`, `--skip-scale`, `--sweep-trainings N` (100), `--sweep-rounds N` (1),
 * `--scale-stages N` (5000), `--torch PATH` and `--jax PATH` (the peers' training scripts, default
 * `../shared/peers/` beside the project; their sweep scripts are `torch_sweep.py` and
 * `jax_sweep.py` in the same folders), `--jax-python PATH` (a Python that imports jax and optax:
 * default `$PSINV_JAX_PYTHON`, else `python3`; make one with `python3 -m venv VENV &&
 * VENV/bin/pip install --no-index --find-links <wheels> jax jaxlib optax`).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import { paramsSchema } from "../stages/params_schema.ts";

const root = new URL("..", import.meta.url).pathname;
/** The peers, beside the project as in the team's layout; `--torch` and `--jax` point elsewhere. */
const PEERS_DIR = join(root, "..", "shared", "peers");
const TORCH_SCRIPT = join(PEERS_DIR, "torch_psinv.py");
const JAX_SCRIPT = join(PEERS_DIR, "jax_psinv.py");
/** PyTorch is Debian's python3-torch; JAX lives in a virtual environment (`PSINV_JAX_PYTHON`). */
const PYTHON = "/usr/bin/python3";
/** The toy pipeline's command line, for the overhead and scale scenarios. */
const TOY_MAIN = join(root, "test", "testdata", "toy", "main.ts");
const TIME = "/usr/bin/time";

/** What one training process reports. */
interface TrainingRun {
  readonly msPerEpoch: number;
  /** Peak resident memory of the process, in MiB (null when it could not be read). */
  readonly peakMiB: number | null;
  /** The last epoch's total loss, as a sanity check that the job ran. */
  readonly finalLoss: number;
  /** Which build of the kernel trained (ours only). */
  readonly build?: string;
}

/** A peer: the same job in another framework, run by its own Python. */
interface Peer {
  readonly key: "torch" | "jax";
  readonly name: string;
  readonly python: string;
  /** What the interpreter must import for the peer to run. */
  readonly module: string;
  /** One training (`n w epochs lam mu act`). */
  readonly script: string;
  /** N trainings over P processes (`N P epochs`). */
  readonly sweepScript: string;
}

/** The CPU every figure of a run came from (`lscpu`'s model name, and the vector flags). */
function cpuInfo(): { model: string; avx512f: boolean; avx2: boolean } {
  try {
    const info = Deno.readTextFileSync("/proc/cpuinfo");
    const flags = /^flags\s*:\s*(.*)$/m.exec(info)?.[1]?.split(" ") ?? [];
    return {
      model: /^model name\s*:\s*(.*)$/m.exec(info)?.[1] ?? "unknown",
      avx512f: flags.includes("avx512f"),
      avx2: flags.includes("avx2"),
    };
  } catch {
    return { model: "unknown", avx512f: false, avx2: false };
  }
}

/** The default job, as both programs take it. */
interface Job {
  readonly n: number;
  readonly width: number;
  readonly epochs: number;
  readonly lambda: number;
  readonly mu: number;
  readonly activation: "relu";
}

/** One `reproduce` of the pipeline copy. */
interface PipelineRun {
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

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const k = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 === 1 ? s[k]! : (s[k - 1]! + s[k]!) / 2;
};

const round = (v: number, digits = 3): number => Number(v.toFixed(digits));

/** Peak RSS of this process in MiB, from Linux's /proc (VmHWM), or null elsewhere. */
function ownPeakMiB(): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(Deno.readTextFileSync("/proc/self/status"));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

async function loadParams() {
  const doc = JSON.parse(await Deno.readTextFile(join(root, "params.json")));
  return paramsSchema.parse(doc);
}

/**
 * The child side of the training benchmark: runs the `train` stage once on `dataDir` and prints
 * one JSON line with ms/epoch, peak memory and the final loss.
 */
async function trainChild(dataDir: string): Promise<void> {
  const params = await loadParams();
  const { run } = await import("../stages/model/train.ts");
  const outDir = await Deno.makeTempDir({ prefix: "psinv-bench-train-" });
  try {
    const t0 = performance.now();
    await run({
      params: { ...params.training, lambda: 1, mu: 1, activation: "relu" },
      inputs: { data: dataDir },
      outDir,
      progress: () => {},
    });
    const ms = performance.now() - t0;
    const history = (await Deno.readTextFile(join(outDir, "history.csv"))).trim().split("\n");
    const { nativeKernel } = await import("../stages/model/kernel/native_kernel.ts");
    const native = await nativeKernel({ env: (name) => Deno.env.get(name) });
    const backend = params.training.backend;
    const report: TrainingRun = {
      msPerEpoch: ms / params.training.epochs,
      peakMiB: ownPeakMiB(),
      finalLoss: Number(history.at(-1)!.split(",").at(-1)),
      build: backend === "kernel"
        ? (native.ok ? "native kernel" : "wasm kernel")
        : backend === "kernel-native"
        ? "native kernel"
        : backend === "kernel-wasm"
        ? "wasm kernel"
        : backend,
    };
    console.log(JSON.stringify(report));
  } finally {
    await Deno.remove(outDir, { recursive: true });
  }
}

/** Why a peer cannot run here, or null when it can. */
async function peerMissing(peer: Peer, script = peer.script): Promise<string | null> {
  try {
    await Deno.stat(script);
  } catch {
    return `no script at ${script}`;
  }
  try {
    const out = await new Deno.Command(peer.python, {
      args: ["-c", `import ${peer.module}`],
      stdout: "null",
      stderr: "null",
    }).output();
    return out.success ? null : `${peer.python} cannot import ${peer.module}`;
  } catch {
    return `${peer.python} is not installed`;
  }
}

async function hasTime(): Promise<boolean> {
  try {
    await Deno.stat(TIME);
    return true;
  } catch {
    return false;
  }
}

async function runOurs(dataDir: string): Promise<TrainingRun> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL(import.meta.url).pathname, "--child-train", dataDir],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout).trim().split("\n").at(-1) ?? "";
  if (!out.success) {
    throw new Error(
      `Training child failed (exit ${out.code}): ${
        new TextDecoder().decode(out.stderr).slice(-2000)
      }`,
    );
  }
  return JSON.parse(text) as TrainingRun;
}

async function runPeer(job: Job, peer: Peer, withTime: boolean): Promise<TrainingRun> {
  const script = [
    peer.script,
    String(job.n),
    String(job.width),
    String(job.epochs),
    String(job.lambda),
    String(job.mu),
    job.activation,
  ];
  // GNU time reports the peak RSS (%M, KiB) of the python process on stderr.
  const cmd = withTime
    ? new Deno.Command(TIME, { args: ["-f", "psinv-maxrss-kb=%M", peer.python, ...script] })
    : new Deno.Command(peer.python, { args: script });
  const out = await cmd.output();
  const stdout = new TextDecoder().decode(out.stdout);
  const stderr = new TextDecoder().decode(out.stderr);
  const ms = /ms_per_epoch=([\d.]+)/.exec(stdout);
  const loss = /final_loss=([\d.eE+-]+)/.exec(stdout);
  if (!out.success || ms === null) {
    throw new Error(`${peer.name} peer failed (exit ${out.code}): ${stderr.slice(-2000)}`);
  }
  const rss = /psinv-maxrss-kb=(\d+)/.exec(stderr);
  return {
    msPerEpoch: Number(ms[1]),
    peakMiB: rss ? Number(rss[1]) / 1024 : null,
    finalLoss: loss ? Number(loss[1]) : NaN,
  };
}

/** Copies the project (without its store, artifacts and git folder) into `dest`. */
async function copyProject(src: string, dest: string): Promise<void> {
  const skip = new Set([".git", ".psinv", "artifacts", "node_modules"]);
  for await (const e of Deno.readDir(src)) {
    if (skip.has(e.name)) continue;
    const from = join(src, e.name);
    const to = join(dest, e.name);
    if (e.isDirectory) {
      await Deno.mkdir(to);
      await copyProject(from, to);
    } else if (e.isFile) {
      await Deno.copyFile(from, to);
    }
  }
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
async function benchPipeline(): Promise<{ runs: PipelineRun[]; extendedMetricsSame: boolean }> {
  const copy = await Deno.makeTempDir({ prefix: "psinv-bench-pipeline-" });
  const longer = await Deno.makeTempDir({ prefix: "psinv-bench-longer-" });
  const fresh = await Deno.makeTempDir({ prefix: "psinv-bench-fresh-" });
  const remote = await Deno.makeTempDir({ prefix: "psinv-bench-remote-" });
  const keys = await Deno.makeTempDir({ prefix: "psinv-bench-key-" });
  try {
    await copyProject(root, copy);
    await Deno.mkdir(join(copy, "artifacts"), { recursive: true });
    const cold = await reproduce(copy, "cold (empty store)", []);
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
    };
  } finally {
    for (const dir of [copy, fresh, remote, keys, longer]) {
      await Deno.remove(dir, { recursive: true });
    }
  }
}

function loadAverage(): string | null {
  try {
    return Deno.readTextFileSync("/proc/loadavg").split(" ").slice(0, 3).join(" ");
  } catch {
    return null;
  }
}

const fmt = (v: number | null, digits: number): string => v === null ? "—" : v.toFixed(digits);

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      rounds: { type: "string", default: "5" },
      "skip-training": { type: "boolean", default: false },
      "skip-pipeline": { type: "boolean", default: false },
      "skip-sweep": { type: "boolean", default: false },
      "skip-overhead": { type: "boolean", default: false },
      "skip-scale": { type: "boolean", default: false },
      "sweep-trainings": { type: "string", default: "100" },
      "sweep-rounds": { type: "string", default: "1" },
      "scale-stages": { type: "string", default: "5000" },
      torch: { type: "string", default: TORCH_SCRIPT },
      jax: { type: "string", default: JAX_SCRIPT },
      "jax-python": { type: "string", default: Deno.env.get("PSINV_JAX_PYTHON") ?? "python3" },
      "child-train": { type: "string" },
    },
  });
  if (values["child-train"] !== undefined) return await trainChild(values["child-train"]);
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) {
    throw new RangeError(`--rounds must be a whole number of at least 1, got "${values.rounds}"`);
  }

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
  const peers: Peer[] = [
    {
      key: "torch",
      name: "PyTorch",
      python: PYTHON,
      module: "torch",
      script: values.torch,
      sweepScript: join(values.torch, "..", "torch_sweep.py"),
    },
    {
      key: "jax",
      name: "JAX",
      python: values["jax-python"],
      module: "jax, optax",
      script: values.jax,
      sweepScript: join(values.jax, "..", "jax_sweep.py"),
    },
  ];
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
    "",
  ];

  if (!values["skip-training"]) {
    const dataDir = await Deno.makeTempDir({ prefix: "psinv-bench-data-" });
    try {
      const { run: generate } = await import("../stages/data/generate.ts");
      await generate({
        params: { data: params.data },
        inputs: {},
        outDir: dataDir,
        progress: () => {},
      });
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
      result.training = {
        rounds,
        psinv: {
          build: ours[0]?.build,
          medianMsPerEpoch: round(oursMed),
          msPerEpoch: ours.map((t) => round(t.msPerEpoch)),
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
      lines.push(
        `Training: n=${job.n}, hidden layers [${params.training.layers}], λ=μ=1, relu, ${job.epochs} full-batch epochs, ` +
          `${rounds} alternating rounds, one process each`,
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
        ...peers.flatMap((peer) => {
          const r = ratioTo(peer);
          return r === null ? [] : [`  ratio psinv / ${peer.name}: ${r.toFixed(2)} (target ≤ 1.0)`];
        }),
      );
    } finally {
      await Deno.remove(dataDir, { recursive: true });
    }
  }

  if (!values["skip-pipeline"]) {
    const { runs, extendedMetricsSame } = await benchPipeline();
    const cold = runs[0]!;
    const extendOverCold = runs[4]!.seconds / runs[5]!.seconds;
    const ideal = cold.trainingSeconds / cores;
    result.pipeline = {
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
    };
    lines.push(
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
      `  cold: ${cold.seconds.toFixed(1)} s (target < 90 s on 2 cores)`,
    );
  }

  if (!values["skip-overhead"]) {
    const o = await benchOverhead(200);
    result.overhead = o;
    lines.push(
      "",
      `Per-stage overhead: ${o.stages} no-op toy stages, --jobs 1, cold store`,
      `  wall ${o.seconds.toFixed(2)} s (Deno start included) = ${
        o.msPerStage.toFixed(1)
      } ms per stage (target ≤ 20 ms); CPU ${fmt(o.cpuMsPerStage, 1)} ms per stage${
        o.exitCode === 0 ? "" : ` (exit ${o.exitCode})`
      }`,
    );
  }

  if (!values["skip-scale"]) {
    const sc = await benchScale(wholeAtLeast1(values["scale-stages"], "--scale-stages"));
    result.scale = sc;
    lines.push(
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
    );
  }

  if (!values["skip-sweep"]) {
    const n = wholeAtLeast1(values["sweep-trainings"], "--sweep-trainings");
    const rounds = wholeAtLeast1(values["sweep-rounds"], "--sweep-rounds");
    const sw = await benchSweep(n, cores, peers, params.training.epochs, rounds);
    result.sweep = sw;
    lines.push(
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
    );
  }

  const out = join(root, "artifacts", "bench.json");
  await Deno.mkdir(join(root, "artifacts"), { recursive: true });
  await Deno.writeTextFile(out, JSON.stringify(result, null, 2) + "\n");
  console.log(lines.join("\n") + `\n\nWrote ${out}`);
}

function wholeAtLeast1(text: string, flag: string): number {
  const v = Number(text);
  if (!Number.isInteger(v) || v < 1) {
    throw new RangeError(`${flag} must be a whole number of at least 1, got "${text}"`);
  }
  return v;
}

/** One timed process: wall seconds, exit code and its peak RSS (GNU time), if measurable. */
interface Timed {
  readonly seconds: number;
  readonly exitCode: number;
  readonly peakMiB: number | null;
  /**
   * User + system CPU seconds of the process (GNU time): on a shared, loaded machine the wall
   * time also counts waiting for a core; this is the work itself.
   */
  readonly cpuSeconds: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command, timing it from spawn to exit; peak RSS by GNU time when it is installed. */
async function timed(
  cmd: string,
  args: readonly string[],
  opts: { cwd?: string; env?: Record<string, string> } = {},
): Promise<Timed> {
  const withTime = await hasTime();
  const t0 = performance.now();
  const out = await new Deno.Command(withTime ? TIME : cmd, {
    args: withTime ? ["-f", "psinv-maxrss-kb=%M psinv-cpu=%U+%S", cmd, ...args] : [...args],
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
    ...(opts.env ? { env: opts.env } : {}),
    stdout: "piped",
    stderr: "piped",
  }).output();
  const seconds = (performance.now() - t0) / 1000;
  const stderr = new TextDecoder().decode(out.stderr);
  const rss = /psinv-maxrss-kb=(\d+)/.exec(stderr);
  const cpu = /psinv-cpu=([\d.]+)\+([\d.]+)/.exec(stderr);
  return {
    seconds,
    exitCode: out.code,
    peakMiB: rss ? Number(rss[1]) / 1024 : null,
    cpuSeconds: cpu ? Number(cpu[1]) + Number(cpu[2]) : null,
    stdout: new TextDecoder().decode(out.stdout),
    stderr,
  };
}

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

/** The λ = μ values of the post's five constrained configurations, cycled by the sweep. */
const SWEEP_LAMBDAS = [0.01, 0.1, 1, 10, 100] as const;

/**
 * The sweep's parameters: the post's five λ = μ values (ReLU) as five configurations, each
 * trained over `trainings / 5` seeds on data draw 0, and no λ × μ grid: `trainings` distinct
 * trainings, each its own stage and key, as a researcher's seed sweep runs them.
 */
function sweepScenario(doc: Record<string, unknown>, trainings: number): Record<string, unknown> {
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
    if (ours.exitCode !== 0) console.error(`bench: sweep failed: ${ours.stderr.slice(-1500)}`);
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

if (import.meta.main) await main();
