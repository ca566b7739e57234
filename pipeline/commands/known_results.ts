/**
 * The store's answer to a growing graph's reads (`Pipeline.stages`' `known`): the current
 * result of each stage asked about, found the way `status` finds it (by its key, from its
 * inputs' stored results), never run.
 *
 * @module
 */
import { entryDir, outDir } from "../core/mod.ts";
import { codeOf, type KnownResults } from "../run/mod.ts";
import { openStore } from "../store/mod.ts";
import { stageStates } from "./status.ts";

/**
 * Answers reads from the store of the project at `root`: stage id → its current result's
 * folder, for the stages that have one.
 *
 * @example
 * ```ts ignore
 * import { knownResults } from "./known_results.ts";
 * const plan = await makePlan(pipeline, { root, overrides: [], known: knownResults(root) });
 * ```
 */
export function knownResults(root: string): KnownResults {
  return async (plan, ids) => {
    const code = await codeOf(plan, ids);
    if (!code.ok) return new Map();
    const store = await openStore(root);
    const states = await stageStates({ plan, ids, code: code.value, store });
    const dirs = new Map<string, string>();
    for (const [id, s] of states) {
      if (s.fresh) dirs.set(id, outDir(entryDir(store.dir, s.fresh.key)));
    }
    return dirs;
  };
}
