/**
 * Where the engine keeps things on disk: every path under a project's `.psinv/` (the store and
 * its scratch space, history, quarantine, lock, memo and SLURM run folders) and the engine's
 * own files in `artifacts/`. Code anywhere else asks these functions and never spells a path.
 * A remote's layout and this machine's signing key are in `remote_layout.ts`.
 *
 * Each function takes the folder its path lives in: the top folders take the project root,
 * paths inside `.psinv/` take that folder (from {@linkcode psinvDir}), and so on down. Joining a
 * stage's own relative paths (its outputs, its published targets) onto a folder given here is
 * not layout and is left to the caller.
 *
 * ```text
 * <root>/.psinv/store/<key[0..2]>/<key>/manifest.json   a complete entry…
 *                                      /out/…           …and its outputs (with checkpoints/)
 *               tmp/<pid>-<start>-<nonce>/out/          scratch of a running stage
 *               index/<encoded stage id>.json           keys a stage produced or reused
 *               lineage/<lineage key>.json              results a stage with progress can continue
 *               corrupt/<key>-<time>-<nonce>/           damaged entries moved aside
 *               lock, lock.break                        the store lock
 *               memo/code_graph.json                    memoised code fingerprints
 *               slurm/<run>/jobs.json, b<n>/…           a SLURM run's records and batches
 * <root>/artifacts/run.json, dag.svg, timeline.svg      the engine's own artifacts,
 *                 .published.json, provenance.json/.js  how each published file was made,
 *                 compare/current/, compare/variant/    and what `compare` materialises
 * ```
 *
 * @module
 */

/**
 * `parent/name`; `""` as parent gives the bare name (a project-relative path). The one join of
 * the layouts: `remote_layout.ts` builds a remote's paths with it too.
 */
export function joinPath(parent: string, name: string): string {
  return parent === "" ? name : `${parent.replace(/\/+$/, "")}/${name}`;
}

/**
 * `<root>/.psinv`, the folder of everything the engine keeps between runs (`""` gives the
 * project-relative path).
 *
 * @example
 * ```ts
 * import { psinvDir } from "./layout.ts";
 * psinvDir("/p/"); // "/p/.psinv"
 * ```
 */
export function psinvDir(root: string): string {
  return joinPath(root, ".psinv");
}

/**
 * `<root>/artifacts`, where the current results are published (`""` gives the
 * project-relative path, as shown in messages).
 *
 * @example
 * ```ts
 * import { artifactsDir } from "./layout.ts";
 * artifactsDir(""); // "artifacts"
 * ```
 */
export function artifactsDir(root: string): string {
  return joinPath(root, "artifacts");
}

/** `<psinv>/store`, holding complete entries only, sharded by the key's first two digits. */
export function entriesDir(psinv: string): string {
  return joinPath(psinv, "store");
}

/**
 * The folder of the entry stored under `key`.
 *
 * @example
 * ```ts
 * import { entryDir } from "./layout.ts";
 * entryDir("/p/.psinv", "ab12"); // "/p/.psinv/store/ab/ab12"
 * ```
 */
export function entryDir(psinv: string, key: string): string {
  return joinPath(joinPath(entriesDir(psinv), key.slice(0, 2)), key);
}

/** The manifest of an entry, or of a scratch folder about to become one. */
export function manifestFile(entry: string): string {
  return joinPath(entry, "manifest.json");
}

/** The outputs folder of an entry, or of a scratch folder about to become one. */
export function outDir(entry: string): string {
  return joinPath(entry, "out");
}

/** `<psinv>/tmp`, holding the scratch folders of running stages. */
export function scratchParentDir(psinv: string): string {
  return joinPath(psinv, "tmp");
}

/** The process that owns a scratch folder: its pid and start time (0 when unknown). */
export interface ScratchOwner {
  /** Its process id. */
  readonly pid: number;
  /** Its start time in clock ticks since boot, so a recycled pid is not taken for it. */
  readonly start: number;
}

/**
 * A scratch folder named for its owner, so that a sweep can tell one a dead process left.
 *
 * @example
 * ```ts
 * import { scratchDir } from "./layout.ts";
 * scratchDir("/p/.psinv", { pid: 7, start: 99 }, "1a2b"); // "/p/.psinv/tmp/7-99-1a2b"
 * ```
 */
export function scratchDir(psinv: string, owner: ScratchOwner, nonce: string): string {
  return joinPath(scratchParentDir(psinv), `${owner.pid}-${owner.start}-${nonce}`);
}

/**
 * The owner a scratch folder's name (as listed in {@linkcode scratchParentDir}) names, if it is
 * one.
 *
 * @example
 * ```ts
 * import { scratchOwnerOf } from "./layout.ts";
 * scratchOwnerOf("7-99-1a2b"); // { pid: 7, start: 99 }
 * ```
 */
export function scratchOwnerOf(name: string): ScratchOwner | undefined {
  const m = /^(\d+)-(\d+)-/.exec(name);
  return m ? { pid: Number(m[1]), start: Number(m[2]) } : undefined;
}

/**
 * The scratch folder whose outputs folder is `dir`, if `dir` is one.
 *
 * @example
 * ```ts
 * import { scratchOfOutDir } from "./layout.ts";
 * scratchOfOutDir("/p/.psinv", "/p/.psinv/tmp/7-99-1a2b/out"); // "/p/.psinv/tmp/7-99-1a2b"
 * scratchOfOutDir("/p/.psinv", "/elsewhere/out"); // undefined
 * ```
 */
export function scratchOfOutDir(psinv: string, dir: string): string | undefined {
  const clean = dir.replace(/\/+$/, "");
  const parent = clean.slice(0, clean.lastIndexOf("/"));
  if (clean !== outDir(parent)) return undefined;
  const prefix = joinPath(scratchParentDir(psinv), "");
  const name = parent.slice(prefix.length);
  return parent.startsWith(prefix) && name !== "" && !name.includes("/") ? parent : undefined;
}

/** `<psinv>/index`, one history file per stage id. */
export function indexDir(psinv: string): string {
  return joinPath(psinv, "index");
}

/**
 * The history file of a stage id (encoded, since ids contain `/`).
 *
 * @example
 * ```ts
 * import { indexFile } from "./layout.ts";
 * indexFile("/p/.psinv", "train/a"); // "/p/.psinv/index/train%2Fa.json"
 * ```
 */
export function indexFile(psinv: string, stage: string): string {
  return joinPath(indexDir(psinv), `${encodeURIComponent(stage)}.json`);
}

/**
 * The stage id of a history file's name (as listed in {@linkcode indexDir}), if it is one.
 *
 * @example
 * ```ts
 * import { stageOfIndexFile } from "./layout.ts";
 * stageOfIndexFile("train%2Fa.json"); // "train/a"
 * ```
 */
export function stageOfIndexFile(name: string): string | undefined {
  if (!name.endsWith(".json") || name.length === 5) return undefined;
  try {
    return decodeURIComponent(name.slice(0, -5));
  } catch {
    return undefined; // Not a name indexFile() makes.
  }
}

/** `<psinv>/lineage`: per lineage (keys equal but for progress), its results and their states. */
export function lineageDir(psinv: string): string {
  return joinPath(psinv, "lineage");
}

/** The file of a lineage; {@linkcode lineageOfFile} reads its name back. */
export function lineageFile(psinv: string, lineage: string): string {
  return joinPath(lineageDir(psinv), `${lineage}.json`);
}

/** The lineage key a file's name in {@linkcode lineageDir} names, if it is one. */
export function lineageOfFile(name: string): string | undefined {
  return /^([0-9a-f]{64})\.json$/.exec(name)?.[1];
}

/**
 * The output (relative to a result's outputs folder, e.g. `checkpoints/500.state`) holding the
 * state a stage with progress kept at `progress`; never published.
 */
export function checkpointOutput(progress: number): string {
  return `checkpoints/${progress}.state`;
}

/** `<psinv>/corrupt`, where damaged entries wait, for inspection, until the next gc. */
export function corruptDir(psinv: string): string {
  return joinPath(psinv, "corrupt");
}

/**
 * Where a damaged folder `name` is moved aside; `time` (ms) and `nonce` keep repeats apart.
 *
 * @example
 * ```ts
 * import { quarantineDir } from "./layout.ts";
 * quarantineDir("/p/.psinv", "ab12", 5, "f00d"); // "/p/.psinv/corrupt/ab12-5-f00d"
 * ```
 */
export function quarantineDir(psinv: string, name: string, time: number, nonce: string): string {
  return joinPath(corruptDir(psinv), `${name}-${time}-${nonce}`);
}

/** The store lock, naming its holder. */
export function lockFile(psinv: string): string {
  return joinPath(psinv, "lock");
}

/** Created exclusively by whoever removes a stale lock, so only one does at a time. */
export function lockBreakerFile(psinv: string): string {
  return `${lockFile(psinv)}.break`;
}

/** `<psinv>/memo`, facts memoised between runs (never part of a key). */
export function memoDir(psinv: string): string {
  return joinPath(psinv, "memo");
}

/** The memo of the code fingerprints of stage modules. */
export function codeGraphMemoFile(psinv: string): string {
  return joinPath(memoDir(psinv), "code_graph.json");
}

/** `<psinv>/slurm`, one folder per SLURM run. */
export function slurmDir(psinv: string): string {
  return joinPath(psinv, "slurm");
}

/** The folder of the SLURM run tagged `tag`. */
export function slurmRunDir(psinv: string, tag: string): string {
  return joinPath(slurmDir(psinv), tag);
}

/** The job ids a SLURM run submitted, recorded so a later run can cancel them. */
export function slurmJobsFile(run: string): string {
  return joinPath(run, "jobs.json");
}

/**
 * The folder of a run's `n`-th submission (one job array; each array task runs one batch).
 *
 * @example
 * ```ts
 * import { slurmBatchDir } from "./layout.ts";
 * slurmBatchDir("/p/.psinv/slurm/7-1a2b", 3); // "/p/.psinv/slurm/7-1a2b/b3"
 * ```
 */
export function slurmBatchDir(run: string, n: number): string {
  return joinPath(run, `b${n}`);
}

/** The task file (the batch of stages to run) of array task `index`. */
export function slurmTaskFile(batch: string, index: number | string): string {
  return joinPath(batch, `task-${index}.json`);
}

/**
 * The exit-status file a node writes for stage `stage` (its place in the batch) of array task
 * `index`, as soon as that stage has ended.
 *
 * @example
 * ```ts
 * import { slurmStatusFile } from "./layout.ts";
 * slurmStatusFile("/r/b1", 2, 0); // "/r/b1/status-2.0.json"
 * ```
 */
export function slurmStatusFile(batch: string, index: number | string, stage: number): string {
  return joinPath(batch, `status-${index}.${stage}.json`);
}

/**
 * The `k`-th offer of more stages to the job of array task `index`, in one of its states: made
 * by the coordinator (`offer`), claimed by the job by renaming it (`taken`), or taken back by
 * the coordinator by renaming it (`withdrawn`); one rename wins, so a stage runs in one place.
 *
 * @example
 * ```ts
 * import { slurmOfferFile } from "./layout.ts";
 * slurmOfferFile("/r/b1", 0, 2, "taken"); // "/r/b1/taken-0.2.json"
 * ```
 */
export function slurmOfferFile(
  batch: string,
  index: number | string,
  k: number,
  state: "offer" | "taken" | "withdrawn",
): string {
  return joinPath(batch, `${state}-${index}.${k}.json`);
}

/** Written by the coordinator: the job of array task `index` gets no more offers and may end. */
export function slurmReleaseFile(batch: string, index: number | string): string {
  return joinPath(batch, `release-${index}`);
}

/** SLURM's output file of array task `index` (`"%a"` gives `sbatch --output`'s pattern). */
export function slurmLogFile(batch: string, index: number | string): string {
  return joinPath(batch, `log-${index}.txt`);
}

/** The engine's own files of `artifacts/`, by what they are. */
const ENGINE_FILES = {
  runReport: "run.json",
  dag: "dag.svg",
  timeline: "timeline.svg",
  ledger: ".published.json",
  provenance: "provenance.json",
  provenanceScript: "provenance.js",
  compare: "compare",
} as const;

/** What the last `reproduce` did, per stage. */
export function runReportFile(artifacts: string): string {
  return joinPath(artifacts, ENGINE_FILES.runReport);
}

/**
 * The drawing of the stage graph.
 *
 * @example
 * ```ts
 * import { artifactsDir, dagSvgFile } from "./layout.ts";
 * dagSvgFile(artifactsDir("")); // "artifacts/dag.svg"
 * ```
 */
export function dagSvgFile(artifacts: string): string {
  return joinPath(artifacts, ENGINE_FILES.dag);
}

/** The last run's stages over time, one lane per worker or SLURM job (`record/timeline.ts`). */
export function timelineSvgFile(artifacts: string): string {
  return joinPath(artifacts, ENGINE_FILES.timeline);
}

/** The record of which stage published which file, so files no longer published are removed. */
export function publishedLedgerFile(artifacts: string): string {
  return joinPath(artifacts, ENGINE_FILES.ledger);
}

/** The provenance record of every published file (`core/provenance.ts` says what it holds). */
export function provenanceFile(artifacts: string): string {
  return joinPath(artifacts, ENGINE_FILES.provenance);
}

/**
 * The same record as a script assigning it to a global, for pages opened from `file://`, where
 * browsers refuse to `fetch` a local JSON file but load a local script.
 */
export function provenanceScriptFile(artifacts: string): string {
  return joinPath(artifacts, ENGINE_FILES.provenanceScript);
}

/**
 * Where `compare` materialises one side (`current` or `variant`) and writes its page.
 *
 * @example
 * ```ts
 * import { artifactsDir, compareDir } from "./layout.ts";
 * compareDir(artifactsDir("/p"), "variant"); // "/p/artifacts/compare/variant"
 * compareDir(artifactsDir("/p")); // "/p/artifacts/compare"
 * ```
 */
export function compareDir(artifacts: string, side?: "current" | "variant"): string {
  const dir = joinPath(artifacts, ENGINE_FILES.compare);
  return side === undefined ? dir : joinPath(dir, side);
}

/**
 * Names the engine writes into `artifacts/` itself; a stage may not publish over them, nor
 * anywhere under a folder among them.
 */
export const ENGINE_ARTIFACTS: ReadonlySet<string> = new Set(Object.values(ENGINE_FILES));
