/**
 * Writes and reads `artifacts/provenance.json` (and `provenance.js`, the same record for pages
 * opened from `file://`): built from the manifests of a run's results, which recorded at
 * execution time everything the record says, merged with the record of earlier runs for the
 * stages this run did not select.
 *
 * @module
 */
import {
  type CodeProvenance,
  type Hash,
  PROVENANCE_FORMAT,
  PROVENANCE_GLOBAL,
  provenanceFile,
  type ProvenanceRecord,
  provenanceScriptFile,
  type StageProvenance,
} from "../core/mod.ts";
import { readTextIfPresent, writeAtomic } from "./files.ts";
import type { Manifest } from "./manifest.ts";

/** One stage of a run, as far as provenance is concerned. */
export interface ProvenanceStage {
  readonly id: string;
  /** Input name → id of the stage it reads. */
  readonly inputs: Readonly<Record<string, string>>;
  /** The stages whose results decided that it exists (`StageDecl.after`). */
  readonly after?: readonly string[];
  /** The stage's stored result in this run; absent when it failed or was skipped. */
  readonly manifest?: Manifest;
}

/** Options of {@linkcode provenanceRecord}. */
export interface ProvenanceOptions {
  /** The stages of this run. */
  readonly stages: readonly ProvenanceStage[];
  /** Ids of every stage in the current graph: records of other ids are dropped. */
  readonly known: ReadonlySet<string>;
  /** What `artifacts/` now holds: published path → stage and hash (`materialise`'s answer). */
  readonly published: Readonly<Record<string, { readonly stage: string; readonly hash: Hash }>>;
  /** The record of an earlier run, for the stages this run did not select. */
  readonly previous?: ProvenanceRecord;
}

/**
 * The provenance record of `artifacts/` after a run. Deterministic: it says only what the
 * manifests say, so a run that reused every result writes the same bytes again.
 *
 * @example
 * ```ts
 * import { provenanceRecord } from "./provenance.ts";
 * const r = provenanceRecord({ stages: [], known: new Set(), published: {} });
 * r.stages; // {}
 * ```
 */
export function provenanceRecord(opts: ProvenanceOptions): ProvenanceRecord {
  const inRun = new Set(opts.stages.map((s) => s.id));
  const stages: Record<string, StageProvenance> = {};
  const code: Record<string, CodeProvenance> = {};
  for (const [id, rec] of Object.entries(opts.previous?.stages ?? {})) {
    if (inRun.has(id) || !opts.known.has(id)) continue;
    stages[id] = rec;
    const c = opts.previous?.code[rec.code];
    if (c !== undefined) code[rec.code] = c;
  }
  const keyOf = new Map<string, Hash>();
  for (const s of opts.stages) if (s.manifest) keyOf.set(s.id, s.manifest.key);
  for (const s of opts.stages) {
    const m = s.manifest;
    if (m === undefined) continue;
    const inputs: Record<string, { stage: string; key: Hash }> = {};
    for (const [name, from] of Object.entries(s.inputs)) {
      const key = keyOf.get(from) ?? stages[from]?.key;
      if (key !== undefined) inputs[name] = { stage: from, key };
    }
    const started = Date.parse(m.created);
    stages[s.id] = {
      key: m.key,
      ...(m.stage !== s.id ? { producedBy: m.stage } : {}),
      params: m.fingerprint.params,
      inputs,
      ...(s.after && s.after.length > 0 ? { after: s.after } : {}),
      code: m.fingerprint.code,
      version: m.fingerprint.version,
      ...(m.ran ? { ran: m.ran } : {}),
      ...(m.resumed ? { resumed: m.resumed } : {}),
      started: m.created,
      finished: Number.isFinite(started)
        ? new Date(started + Math.round(m.seconds * 1000)).toISOString()
        : m.created,
      seconds: m.seconds,
    };
    if (m.code) {
      code[m.fingerprint.code] = { deno: m.code.deno, npm: m.code.npm, files: m.code.files };
    }
  }
  return {
    format: PROVENANCE_FORMAT,
    artifacts: sortedRecord(opts.published),
    stages: sortedRecord(stages),
    code: sortedRecord(code),
  };
}

/** Reads the record in the artifacts folder `dir`; undefined when absent or unreadable. */
export function readProvenance(dir: string): ProvenanceRecord | undefined {
  const text = readTextIfPresent(provenanceFile(dir));
  if (text === undefined) return undefined;
  try {
    const doc = JSON.parse(text) as Partial<ProvenanceRecord>;
    if (doc.format !== PROVENANCE_FORMAT || typeof doc.stages !== "object") return undefined;
    return { artifacts: {}, code: {}, ...doc } as ProvenanceRecord;
  } catch {
    // Only a record of what the store says: a garbled one is rebuilt by the next run.
    return undefined;
  }
}

/**
 * Writes `provenance.json` and `provenance.js` into the artifacts folder `dir`, each replaced
 * atomically and only when its content changed.
 */
export async function writeProvenance(dir: string, record: ProvenanceRecord): Promise<void> {
  const json = JSON.stringify(record, null, 1);
  const files: [string, string][] = [
    [provenanceFile(dir), `${json}\n`],
    [provenanceScriptFile(dir), `globalThis.${PROVENANCE_GLOBAL} = ${json};\n`],
  ];
  for (const [path, data] of files) {
    if (readTextIfPresent(path) !== data) await writeAtomic(path, { data });
  }
}

function sortedRecord<T>(rec: Readonly<Record<string, T>>): Record<string, T> {
  return Object.fromEntries(Object.entries(rec).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
