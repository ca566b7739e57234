/**
 * A seeded pseudo-random generator, our own so that every random draw of the experiment (data,
 * initialisation, minibatch order) depends only on the parameters file and not on a library's
 * global state or version.
 *
 * @module
 */

/** A stream of pseudo-random numbers; each call advances its state. */
export interface Rng {
  /** A uniform draw in [0, 1), with 32 bits of randomness. */
  uniform(): number;
  /** A standard normal draw (Box–Muller). */
  normal(): number;
  /** Its whole state now, from which {@linkcode restoreRng} continues the same stream. */
  state(): RngState;
}

/** A generator's whole state: sfc32's four words, and the normal draw Box–Muller kept back. */
export interface RngState {
  readonly words: readonly [number, number, number, number];
  readonly spare?: number;
}

/** Mixes a 32-bit state into a well-spread 32-bit value (the splitmix32 finaliser). */
function mix32(z: number): number {
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** FNV-1a hash of a string, used to give each named stream its own seed. */
function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  }
  return h >>> 0;
}

/**
 * Creates a generator (sfc32, seeded through splitmix32) for a seed and a stream name, so that
 * independent uses of one seed ("init-f", "shuffle", …) draw from unrelated sequences.
 *
 * @example
 * ```ts
 * import { createRng } from "./random.ts";
 * const a = createRng(42, "data");
 * const b = createRng(42, "data");
 * a.uniform() === b.uniform(); // true
 * ```
 */
export function createRng(seed: number, stream = ""): Rng {
  // Seeds above 2^32 keep their high bits: split into two 32-bit words before mixing.
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 0x100000000) >>> 0;
  let s = mix32(lo ^ mix32(hi ^ hashString(stream)));
  const next32 = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    return mix32(s);
  };
  const a = next32();
  const b = next32();
  const c = next32();
  const d = next32() | 1;
  const rng = restoreRng({ words: [a, b, c, d] });
  // Warm-up, as recommended for sfc32, so nearby seeds diverge immediately.
  for (let i = 0; i < 12; i++) rng.uniform();
  return rng;
}

/**
 * The generator whose state is `state` (from {@linkcode Rng.state}): it continues that stream
 * draw for draw.
 *
 * @example
 * ```ts
 * import { createRng, restoreRng } from "./random.ts";
 * const a = createRng(42, "shuffle");
 * a.normal();
 * const b = restoreRng(a.state());
 * a.normal() === b.normal(); // true
 * ```
 */
export function restoreRng(state: RngState): Rng {
  // sfc32's words a, b, c, d in a typed array: its stores wrap modulo 2³² as sfc32 does, and its
  // words stay unboxed (a closure's numbers above 2³⁰ are allocated anew on every draw).
  const w = Uint32Array.from(state.words);
  let spare = state.spare;
  const sfc32 = (): number => {
    const t = (w[0]! + w[1]! + w[3]!) >>> 0;
    w[3] = w[3]! + 1;
    w[0] = w[1]! ^ (w[1]! >>> 9);
    const c = w[2]!;
    w[1] = c + (c << 3);
    w[2] = ((c << 21) | (c >>> 11)) + t;
    return t;
  };
  const uniform = (): number => sfc32() / 0x100000000;
  return {
    uniform,
    normal(): number {
      if (spare !== undefined) {
        const z = spare;
        spare = undefined;
        return z;
      }
      // 1 − u lies in (0, 1], so the logarithm is finite.
      const r = Math.sqrt(-2 * Math.log(1 - uniform()));
      const theta = 2 * Math.PI * uniform();
      spare = r * Math.sin(theta);
      return r * Math.cos(theta);
    },
    // a as sfc32's xor leaves it: a signed 32-bit integer, as kept states have always held it.
    state: () => ({
      words: [w[0]! | 0, w[1]!, w[2]!, w[3]!],
      ...(spare === undefined ? {} : { spare }),
    }),
  };
}

/**
 * A uniformly random permutation of 0..n−1 (Fisher–Yates).
 *
 * @example
 * ```ts
 * import { createRng, permutation } from "./random.ts";
 * permutation(createRng(1), 4).toSorted(); // [0, 1, 2, 3]
 * ```
 */
export function permutation(rng: Rng, n: number): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    const t = p[i]!;
    p[i] = p[j]!;
    p[j] = t;
  }
  return p;
}

/** 2³²: a draw's seeds live above every seed of draw 0 (`training.seed` + i < 2³²). */
const DRAW_STRIDE = 0x100000000;

/**
 * The seed that initialises f and g and orders the minibatches of replicate `replicate` on draw
 * `draw`: `base + replicate` on draw 0 (so replicate 0 of draw 0 is the post's run, and draw 0's
 * runs are those trained before draws had seeds of their own), and `base + replicate + draw · 2³²`
 * on draw d > 0. No two (replicate, draw) pairs share a seed while `base + replicate` < 2³²: the
 * generator (createRng) mixes the high word in, so each pair starts its own stream.
 *
 * @example
 * ```ts
 * import { replicateSeed } from "./random.ts";
 * replicateSeed(0, 3, 0); // 3
 * replicateSeed(0, 3, 2); // 8589934595
 * ```
 */
export function replicateSeed(base: number, replicate: number, draw: number): number {
  return base + replicate + draw * DRAW_STRIDE;
}
