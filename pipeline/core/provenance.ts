/**
 * What `artifacts/provenance.json` says about every published file: the stage that made it, its
 * key, the parameter values and input keys that key was computed from, the code (its hash, Deno
 * and npm versions), and where, when and how long it ran. The store keeps all of it in each
 * result's manifest from the moment the stage executed, so a result reused later, or on another
 * machine, still says where and when it was made.
 *
 * `provenance.js` holds the same record assigned to `globalThis[PROVENANCE_GLOBAL]`: a page
 * opened from `file://` may load a local script but not `fetch` a local JSON file.
 *
 * @module
 */
import type { Hash } from "./hash.ts";

/** Version of the record's layout, bumped when a field changes meaning. */
export const PROVENANCE_FORMAT = 1;

/** The global `provenance.js` assigns the record to. */
export const PROVENANCE_GLOBAL = "PSINV_PROVENANCE";

/** Where a result was computed: informational, never part of a key. */
export interface RanOn {
  /** The executor that ran it: `local` or `slurm`. */
  readonly executor: string;
  /** The machine's host name (a SLURM job's compute node). */
  readonly host: string;
  /** The SLURM job (`<array>_<task>`), when it ran on a cluster. */
  readonly job?: string;
}

/** One input of a stage: the stage it read and that stage's key. */
export interface InputProvenance {
  readonly stage: string;
  readonly key: Hash;
}

/** How one stage's current result was made. */
export interface StageProvenance {
  /** The stage key: the result's folder in `.psinv/store/`. */
  readonly key: Hash;
  /** Id of the stage that first computed this key, when another stage did (a shared result). */
  readonly producedBy?: string;
  /** Parameter values by dotted path (a literal binding by its local name), as hashed. */
  readonly params: Readonly<Record<string, unknown>>;
  /** Input name → the stage it read and its key. */
  readonly inputs: Readonly<Record<string, InputProvenance>>;
  /**
   * The stages whose results decided that this stage exists in this graph (`StageDecl.after`),
   * e.g. the selection that promoted a trial; not read, not part of the key.
   */
  readonly after?: readonly string[];
  /** Code hash; its Deno and npm versions and modules are in {@linkcode ProvenanceRecord.code}. */
  readonly code: Hash;
  /** The declaration's `version`. */
  readonly version: number;
  /** Where it ran; absent for results stored by an engine that did not record it. */
  readonly ran?: RanOn;
  /**
   * For a stage with progress that continued a stored state: that result's key and the state's
   * progress value (the result is the same bytes as one computed from the start).
   */
  readonly resumed?: { readonly key: Hash; readonly progress: number };
  /** When it started and finished executing (ISO 8601), and how long it took. */
  readonly started: string;
  readonly finished: string;
  readonly seconds: number;
}

/** The code behind one code hash. */
export interface CodeProvenance {
  /** Deno version. */
  readonly deno: string;
  /** npm package → resolved version, transitively. */
  readonly npm: Readonly<Record<string, string>>;
  /** Local module (path relative to the root) → its code hash. */
  readonly files: Readonly<Record<string, Hash>>;
}

/** The content of `artifacts/provenance.json`. */
export interface ProvenanceRecord {
  readonly format: number;
  /** Published path (relative to `artifacts/`) → the stage that published it and its SHA-256. */
  readonly artifacts: Readonly<Record<string, { readonly stage: string; readonly hash: Hash }>>;
  /** Stage id → how its result was made, for every stage with a current result. */
  readonly stages: Readonly<Record<string, StageProvenance>>;
  /** Code hash → Deno, npm versions and modules (shared by the many stages of one module). */
  readonly code: Readonly<Record<string, CodeProvenance>>;
}
