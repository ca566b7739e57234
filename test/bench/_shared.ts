/**
 * What the bench's scenarios share: the project's root and parameters, the CPU, timing a process
 * (wall, CPU and peak RSS by GNU time), copying the project, and small numeric helpers.
 *
 * @module
 */
import { join } from "node:path";
import { paramsSchema } from "../../stages/params_schema.ts";

/** The project this bench measures. */
export const root = new URL("../..", import.meta.url).pathname;

/** GNU time, for the peak RSS and CPU seconds of a process. */
export const TIME = "/usr/bin/time";

/** util-linux's taskset, which keeps a training's process on one core. */
export const TASKSET = "/usr/bin/taskset";

/**
 * The command that runs `command args` on one core (the last one), where taskset is installed.
 * One thread per side is the training benches' rule, and a process's own settings do not keep
 * it: JAX 0.10's XLA runs a training's ops on a thread pool of every core whatever its
 * `XLA_FLAGS` say (150 % CPU on a 2-core machine), and Deno's V8 has helper threads.
 */
export function onOneCore(command: string, args: readonly string[]): [string, string[]] {
  const core = pinnedCore();
  return core === null ? [command, [...args]] : [TASKSET, ["-c", String(core), command, ...args]];
}

/** The core {@linkcode onOneCore} pins to (the last one), or null where taskset is missing. */
export function pinnedCore(): number | null {
  try {
    Deno.statSync(TASKSET);
    return navigator.hardwareConcurrency - 1;
  } catch {
    return null;
  }
}

/** How the training benches' sides run, for their printed header and bench.json. */
export function pinning(): string {
  const core = pinnedCore();
  return core === null ? "one process each, not pinned (no taskset)" : `each on core ${core} alone`;
}

/** The CPU every figure of a run came from (`lscpu`'s model name, and the vector flags). */
export function cpuInfo(): { model: string; avx512f: boolean; avx2: boolean } {
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

/** The median (the mean of the middle two for an even count; NaN for none). */
export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const k = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 === 1 ? s[k]! : (s[k - 1]! + s[k]!) / 2;
};

/** `v` rounded to `digits` decimals. */
export const round = (v: number, digits = 3): number => Number(v.toFixed(digits));

/** Peak RSS of this process in MiB, from Linux's /proc (VmHWM), or null elsewhere. */
export function ownPeakMiB(): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(Deno.readTextFileSync("/proc/self/status"));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** The project's parameters, as the schema reads them. */
export type Params = Awaited<ReturnType<typeof loadParams>>;

/** One scenario's part of bench.json, and its lines of the printed table. */
export interface ScenarioResult {
  readonly json: unknown;
  readonly lines: readonly string[];
}

/** The project's parameters, checked. */
export async function loadParams() {
  const doc = JSON.parse(await Deno.readTextFile(join(root, "params.json")));
  return paramsSchema.parse(doc);
}

/** Whether GNU time is installed. */
export async function hasTime(): Promise<boolean> {
  try {
    await Deno.stat(TIME);
    return true;
  } catch {
    return false;
  }
}

/** Copies the project (without its store, artifacts and git folder) into `dest`. */
export async function copyProject(src: string, dest: string): Promise<void> {
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

/** The machine's load averages (1, 5, 15 minutes), or null off Linux. */
export function loadAverage(): string | null {
  try {
    return Deno.readTextFileSync("/proc/loadavg").split(" ").slice(0, 3).join(" ");
  } catch {
    return null;
  }
}

/** A number with `digits` decimals, or — when there is none. */
export const fmt = (v: number | null, digits: number): string =>
  v === null ? "—" : v.toFixed(digits);

/** The value of a whole-number option of at least 1, or a RangeError naming it. */
export function wholeAtLeast1(text: string, flag: string): number {
  const v = Number(text);
  if (!Number.isInteger(v) || v < 1) {
    throw new RangeError(`${flag} must be a whole number of at least 1, got "${text}"`);
  }
  return v;
}

/** One timed process: wall seconds, exit code and its peak RSS (GNU time), if measurable. */
export interface Timed {
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
export async function timed(
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
