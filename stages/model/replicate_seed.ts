/**
 * The training seed of one replicate: replicate i on data draw d. Imports nothing, so that the
 * `train` stage's key covers this rule and nothing else of the design.
 *
 * @module
 */

/** 2³²: a draw's seeds live above every seed of draw 0 (`training.seed` + i < 2³²). */
const DRAW_STRIDE = 0x100000000;

/**
 * The seed that initialises f and g and orders the minibatches of replicate `replicate` on draw
 * `draw`: `base + replicate` on draw 0 (so replicate 0 of draw 0 is the post's run, and draw 0's
 * runs are those trained before draws had seeds of their own), and `base + replicate + draw · 2³²`
 * on draw d > 0. No two (replicate, draw) pairs share a seed while `base + replicate` < 2³²: the
 * generator (data/random.ts) mixes the high word in, so each pair starts its own stream.
 *
 * @example
 * ```ts
 * import { replicateSeed } from "./replicate_seed.ts";
 * replicateSeed(0, 3, 0); // 3
 * replicateSeed(0, 3, 2); // 8589934595
 * ```
 */
export function replicateSeed(base: number, replicate: number, draw: number): number {
  return base + replicate + draw * DRAW_STRIDE;
}
