/**
 * `artifacts/`: the published outputs of the current parameters, copied out of the store.
 * Each file is replaced atomically and only when its content differs; files an earlier run
 * published and this one no longer does (a removed configuration, a stage that now failed) are
 * deleted, tracked in `artifacts/.published.json`, so `artifacts/` never shows stale results.
 * Then `provenance.json` says how each published file was made (`provenance.ts`).
 *
 * @module
 */
import {
  artifactsDir,
  type Emit,
  err,
  type Hash,
  type IoFailed,
  ok,
  publishedLedgerFile,
  type Result,
  sha256Sync,
} from "../core/mod.ts";
import { readBytesIfPresent, sweepTemporaries, writeAtomic } from "./files.ts";
import type { Manifest } from "./manifest.ts";
import { provenanceRecord, readProvenance, writeProvenance } from "./provenance.ts";

/** One stage of this run, as far as publishing is concerned. */
export interface PublishingStage {
  /** The stage id. */
  readonly id: string;
  /** Output file → path under `artifacts/`. */
  readonly publish: Readonly<Record<string, string>>;
  /** Input name → id of the stage it reads (for the provenance record). */
  readonly inputs: Readonly<Record<string, string>>;
  /** The stages whose results decided that it exists (`StageDecl.after`). */
  readonly after?: readonly string[];
  /** Where its stored outputs are, when the stage has a result in this run. */
  readonly result?: { readonly dir: string; readonly manifest: Manifest };
}

/** Options of {@linkcode materialise}. */
export interface MaterialiseOptions {
  /** The project root. */
  readonly root: string;
  /** The folder to materialise into: `artifacts/` of `root` unless given (`compare`'s sides). */
  readonly dir?: string;
  /** The stages of this run (failed and skipped ones without `result`). */
  readonly stages: readonly PublishingStage[];
  /** Ids of every stage in the current graph (files of stages that vanished are removed). */
  readonly known: ReadonlySet<string>;
  /** Receives an event per file written or removed. */
  readonly emit: Emit;
}

/** What {@linkcode materialise} did, and what the folder now holds. */
export interface Materialised {
  readonly written: number;
  readonly removed: number;
  /** Published path → the stage that published it and the file's hash. */
  readonly published: Readonly<Record<string, { readonly stage: string; readonly hash: Hash }>>;
}

/** What `.published.json` records for each file: the stage that published it and its hash. */
interface Ledger {
  readonly files: Record<string, { readonly stage: string; readonly hash: string }>;
}

/** The hint shown when `artifacts/` cannot be written. */
export const ARTIFACTS_HINT =
  "check that artifacts/ is a writable folder and that the disk has free space";

/**
 * Copies the published outputs of this run's stages into `artifacts/` and removes files no
 * longer published.
 */
export async function materialise(
  opts: MaterialiseOptions,
): Promise<Result<Materialised, IoFailed>> {
  const dir = opts.dir ?? artifactsDir(opts.root);
  let at = dir;
  try {
    await Deno.mkdir(dir, { recursive: true });
    await sweepTemporaries(dir);
    const ledger = await readLedger(dir);
    const next: Ledger["files"] = {};
    const inRun = new Set(opts.stages.map((s) => s.id));
    let written = 0, removed = 0;

    for (const s of opts.stages) {
      if (!s.result) continue;
      for (const [file, target] of Object.entries(s.publish)) {
        const rec = s.result.manifest.files[file];
        if (rec === undefined) continue;
        at = `${dir}/${target}`;
        if (await hashOf(at) !== rec.hash) {
          await writeAtomic(at, { from: `${s.result.dir}/${file}` });
          opts.emit({ kind: "artifact-written", stage: s.id, path: target });
          written++;
        }
        next[target] = { stage: s.id, hash: rec.hash };
      }
    }
    for (const [target, entry] of Object.entries(ledger.files)) {
      if (target in next) continue;
      if (inRun.has(entry.stage) || !opts.known.has(entry.stage)) {
        at = `${dir}/${target}`;
        if (await removeFile(at)) {
          opts.emit({ kind: "artifact-removed", path: target });
          removed++;
        }
        await removeEmptyParents(dir, target);
      } else {
        next[target] = entry;
      }
    }
    at = publishedLedgerFile(dir);
    await writeAtomic(at, { data: JSON.stringify({ files: sorted(next) }, null, 1) + "\n" });
    const published = sorted(next) as Materialised["published"];
    const previous = readProvenance(dir);
    at = dir;
    await writeProvenance(
      dir,
      provenanceRecord({
        stages: opts.stages.map((s) => ({
          id: s.id,
          inputs: s.inputs,
          ...(s.after ? { after: s.after } : {}),
          ...(s.result ? { manifest: s.result.manifest } : {}),
        })),
        known: opts.known,
        published,
        ...(previous ? { previous } : {}),
      }),
    );
    return ok({ written, removed, published });
  } catch (e) {
    return err({
      reason: "io-failed",
      path: at,
      detail: e instanceof Error ? e.message : String(e),
      hint: ARTIFACTS_HINT,
    });
  }
}

async function readLedger(dir: string): Promise<Ledger> {
  let text: string;
  try {
    text = await Deno.readTextFile(publishedLedgerFile(dir));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return { files: {} };
    throw e;
  }
  try {
    const doc = JSON.parse(text) as Partial<Ledger>;
    const files: Ledger["files"] = {};
    for (const [k, v] of Object.entries(doc.files ?? {})) {
      if (typeof v?.stage === "string" && typeof v.hash === "string") files[k] = v;
    }
    return { files };
  } catch {
    // Only a record of what we wrote: if garbled, the next run rebuilds it (without deletions).
    return { files: {} };
  }
}

/**
 * The hash of an artifact in place, or undefined when it is absent. Read synchronously: a run
 * checks every published file in turn, and awaited reads cost more in round trips to Deno's
 * I/O threads than the reads themselves.
 */
function hashOf(path: string): Promise<Hash | undefined> {
  try {
    const bytes = readBytesIfPresent(path);
    return Promise.resolve(bytes === undefined ? undefined : sha256Sync(bytes));
  } catch (e) {
    return Promise.reject(e);
  }
}

async function removeFile(path: string): Promise<boolean> {
  try {
    await Deno.remove(path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

/** Removes folders of `target` that became empty, up to (not including) `artifacts/`. */
async function removeEmptyParents(dir: string, target: string): Promise<void> {
  const parts = target.split("/").slice(0, -1);
  while (parts.length > 0) {
    try {
      await Deno.remove(`${dir}/${parts.join("/")}`);
    } catch {
      return; // Not empty, or already gone.
    }
    parts.pop();
  }
}

function sorted<T>(rec: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(rec).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
