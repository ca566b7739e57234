/**
 * Which stored results a stage with progress can continue: those of its lineage, the results whose
 * fingerprints are equal in every part but the parameters that say how far the work went and which
 * of its states were kept. The lineage key hashes exactly those other parts.
 *
 * @module
 */
import { canonicalJson, type Hash, sha256 } from "../core/mod.ts";
import type { Fingerprint } from "./fingerprint.ts";

/** The fingerprint's parameters (by their key in `Fingerprint.params`) a lineage leaves out. */
export interface ProgressParams {
  /** The parameter measuring progress. */
  readonly progress: string;
  /** The parameter listing the intermediate states kept, if the stage declares one. */
  readonly checkpoints?: string;
}

/**
 * The lineage key of a fingerprint: SHA-256 of its canonical JSON without the progress and
 * checkpoints parameters, with the progress parameter's name in their place (a stage that
 * measures progress by another parameter is another lineage). Results of one lineage differ only
 * in how far they went, so one that went less far can be continued into one that goes further.
 *
 * @example
 * ```ts
 * import { lineageKey } from "./lineage.ts";
 * import { ENGINE_FORMAT } from "./fingerprint.ts";
 * import { sha256 } from "../core/hash.ts";
 * const code = await sha256("code");
 * const fp = (epochs: number) =>
 *   ({ format: ENGINE_FORMAT, params: { "t.epochs": epochs, "t.lr": 1 }, inputs: {}, code, version: 0 });
 * const by = { progress: "t.epochs" };
 * (await lineageKey(fp(500), by)) === (await lineageKey(fp(1000), by)); // true
 * ```
 */
export async function lineageKey(fp: Fingerprint, by: ProgressParams): Promise<Hash> {
  const params: Record<string, unknown> = {};
  for (const [path, value] of Object.entries(fp.params)) {
    if (path !== by.progress && path !== by.checkpoints) params[path] = value;
  }
  return await sha256(canonicalJson({ ...fp, params, lineage: by.progress }));
}
