/**
 * Helpers of the SLURM cluster tests: the toy CLI as a real process (directly, or through
 * `deno task` in a process group of its own, as a terminal runs it), its JSON events as they
 * come, and what `squeue` says of the run's jobs. Nothing here assumes a partition's name.
 *
 * @module
 */
import { main } from "../../../pipeline/cli/cli.ts";
import { call } from "../../../pipeline/slurm/commands.ts";
import { toy } from "../../testdata/toy/pipeline.ts";
import type { ToyProject } from "../../testdata/toy/harness.ts";

const MAIN = new URL("../../testdata/toy/main.ts", import.meta.url).pathname;
const CONFIG = new URL("../../../deno.json", import.meta.url).pathname;

/** `PSINV_POLL` of every test run: squeue twice a second. */
export const POLL = "0.5";

/** The partitions the cluster answers with (`sinfo`), in its order; empty when none answers. */
export async function partitions(): Promise<string[]> {
  const out = await call("sinfo", ["-h", "-o", "%P"]);
  if (out.code !== 0) return [];
  return out.stdout.split("\n").map((p) => p.trim().replace(/\*$/, "")).filter((p) => p !== "");
}

/**
 * The partitions here, and whether the cluster tests are skipped: when no cluster answers,
 * except under `CI=true` (CI starts one; a skip there would hide a broken cluster).
 */
export async function clusterHere(): Promise<{ known: string[]; ignore: boolean }> {
  const ci = /^(1|true|yes)$/i.test(Deno.env.get("CI") ?? "");
  const known = await partitions();
  const reachable = known.length > 0;
  if (!reachable && !ci) {
    console.warn(
      "SLURM tests skipped: no cluster is reachable (start one with .ci/slurm/start); under CI=true they run",
    );
  }
  return { known, ignore: !reachable && !ci };
}

/** What the tests read of an event. */
export interface RunEvent {
  kind: string;
  stage?: string;
  stages?: string[];
  job?: string;
  batches?: string[][];
  jobs?: string[];
  interrupted?: number;
  failures?: string[];
  failure?: { reason: string; state?: string };
}

/** A toy run in a child process, its events collected as they come. */
export interface Spawned {
  readonly child: Deno.ChildProcess;
  readonly events: RunEvent[];
  /** Waits for an event (polling the collected ones). */
  waitFor(pred: (e: RunEvent) => boolean, timeoutMs?: number): Promise<RunEvent>;
  /** Stops reading its output, as a closed terminal would (its writes then fail). */
  hangUp(): Promise<void>;
  end(): Promise<{ status: Deno.CommandStatus; stderr: string }>;
}

/**
 * Starts `reproduce --executor slurm … --json` on the toy: `deno run` of its CLI, or with
 * `viaTask` the way a user starts it, `deno task reproduce`, in a new session (`setsid`), so the
 * task's process id is also its process group's.
 */
export async function spawn(
  p: ToyProject,
  args: string[],
  opts: { env?: Record<string, string>; viaTask?: boolean } = {},
): Promise<Spawned> {
  const reproduce = ["reproduce", "--executor", "slurm", ...args, "--json"];
  let command: string, commandArgs: string[];
  if (opts.viaTask) {
    const dir = `${p.root}/task`;
    await Deno.mkdir(dir, { recursive: true });
    const task = `deno run -A --config ${CONFIG} ${MAIN} reproduce`;
    await Deno.writeTextFile(`${dir}/deno.json`, JSON.stringify({ tasks: { reproduce: task } }));
    command = "setsid";
    commandArgs = [Deno.execPath(), "task", "-q", "--config", `${dir}/deno.json`, ...reproduce];
  } else {
    command = Deno.execPath();
    commandArgs = ["run", "-A", MAIN, ...reproduce];
  }
  const child = new Deno.Command(command, {
    args: commandArgs,
    env: { TOY_ROOT: p.root, NO_COLOR: "1", PSINV_POLL: POLL, ...opts.env },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const events: RunEvent[] = [];
  const stdout = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const stderr = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let errText = "";
  const read = async (
    reader: ReadableStreamDefaultReader<string>,
    take: (text: string) => void,
  ): Promise<void> => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: "", done: true }));
      if (done) return;
      take(value);
    }
  };
  let buffer = "";
  const reading = Promise.all([
    read(stdout, (text) => {
      buffer += text;
      const lines = buffer.split("\n");
      buffer = lines.pop()!;
      for (const line of lines) if (line.startsWith("{")) events.push(JSON.parse(line));
    }),
    read(stderr, (text) => (errText += text)),
  ]);
  return {
    child,
    events,
    async waitFor(pred, timeoutMs = 60_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const e = events.find(pred);
        if (e) return e;
        if (Date.now() > until) throw new Error(`no such event; saw ${JSON.stringify(events)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async hangUp() {
      await Promise.all([stdout.cancel(), stderr.cancel()]);
    },
    async end() {
      const status = await child.status;
      await reading;
      return { status, stderr: errText };
    },
  };
}

/** Runs the toy CLI in this process with a short poll interval. */
export async function runHere(
  p: ToyProject,
  ...args: string[]
): Promise<{ code: number; out: string; err: string }> {
  let out = "", err = "";
  const code = await main(args, toy, {
    root: p.root,
    out: (t) => (out += t),
    err: (t) => (err += t),
    terminal: false,
    env: (name) => (name === "PSINV_POLL" ? POLL : undefined),
  });
  return { code, out, err };
}

/** Every batch a run submitted, as its job (`<array>_<index>`) and stage ids. */
export function batchesOf(events: RunEvent[]): { job: string; stages: string[] }[] {
  return events.filter((e) => e.kind === "cluster-submitted").flatMap((e) =>
    e.batches!.map((stages, i) => ({ job: `${e.job}_${i}`, stages }))
  );
}

/** Stages handed to jobs that had finished their batch, as the job and stage ids. */
export function offersOf(events: RunEvent[]): { job: string; stages: string[] }[] {
  return events.filter((e) => e.kind === "cluster-offered").map((e) => ({
    job: e.job!,
    stages: e.stages!,
  }));
}

/** The job (array task) that was given `stage`, in its batch or in an offer. */
export function jobOf(events: RunEvent[], stage: string): string | undefined {
  return [...batchesOf(events), ...offersOf(events)].find((b) => b.stages.includes(stage))?.job;
}

/** A job's state, as squeue still remembers it. */
export async function stateOf(job: string): Promise<string> {
  const out = await call("squeue", ["-h", "-t", "all", "-j", job, "-o", "%T"]);
  return out.stdout.trim().split(/\s/)[0] ?? "";
}

/** Waits until a job is in state `wanted`. */
export async function waitState(job: string, wanted: string, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while ((await stateOf(job)) !== wanted) {
    if (Date.now() > until) throw new Error(`job ${job} never became ${wanted}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Of the given jobs, those squeue lists as pending, running or completing. */
export async function activeOf(jobs: readonly string[]): Promise<string[]> {
  if (jobs.length === 0) return [];
  const out = await call("squeue", ["-h", "-r", "-j", jobs.join(","), "-o", "%i %T"]);
  return out.stdout.split("\n").filter((l) =>
    /\b(PENDING|RUNNING|COMPLETING|CONFIGURING)\b/.test(l)
  );
}

/**
 * Waits until a running job's batch step is `_task.ts` itself (`scontrol listpids` on this node
 * names its process, exec'd). Until then a job squeue calls RUNNING may still be launching, and
 * SLURM 22.05 can lose a cancel's SIGTERM in that window: the job then stays COMPLETING for its
 * KillWait (30 s) until SIGKILL, which is SLURM's race and not what these tests are about.
 */
async function waitLaunched(job: string, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    // An array task's own job id (%A), which scontrol takes.
    const id = (await call("squeue", ["-h", "-j", job, "-o", "%A"])).stdout.trim();
    const pids = (await call("scontrol", ["listpids", id])).stdout.split("\n").slice(1)
      .map((l) => Number(l.trim().split(/\s+/)[0])).filter((pid) => pid > 0);
    for (const pid of pids) {
      const command = await Deno.readTextFile(`/proc/${pid}/cmdline`).catch(() => "");
      if (command.includes("_task.ts")) return;
    }
    if (Date.now() > until) throw new Error(`job ${job} never started _task.ts`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Starts a run and waits until the job running `stage` runs `_task.ts`; the run and that job.
 */
export async function runningJob(
  p: ToyProject,
  args: string[],
  opts: { stage?: string; viaTask?: boolean } = {},
): Promise<{ run: Spawned; job: string }> {
  const stage = opts.stage ?? "busy/one";
  const run = await spawn(p, args, { viaTask: opts.viaTask ?? false });
  await run.waitFor((e) => e.kind === "cluster-submitted" && e.batches!.flat().includes(stage));
  const job = jobOf(run.events, stage)!;
  await waitState(job, "RUNNING");
  await waitLaunched(job);
  return { run, job };
}

/** Jobs of runs of this test process (their names start `psinv-<pid>-`), in any state. */
export async function jobsOfThisProcess(): Promise<string[]> {
  const out = await call("squeue", ["-h", "-r", "-t", "all", "-o", "%i %j"]);
  return out.stdout.split("\n").filter((l) => l.includes(` psinv-${Deno.pid}-`));
}
