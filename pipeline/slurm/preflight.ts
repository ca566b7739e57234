/**
 * Checks, before anything is submitted or stored, that this machine can run stages on SLURM:
 * `sbatch` is there, the partition exists, `sbatch --test-only` accepts the requests, and the
 * store is not on a file system only this machine sees. Each problem is one `executor-invalid`
 * failure naming the fix (exit 2). It answers with the size of the partition's smallest node,
 * which bounds a batch's worker pool and time request.
 *
 * @module
 */
import {
  err,
  type ExecutorInvalid,
  ok,
  parseTimeLimit,
  type Result,
  type StageResources,
} from "../core/mod.ts";
import { call } from "./commands.ts";
import type { NodeShape } from "./batch.ts";

/** What {@linkcode checkCluster} checks. */
export interface ClusterRequest {
  readonly storeDir: string;
  readonly partition?: string;
  readonly account?: string;
  /** Run-wide resources (per-stage ones are checked by format only). */
  readonly resources: StageResources;
}

/** File system types no other machine can see. */
const LOCAL_ONLY = new Set(["tmpfs", "ramfs", "devtmpfs"]);

/**
 * Why a store cannot be seen by the nodes, or `undefined` when it can (or it cannot be told):
 * every node is this machine, or the store is not on a RAM-backed or `/tmp`-like file system.
 *
 * @example
 * ```ts
 * import { invisibleStore } from "./preflight.ts";
 * invisibleStore({ path: "/tmp/p/.psinv", fsType: "tmpfs", host: "login1", nodes: ["n1"] });
 * // 'the store "/tmp/p/.psinv" is on tmpfs, local to login1'
 * ```
 */
export function invisibleStore(
  s: { path: string; fsType: string; host: string; nodes: readonly string[] },
): string | undefined {
  const here = new Set([s.host, s.host.split(".")[0], "localhost"]);
  if (s.nodes.length > 0 && s.nodes.every((n) => here.has(n))) return undefined;
  if (LOCAL_ONLY.has(s.fsType)) {
    return `the store "${s.path}" is on ${s.fsType}, local to ${s.host}`;
  }
  if (/^\/(tmp|var\/tmp|dev\/shm)(\/|$)/.test(s.path)) {
    return `the store "${s.path}" is under a machine-local temporary folder of ${s.host}`;
  }
  return undefined;
}

/** The `sinfo -N` format {@linkcode nodeShape} reads: node, CPUs, memory, time limit, partition. */
export const NODE_FORMAT = "%N|%c|%m|%l|%P";

/**
 * The smallest node (CPUs, memory) and the shortest time limit among the partitions named (or
 * the default partition, marked `*`), from `sinfo -h -N -o '%N|%c|%m|%l|%P'`.
 *
 * @example
 * ```ts
 * import { nodeShape } from "./preflight.ts";
 * nodeShape("n1|2|24105|infinite|debug*\nn2|64|256000|2-00:00:00|long\n", undefined);
 * // { nodes: ["n1"], shape: { cpus: 2, memMb: 24105 } }
 * ```
 */
export function nodeShape(
  text: string,
  partition: string | undefined,
): { nodes: string[]; shape: NodeShape } {
  const rows = text.split("\n").map((l) => l.trim().split("|")).filter((r) => r.length >= 5);
  const wanted = partition?.split(",");
  const chosen = rows.filter(([, , , , p]) =>
    wanted ? wanted.includes(p!.replace(/\*$/, "")) : p!.endsWith("*")
  );
  const use = chosen.length > 0 ? chosen : rows;
  const least = (values: (number | undefined)[]): number | undefined => {
    const known = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
    return known.length > 0 ? Math.min(...known) : undefined;
  };
  const cpus = least(use.map((r) => parseInt(r[1]!, 10)));
  const memMb = least(use.map((r) => parseInt(r[2]!, 10)));
  const maxTimeSeconds = least(use.map((r) => parseTimeLimit(r[3]!)));
  return {
    nodes: [...new Set(use.map((r) => r[0]!))],
    shape: {
      cpus: cpus !== undefined && cpus > 0 ? cpus : 1,
      ...(memMb !== undefined && memMb > 0 ? { memMb } : {}),
      ...(maxTimeSeconds !== undefined ? { maxTimeSeconds } : {}),
    },
  };
}

/** Runs the checks; when stages can be submitted, the shape of the nodes they may run on. */
export async function checkCluster(
  r: ClusterRequest,
): Promise<Result<NodeShape, ExecutorInvalid>> {
  const bad = (detail: string, hint: string) =>
    err({ reason: "executor-invalid", executor: "slurm", detail, hint } as const);
  const version = await call("sbatch", ["--version"]);
  if (version.code === 127) {
    return bad(
      `"sbatch" is not on the PATH`,
      "run from a SLURM login node (or load its slurm module), or use --executor local",
    );
  }
  const parts = await call("sinfo", ["-h", "-o", "%P"]);
  if (parts.code !== 0) {
    return bad(
      `"sinfo" cannot reach the controller (${parts.stderr.trim().split("\n")[0]})`,
      "check that slurmctld is running and this machine is a login node of the cluster",
    );
  }
  const known = parts.stdout.split("\n").map((p) => p.trim().replace(/\*$/, "")).filter((p) => p);
  for (const p of r.partition?.split(",") ?? []) {
    if (!known.includes(p)) {
      return bad(`unknown partition "${p}"`, `use --partition with one of ${known.join(", ")}`);
    }
  }
  const test = await call("sbatch", [
    "--test-only",
    ...(r.partition ? [`--partition=${r.partition}`] : []),
    ...(r.account ? [`--account=${r.account}`] : []),
    ...(r.resources.time ? [`--time=${r.resources.time}`] : []),
    ...(r.resources.mem ? [`--mem=${r.resources.mem}`] : []),
    ...(r.resources.cpus ? [`--cpus-per-task=${r.resources.cpus}`] : []),
    "--wrap=true",
  ]);
  if (test.code !== 0) {
    const why = test.stderr.trim().split("\n").find((l) => l.includes("error")) ??
      test.stderr.trim().split("\n")[0] ?? `exit code ${test.code}`;
    return bad(
      `sbatch rejects this run's requests (${why.replace(/^sbatch: error: /, "")})`,
      "fix --partition, --account, --time, --mem or --cpus",
    );
  }
  const nodes = nodeShape(
    (await call("sinfo", ["-h", "-N", "-o", NODE_FORMAT])).stdout,
    r.partition,
  );
  const fs = await call("stat", ["-f", "-c", "%T", r.storeDir]);
  const invisible = invisibleStore({
    path: r.storeDir,
    fsType: fs.stdout.trim(),
    host: Deno.hostname(),
    nodes: nodes.nodes,
  });
  if (invisible !== undefined) {
    return bad(
      invisible,
      "put the project (and so its .psinv store) on the cluster's shared file system",
    );
  }
  return ok(nodes.shape);
}
