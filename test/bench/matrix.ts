/**
 * The bench matrix: psinv against JAX and PyTorch over job sizes, n ∈ {1000, 3000, 10000} points
 * × hidden layers ∈ {[30, 30], [64, 64], [128, 128], [256, 256]}, λ = μ = 1, ReLU, full-batch
 * epochs, each side on one core (`onOneCore`). Each cell runs the three sides one after another,
 * in an order that turns from cell to cell and round to round, and gives ms/epoch per side (the
 * median over `--matrix-rounds`), each side's GFLOP/s, and psinv ÷ JAX (`jaxRatio`) and
 * psinv ÷ PyTorch (`torchRatio`). A cell where psinv's or JAX's rounds lie further apart than
 * {@linkcode NOISY_SPREAD} is listed under the table and in `noisy` ({@linkcode noisyCells}).
 *
 * Our side is the training scenario's: the `train` stage in its own process on the `generate`
 * stage's points (n of them), timed as a whole call (reading points, drawing the initial weights,
 * training, writing its files), its second in the process (`trainChild`; the first's ms/epoch is
 * kept as `firstMsPerEpoch`); JAX times the second call of its jitted training, the first
 * compiling it; PyTorch its training loop.
 *
 * FLOP per epoch, from the architecture 1 → w₁ → … → w_H → 1: one pass of a network over n rows
 * costs 2·n·(w₁ + Σ w_l·w_{l+1} + w_H) (a multiply and an add per weight and row); an epoch runs
 * four passes forward (f(x), g(y), g(f(x)), f(g(y))) and their backward passes, each about twice
 * its forward (the weights' gradients and the inputs'), so 24·n·(w₁ + Σ w_l·w_{l+1} + w_H).
 * Biases, activations, the loss and Adam are left out (they grow with n·Σ w and with the
 * parameters, not with their products). At n = 3000, [64, 64]: 304 MFLOP.
 *
 * Epochs per cell: as many as make `--matrix-gflop` (30) GFLOP of work per side, from
 * {@linkcode MIN_EPOCHS} to {@linkcode MAX_EPOCHS}, so that every cell takes about a second per
 * side (the largest several), the large ones fewer epochs (n = 10000, [256, 256]: the floor) and
 * the small ones more (n = 1000, [30, 30]: 1302), and the whole matrix some ten minutes. Equal
 * work rather than equal epochs: our side's time includes the stage's fixed cost (reading points,
 * drawing the initial weights, writing weights.json), which at 50 epochs would weigh on the
 * smallest cells' ms/epoch far more than on the largest ones'. `--matrix-epochs N` runs every
 * cell at N.
 *
 * @module
 */
import { fmt, median, type Params, round, type ScenarioResult } from "./_shared.ts";
import { hasTime, pinning } from "./_shared.ts";
import { type Peer, peerMissing, pointsOf, runOurs, runPeer, type TrainingRun } from "./peers.ts";

/** The matrix's job sizes: points, and two hidden layers of one width. */
export const MATRIX_POINTS = [1000, 3000, 10000] as const;
export const MATRIX_WIDTHS = [30, 64, 128, 256] as const;
/**
 * The fewest and the most epochs a cell runs, whatever its work: at fewer than 50, the stage's
 * fixed cost and the machine's noise weigh on what the cell measures.
 */
export const MIN_EPOCHS = 50;
export const MAX_EPOCHS = 5000;

/**
 * FLOP of one epoch of the post's loss on `n` points with hidden `layers` (see the module's
 * doc): 24·n·(w₁ + Σ w_l·w_{l+1} + w_H).
 *
 * @example
 * ```ts
 * import { flopsPerEpoch } from "./matrix.ts";
 * flopsPerEpoch(3000, [64, 64]); // 304128000
 * ```
 */
export function flopsPerEpoch(n: number, layers: readonly number[]): number {
  let weights = layers[0]! + layers.at(-1)!;
  for (let l = 0; l + 1 < layers.length; l++) weights += layers[l]! * layers[l + 1]!;
  return 24 * n * weights;
}

/**
 * Epochs of a cell: `epochs` when given, else as many as make `gflop` GFLOP of work, from
 * {@linkcode MIN_EPOCHS} to {@linkcode MAX_EPOCHS}.
 *
 * @example
 * ```ts
 * import { cellEpochs } from "./matrix.ts";
 * cellEpochs(1000, [30, 30], { gflop: 30 }); // 1302
 * cellEpochs(10000, [256, 256], { gflop: 30 }); // 50
 * cellEpochs(10000, [256, 256], { gflop: 30, epochs: 20 }); // 20
 * ```
 */
export function cellEpochs(
  n: number,
  layers: readonly number[],
  o: { readonly gflop: number; readonly epochs?: number | undefined },
): number {
  if (o.epochs !== undefined) return o.epochs;
  const epochs = Math.round((o.gflop * 1e9) / flopsPerEpoch(n, layers));
  return Math.max(MIN_EPOCHS, Math.min(MAX_EPOCHS, epochs));
}

/** One side of a cell: its median ms/epoch and GFLOP/s, or why it was not measured. */
type Side = { readonly msPerEpoch: number; readonly gflops: number; readonly runs: number[] };
/** Our side: its build, and the median ms/epoch of each process's first training. */
type OurSide = Side & { readonly build?: string | undefined; readonly firstMsPerEpoch?: number };

/** One cell of the matrix, as bench.json has it. */
export interface MatrixCell {
  readonly n: number;
  readonly layers: readonly number[];
  readonly epochs: number;
  readonly flopsPerEpoch: number;
  readonly psinv: OurSide | string;
  readonly jax: Side | string;
  readonly torch: Side | string;
  /** psinv ÷ JAX and psinv ÷ PyTorch in ms/epoch (null when a side was not measured). */
  readonly jaxRatio: number | null;
  readonly torchRatio: number | null;
}

/** Options of {@linkcode benchMatrix}. */
export interface MatrixOptions {
  readonly params: Params;
  readonly peers: readonly Peer[];
  /** Every cell's epochs, instead of those that make `gflop` GFLOP of work. */
  readonly epochs?: number | undefined;
  readonly gflop: number;
  readonly rounds: number;
}

/** The matrix: every cell, its part of bench.json and its lines. */
export async function benchMatrix(o: MatrixOptions): Promise<ScenarioResult> {
  const t0 = performance.now();
  const withTime = await hasTime();
  const missing = new Map<Peer, string | null>();
  for (const peer of o.peers) missing.set(peer, await peerMissing(peer));
  const cells: MatrixCell[] = [];
  for (const n of MATRIX_POINTS) {
    const data = await pointsOf(o.params.data, n);
    try {
      for (const w of MATRIX_WIDTHS) {
        cells.push(
          await cell(o, { n, layers: [w, w], data, missing, withTime, turn: cells.length }),
        );
        const c = cells.at(-1)!;
        console.error(`bench: matrix n=${n} [${w}, ${w}] done (psinv/JAX ${fmt(c.jaxRatio, 2)})`);
      }
    } finally {
      await Deno.remove(data, { recursive: true });
    }
  }
  const seconds = round((performance.now() - t0) / 1000, 1);
  const json = {
    ...(o.epochs === undefined ? { gflop: o.gflop } : { epochs: o.epochs }),
    rounds: o.rounds,
    sides: pinning(),
    seconds,
    cells,
    noisy: noisyCells(cells),
  };
  return { json, lines: matrixLines(o, json) };
}

/** One cell: each side `rounds` times, the order of the sides turning by `turn` and by round. */
async function cell(
  o: MatrixOptions,
  c: {
    n: number;
    layers: number[];
    data: string;
    missing: ReadonlyMap<Peer, string | null>;
    withTime: boolean;
    turn: number;
  },
): Promise<MatrixCell> {
  const epochs = cellEpochs(c.n, c.layers, o);
  const flops = flopsPerEpoch(c.n, c.layers);
  const present = o.peers.filter((p) => c.missing.get(p) === null);
  const sides: (Peer | "ours")[] = ["ours", ...present];
  const runs = new Map<Peer | "ours", TrainingRun[]>(sides.map((s) => [s, []]));
  const failed = new Map<Peer | "ours", string>();
  const job = {
    n: c.n,
    width: c.layers[0]!,
    epochs,
    lambda: 1,
    mu: 1,
    activation: "relu" as const,
  };
  for (let r = 0; r < o.rounds; r++) {
    const k = (c.turn + r) % sides.length;
    for (const side of [...sides.slice(k), ...sides.slice(0, k)]) {
      if (failed.has(side)) continue;
      try {
        runs.get(side)!.push(
          side === "ours"
            ? await runOurs(c.data, { layers: c.layers, epochs })
            : await runPeer(job, side, c.withTime),
        );
      } catch (e) {
        failed.set(side, `failed: ${(e instanceof Error ? e.message : String(e)).slice(0, 300)}`);
      }
    }
  }
  const sideOf = (side: Peer | "ours"): Side | string => {
    const why = failed.get(side) ??
      (side === "ours" ? undefined : c.missing.get(side) ?? undefined);
    if (why !== undefined) return side === "ours" ? why : `not measured: ${why}`;
    const ms = median(runs.get(side)!.map((t) => t.msPerEpoch));
    return {
      msPerEpoch: round(ms, 3),
      gflops: round(flops / (ms * 1e6), 1),
      runs: runs.get(side)!.map((t) => round(t.msPerEpoch, 3)),
    };
  };
  const psinv = sideOf("ours");
  const peer = (key: Peer["key"]) => {
    const p = o.peers.find((x) => x.key === key);
    return p === undefined ? "not measured: no such peer" : sideOf(p);
  };
  const [jax, torch] = [peer("jax"), peer("torch")];
  const ratio = (them: Side | string) =>
    typeof psinv === "string" || typeof them === "string"
      ? null
      : round(psinv.msPerEpoch / them.msPerEpoch);
  return {
    n: c.n,
    layers: c.layers,
    epochs,
    flopsPerEpoch: flops,
    psinv: typeof psinv === "string" ? psinv : {
      ...psinv,
      build: runs.get("ours")![0]?.build,
      firstMsPerEpoch: round(median(runs.get("ours")!.map((t) => t.firstMsPerEpoch ?? NaN)), 3),
    },
    jax,
    torch,
    jaxRatio: ratio(jax),
    torchRatio: ratio(torch),
  };
}

/** Rounds of one side further apart than this (slowest ÷ fastest) make a cell noisy. */
export const NOISY_SPREAD = 1.25;

/**
 * The cells where psinv's or JAX's rounds lie further apart than {@linkcode NOISY_SPREAD}, each as
 * `n=… [w, w] side fastest–slowest`: on a shared machine a burst of load can take two of three
 * rounds of one side, and their median with them, so such a cell's ratio is worth measuring again.
 */
export function noisyCells(cells: readonly MatrixCell[]): string[] {
  return cells.flatMap((c) =>
    (["psinv", "jax"] as const).flatMap((k) => {
      const side = c[k];
      if (typeof side === "string" || side.runs.length < 2) return [];
      const [lo, hi] = [Math.min(...side.runs), Math.max(...side.runs)];
      return hi > lo * NOISY_SPREAD
        ? [`n=${c.n} [${c.layers.join(", ")}] ${k} ${lo.toFixed(2)}–${hi.toFixed(2)}`]
        : [];
    })
  );
}

/** The printed table: a row per cell. */
function matrixLines(
  o: MatrixOptions,
  { cells, seconds, noisy }: {
    cells: readonly MatrixCell[];
    seconds: number;
    noisy: readonly string[];
  },
): string[] {
  const ms = (s: Side | string) => typeof s === "string" ? "—" : s.msPerEpoch.toFixed(2);
  const gf = (s: Side | string) => typeof s === "string" ? "—" : s.gflops.toFixed(0);
  const build = cells.map((c) => typeof c.psinv === "string" ? undefined : c.psinv.build)
    .find((b) => b !== undefined);
  const head = ["n", "layers", "epochs", "MFLOP/ep", "psinv ms/ep", "GFLOP/s", "JAX ms/ep"]
    .concat(["GFLOP/s", "PyTorch ms/ep", "GFLOP/s", "psinv/JAX", "psinv/PyTorch"]);
  const widths = [7, 12, 7, 10, 13, 9, 11, 9, 15, 9, 11, 15];
  const row = (cols: string[]) =>
    "  " + cols.map((c, i) => i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)).join("");
  // Why a side was not measured, once per reason with the cells it concerns.
  const why = new Map<string, string[]>();
  for (const c of cells) {
    for (const k of ["psinv", "jax", "torch"] as const) {
      const side = c[k];
      if (typeof side === "string") {
        const key = `${k}: ${side}`;
        why.set(key, [...(why.get(key) ?? []), `n=${c.n} [${c.layers}]`]);
      }
    }
  }
  const notes = [...why].map(([reason, where]) =>
    `  ${reason} (${where.length === cells.length ? "every cell" : where.join(", ")})`
  );
  return [
    "",
    `Matrix: λ=μ=1, relu, ${pinning()}, psinv on the ${build ?? "?"}; ${
      o.epochs === undefined
        ? `epochs per cell for ${o.gflop} GFLOP of work per side (${MIN_EPOCHS} to ${MAX_EPOCHS})`
        : `${o.epochs} epochs per cell`
    }; median of ${o.rounds} round(s), order turning per cell; ${seconds} s in all`,
    "  FLOP per epoch = 24·n·(w₁ + Σ w_l·w_{l+1} + w_H): four passes forward and their backward",
    row(head),
    ...cells.map((c) =>
      row([
        String(c.n),
        `[${c.layers.join(", ")}]`,
        String(c.epochs),
        (c.flopsPerEpoch / 1e6).toFixed(0),
        ms(c.psinv),
        gf(c.psinv),
        ms(c.jax),
        gf(c.jax),
        ms(c.torch),
        gf(c.torch),
        fmt(c.jaxRatio, 2),
        fmt(c.torchRatio, 2),
      ])
    ),
    ...notes,
    ...noisy.map((cell) => `  noisy: ${cell} ms/epoch over its rounds; measure it again`),
    "  target: psinv/JAX ≤ 1.0 in every cell",
  ];
}
