/**
 * The sides of a training measurement: ours (the `train` stage in a child process of the bench)
 * and the peers (the same job in PyTorch and in JAX, `../shared/peers/`), each in its own process
 * pinned to one core (`onOneCore`), and what each reports.
 *
 * @module
 */
import { join } from "node:path";
import { loadParams, onOneCore, ownPeakMiB, type Params, root, TIME } from "./_shared.ts";

/** The peers, beside the project as in the team's layout; `--torch` and `--jax` point elsewhere. */
const PEERS_DIR = join(root, "..", "shared", "peers");
/** PyTorch's training script, the default of `--torch`. */
export const TORCH_SCRIPT = join(PEERS_DIR, "torch_psinv.py");
/** JAX's training script, the default of `--jax`. */
export const JAX_SCRIPT = join(PEERS_DIR, "jax_psinv.py");
/** PyTorch is Debian's python3-torch; JAX lives in a virtual environment (`PSINV_JAX_PYTHON`). */
const PYTHON = "/usr/bin/python3";
/** The bench's entry point, which runs our side of a training as `--child-train`. */
const BENCH_MAIN = join(root, "test", "bench.ts");

/** What one training process reports. */
export interface TrainingRun {
  readonly msPerEpoch: number;
  /**
   * Ours only: ms/epoch of the process's first training, which `msPerEpoch` leaves out (loading
   * the kernel, the first touch of its memory, code not yet compiled).
   */
  readonly firstMsPerEpoch?: number;
  /** Peak resident memory of the process, in MiB (null when it could not be read). */
  readonly peakMiB: number | null;
  /** The last epoch's total loss, as a sanity check that the job ran. */
  readonly finalLoss: number;
  /** Which build of the kernel trained (ours only). */
  readonly build?: string;
}

/** A peer: the same job in another framework, run by its own Python. */
export interface Peer {
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

/** A training job, as both sides take it. */
export interface Job {
  readonly n: number;
  readonly width: number;
  readonly epochs: number;
  readonly lambda: number;
  readonly mu: number;
  readonly activation: "relu";
}

/** What our side of a training may change from params.json (the bench matrix's cells). */
export interface ChildJob {
  /** Hidden widths (`training.layers`). */
  readonly layers?: readonly number[];
  /** Full-batch epochs (`training.epochs`). */
  readonly epochs?: number;
}

/**
 * The child side of a training measurement: runs the `train` stage on `dataDir` (the training
 * group of params.json with `job`'s changes, λ = μ = 1, ReLU) twice and prints one JSON line with
 * the second run's ms/epoch (the first's apart), peak memory and the final loss. The second is the
 * one timed, as JAX's peer times the second call of its training (the first compiles it), and as
 * a sweep's trainings run: in pipeline workers that have run a stage before (local_executor.ts).
 */
export async function trainChild(dataDir: string, job: ChildJob = {}): Promise<void> {
  const params = await loadParams();
  const training = {
    ...params.training,
    ...(job.layers ? { layers: [...job.layers] } : {}),
    ...(job.epochs ? { epochs: job.epochs } : {}),
  };
  const { run } = await import("../../stages/model/train.ts");
  const once = async (): Promise<{ ms: number; history: string[] }> => {
    const outDir = await Deno.makeTempDir({ prefix: "psinv-bench-train-" });
    try {
      const t0 = performance.now();
      await run({
        params: { ...training, lambda: 1, mu: 1, activation: "relu" },
        inputs: { data: dataDir },
        outDir,
        progress: () => {},
      });
      const ms = performance.now() - t0;
      const history = (await Deno.readTextFile(join(outDir, "history.csv"))).trim().split("\n");
      return { ms, history };
    } finally {
      await Deno.remove(outDir, { recursive: true });
    }
  };
  const first = await once();
  const { ms, history } = await once();
  if (first.history.at(-1) !== history.at(-1)) {
    throw new Error(
      `Two trainings of one job ended apart: ${first.history.at(-1)}, ${history.at(-1)}`,
    );
  }
  const { nativeKernel } = await import("../../stages/model/kernel/native_kernel.ts");
  const native = await nativeKernel({ env: (name) => Deno.env.get(name) });
  const backend = params.training.backend;
  const report: TrainingRun = {
    msPerEpoch: ms / training.epochs,
    firstMsPerEpoch: first.ms / training.epochs,
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
}

/** Why a peer cannot run here, or null when it can. */
export async function peerMissing(peer: Peer, script = peer.script): Promise<string | null> {
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

/** Our side of one training, in its own process ({@linkcode trainChild}). */
export async function runOurs(dataDir: string, job: ChildJob = {}): Promise<TrainingRun> {
  const [command, args] = onOneCore(Deno.execPath(), [
    "run",
    "-A",
    BENCH_MAIN,
    "--child-train",
    dataDir,
    "--child-job",
    JSON.stringify(job),
  ]);
  const out = await new Deno.Command(command, {
    args,
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

/** One training of a peer, in its own process; its peak RSS when GNU time is here. */
export async function runPeer(job: Job, peer: Peer, withTime: boolean): Promise<TrainingRun> {
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
  const [command, args] = onOneCore(peer.python, script);
  const cmd = withTime
    ? new Deno.Command(TIME, { args: ["-f", "psinv-maxrss-kb=%M", command, ...args] })
    : new Deno.Command(command, { args });
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

/**
 * A temporary folder holding the `generate` stage's points for `data` (a scenario removes it);
 * `n` points instead of `data.n` when given.
 */
export async function pointsOf(data: Params["data"], n = data.n): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "psinv-bench-data-" });
  const { run: generate } = await import("../../stages/data/generate.ts");
  await generate({ params: { data: { ...data, n } }, inputs: {}, outDir: dir, progress: () => {} });
  return dir;
}

/** PyTorch and JAX, as the bench runs them (`--torch`, `--jax`, `--jax-python`). */
export function peersOf(o: { torch: string; jax: string; jaxPython: string }): Peer[] {
  return [
    {
      key: "torch",
      name: "PyTorch",
      python: PYTHON,
      module: "torch",
      script: o.torch,
      sweepScript: join(o.torch, "..", "torch_sweep.py"),
    },
    {
      key: "jax",
      name: "JAX",
      python: o.jaxPython,
      module: "jax, optax",
      script: o.jax,
      sweepScript: join(o.jax, "..", "jax_sweep.py"),
    },
  ];
}
