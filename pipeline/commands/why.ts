/**
 * `why <artifact>`: how a file of `artifacts/` was made, from `artifacts/provenance.json` (the
 * record `reproduce` writes from the store's manifests): the stage that published it with its
 * key, parameters, inputs, code and run, then every stage upstream back to the sources, each
 * checked against the store.
 *
 * @module
 */
import {
  artifactsDir,
  type CodeProvenance,
  entryDir,
  err,
  manifestFile,
  ok,
  psinvDir,
  type Result,
  type UnknownArtifact,
  type WhyAnswer,
  type WhyStage,
} from "../core/mod.ts";
import { readProvenance, statIfPresent } from "../store/mod.ts";

/** Options of {@linkcode why}. */
export interface WhyOptions {
  /** The project root. */
  readonly root: string;
  /** The file asked about, relative to `artifacts/` (a leading `artifacts/` is accepted). */
  readonly path: string;
  /** List every upstream stage (the answer carries them all; this only tells the logger). */
  readonly all: boolean;
}

/**
 * Traces one published file back to its sources; `unknown-artifact` when the record does not
 * list it (with the listed paths, so the message can name the nearest).
 *
 * @example
 * ```ts
 * import { why } from "./why.ts";
 * const r = why({ root: "/no/such/project", path: "metrics.csv", all: false });
 * r.ok; // false: nothing was reproduced there
 * ```
 */
export function why(opts: WhyOptions): Result<WhyAnswer, UnknownArtifact> {
  const path = opts.path.replace(/^(\.\/)?artifacts\//, "");
  const record = readProvenance(artifactsDir(opts.root));
  const published = record?.artifacts[path];
  if (record === undefined || published === undefined) {
    return err({
      reason: "unknown-artifact",
      path: opts.path,
      known: Object.keys(record?.artifacts ?? {}),
    });
  }
  const psinv = psinvDir(opts.root);
  const stages: WhyStage[] = [];
  const code: Record<string, CodeProvenance> = {};
  const seen = new Set([published.stage]);
  let level = [published.stage];
  for (let depth = 0; level.length > 0; depth++) {
    const next: string[] = [];
    for (const id of level) {
      const rec = record.stages[id];
      if (rec === undefined) continue;
      const stored = statIfPresent(manifestFile(entryDir(psinv, rec.key))) !== undefined;
      stages.push({ id, depth, record: rec, stored });
      const c = record.code[rec.code];
      if (c !== undefined) code[rec.code] = c;
      for (const from of [...Object.values(rec.inputs).map((i) => i.stage), ...rec.after ?? []]) {
        if (seen.has(from)) continue;
        seen.add(from);
        next.push(from);
      }
    }
    level = next;
  }
  return ok({ kind: "why", path, hash: published.hash, stages, code, all: opts.all });
}
