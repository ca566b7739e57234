/**
 * A one-stage pipeline whose result is as large as its parameter says (`mib`), for the tests
 * that a result larger than memory goes up to a remote and comes down in bounded memory.
 *
 * @module
 */
import type { Pipeline } from "../../../pipeline/core/stage.ts";

/** The parameters: the output's size in MiB. */
export interface BigParams {
  readonly mib: number;
}

/** The pipeline: one stage, `big`, writing `big.bin`. */
export const big: Pipeline<BigParams> = {
  paramsFile: "params.json",
  validate: (doc) => {
    const mib = (doc as { mib?: unknown } | null)?.mib;
    return typeof mib === "number" && Number.isInteger(mib) && mib >= 0
      ? { ok: true, value: { mib } }
      : { ok: false, issues: [{ path: "mib", message: "expected a whole number" }] };
  },
  stages: () => [{
    id: "big",
    module: new URL("./big.ts", import.meta.url).href,
    inputs: {},
    params: { mib: "mib" },
    outputs: ["big.bin"],
  }],
  trustedKeys: "trusted_keys.json",
};
