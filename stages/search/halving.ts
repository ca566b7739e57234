/**
 * How many trials a search trains at each budget, and what that costs: successive halving
 * (Jamieson and Talwalkar, "Non-stochastic best arm identification and hyperparameter
 * optimization", AISTATS 2016), the inner loop of Hyperband (Li, Jamieson, DeSalvo, Rostamizadeh
 * and Talwalkar, JMLR 18, 2018). Every trial trains to the first rung's epochs; the best 1/eta
 * go on to the next rung, and so on, so most of the budget goes to the few trials that earn it.
 * A promoted trial resumes from its stored state at the previous rung instead of starting over.
 *
 * @module
 */

/** What a search trains, in epochs of one network pair: as done, and if every rung restarted. */
export interface SearchCost {
  /** Epochs trained when each promoted trial resumes from its previous rung. */
  readonly spent: number;
  /** Epochs it would take if each rung trained its trials from scratch. */
  readonly fromScratch: number;
}

/**
 * The number of trials at each of `rungs` rungs: `trials` at rung 0, then max(1, ⌊size / eta⌋)
 * at each next rung.
 *
 * @example
 * ```ts
 * import { rungSizes } from "./halving.ts";
 * rungSizes(27, 3, 3); // [27, 9, 3]
 * rungSizes(10, 4, 3); // [10, 3, 1, 1]
 * ```
 */
export function rungSizes(trials: number, rungs: number, eta: number): number[] {
  if (!Number.isInteger(trials) || trials < 1) {
    throw new RangeError(`Cannot search "${trials}" trials: not a whole number ≥ 1`);
  }
  if (!Number.isInteger(rungs) || rungs < 1) {
    throw new RangeError(`Cannot search in "${rungs}" rungs: not a whole number ≥ 1`);
  }
  if (!(eta > 1)) throw new RangeError(`Cannot keep 1/"${eta}" of the trials: eta must exceed 1`);
  const sizes = [trials];
  while (sizes.length < rungs) sizes.push(Math.max(1, Math.floor(sizes.at(-1)! / eta)));
  return sizes;
}

/**
 * The epochs a successive-halving search trains over `replicates` runs a trial, with the rungs'
 * epochs `rungs` (increasing): spent = Σ_r size_r · (rungs[r] − rungs[r − 1]) · replicates, with
 * rungs[−1] = 0, against fromScratch = Σ_r size_r · rungs[r] · replicates.
 *
 * @example
 * ```ts
 * import { searchEpochs } from "./halving.ts";
 * searchEpochs(27, [50, 150, 500], 3, 3); // { spent: 9900, fromScratch: 12600 }
 * ```
 */
export function searchEpochs(
  trials: number,
  rungs: readonly number[],
  eta: number,
  replicates: number,
): SearchCost {
  if (!Number.isInteger(replicates) || replicates < 1) {
    throw new RangeError(`Cannot train "${replicates}" replicates: not a whole number ≥ 1`);
  }
  rungs.forEach((epochs, r) => {
    if (!Number.isInteger(epochs) || epochs <= (rungs[r - 1] ?? 0)) {
      throw new RangeError(
        `Cannot train rung ${r} to "${epochs}" epochs: not a whole number above the last rung's`,
      );
    }
  });
  const sizes = rungSizes(trials, rungs.length, eta);
  let spent = 0, fromScratch = 0;
  sizes.forEach((size, r) => {
    spent += size * (rungs[r]! - (rungs[r - 1] ?? 0)) * replicates;
    fromScratch += size * rungs[r]! * replicates;
  });
  return { spent, fromScratch };
}
