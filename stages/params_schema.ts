/**
 * The schema of `params.json`: one zod schema, the single source of the experiment's parameter
 * types. Every object is strict, so a misspelt key is an error rather than a silently ignored value.
 *
 * @module
 */
import { z } from "zod";
import { statisticsSchema } from "./statistics_schema.ts";
import { type Activation, ACTIVATION_TABLE, ACTIVATIONS } from "./activations.ts";
import { activationSchema, layersSchema, replicatesSchema } from "./run_schema.ts";
import { searchesSchema, searchIssues } from "./search_schema.ts";

export { CLAIM_IDS, type ClaimId, type StatisticsParams } from "./statistics_schema.ts";

// `min(1)` rather than `positive()`: the error then reads "must be ≥ 1", the smallest allowed value.
const positiveInt = z.number().int().min(1);
const nonNegativeFinite = z.number().finite().nonnegative();

/** How the point cloud is drawn. */
export const dataSchema = z.strictObject({
  /** Number of (x, y) points. */
  n: positiveInt.min(10),
  /** Knots of each random cubic spline h1, h2. */
  knots: positiveInt.min(3).max(50),
  /** Standard deviation of ε, relative to the spread of h2(x). */
  noise: nonNegativeFinite,
  /** Seed of every random draw of the data. */
  seed: z.number().int().nonnegative(),
  /** Whether h1 and h2 are monotone (so that the true inverse exists). */
  monotone: z.boolean(),
  /** Points of the noiseless curve y = h1(h2(x)) written for plotting. */
  curvePoints: positiveInt.min(2),
});

export {
  type Activation,
  ACTIVATIONS,
  layersSchema,
  MAX_HIDDEN_LAYERS,
  MAX_LAYER_WIDTH,
  replicatesSchema,
} from "./run_schema.ts";

/**
 * What trains: `kernel`, the compiled training step (kernel/train_step.c), which gives tfjs'
 * wasm backend's numbers bit for bit, built natively for this machine when a C compiler is here
 * (else its WebAssembly build, saying so); `kernel-native` and `kernel-wasm` force one build (the
 * same numbers); `tfjs-wasm`, that backend itself (slower); `tfjs-cpu`, tfjs in JavaScript
 * (slower still, other numbers).
 */
export const BACKENDS = [
  "kernel",
  "kernel-native",
  "kernel-wasm",
  "tfjs-wasm",
  "tfjs-cpu",
] as const;

/** A key that no longer exists: refused with a message saying what replaced it. */
const retired = (message: string) =>
  z.unknown().optional().refine((v) => v === undefined, { message }).transform(() => undefined);

/** How f and g are trained. */
export const trainingSchema = z.strictObject({
  epochs: positiveInt,
  learningRate: z.number().finite().positive(),
  /** The network of every row that sets none: hidden widths… */
  layers: layersSchema,
  /** …and the activation after each hidden layer. */
  activation: activationSchema,
  /** Minibatch size; 0 means full batch. */
  batchSize: z.number().int().nonnegative(),
  /**
   * Seed of the initialisation and of minibatch shuffling (replicates add to it, and a draw's
   * seeds live above 2³², data/random.ts: so it stays below 2³¹).
   */
  seed: z.number().int().nonnegative().lt(2 ** 31),
  backend: z.enum(BACKENDS),
  checkpoints: z.array(positiveInt).default([]), // Epochs before `epochs` whose state is kept.
  width: retired(
    'replaced by training.layers, the hidden widths: e.g. "layers": [30, 30] for width 30',
  ),
});

/** How trained networks are evaluated. */
export const evaluationSchema = z.strictObject({
  /** Points of the grid on which f and g are evaluated. */
  gridPoints: positiveInt.min(2),
  /** Off-data margin on each side of the data range, in standard deviations. */
  margin: nonNegativeFinite,
});

/** Where a configuration appears in the post. */
export const groupSchema = z.enum(["equal", "fit", "invertibility", "unconstrained", "extra"]);

/** One trained pair (f, g). */
export const configSchema = z.strictObject({
  lambda: nonNegativeFinite,
  mu: nonNegativeFinite,
  /** The network's activation and hidden widths; `training`'s when absent. */
  activation: activationSchema.optional(),
  layers: layersSchema.optional(),
  group: groupSchema,
  /** Caption under this configuration's figures; a default is derived when absent. */
  caption: z.string().optional(),
});

const sweepValues = z.array(nonNegativeFinite).min(1);

/** A grid of configurations: every combination of the listed values. */
export const sweepSchema = z.strictObject({
  /** Values of λ, the weight of mean|x − g(f(x))|². */
  lambda: sweepValues,
  /** Values of μ, the weight of mean|y − f(g(y))|²; when absent, μ = λ in every cell. */
  mu: sweepValues.optional(),
  /** Activations; `training.activation` when absent. */
  activation: z.array(activationSchema).min(1).optional(),
  /** Hidden widths, one list per network; `training.layers` when absent. */
  layers: z.array(layersSchema).min(1).optional(),
  /** Replicates of each cell; the top-level `replicates` when absent. */
  replicates: replicatesSchema.optional(),
  /** Cells whose loss, fit and inversion figures are drawn, e.g. `"l0.1-m10-relu"`. */
  figures: z.array(z.string()).optional(),
});

/**
 * The most trainings a parameters document may expand to (configurations and sweep cells times
 * their replicates). Checked by arithmetic before anything is expanded, so a typo such as
 * `"seeds": 1e9` is refused at once instead of exhausting the memory.
 */
export const MAX_TRAININGS = 10_000;

const colorSchema = z.string().regex(/^#[0-9a-fA-F]{6}$/, "a colour like #1f77b4");

/** One colour per activation, defaulting to the table's. */
const activationColours = Object.fromEntries(
  ACTIVATIONS.map((a) => [a, colorSchema.default(ACTIVATION_TABLE[a].colour)]),
) as { [A in Activation]: z.ZodDefault<typeof colorSchema> };

/** Presentation only: changing it re-renders figures and retrains nothing. */
export const styleSchema = z.strictObject({
  /** Width of one panel, in pixels. */
  width: positiveInt,
  /** Height of one panel, in pixels. */
  height: positiveInt,
  /** CSS font family of every text in the figures and the index page. */
  font: z.string().min(1),
  /** Size of tick labels and legends, in pixels; titles are scaled from it. */
  fontSize: positiveInt,
  /** Area of one scatter point, in square pixels. */
  pointSize: z.number().finite().positive(),
  /** Opacity of scatter points, so that dense regions read darker. */
  pointOpacity: z.number().finite().positive().max(1),
  /** Stroke width of curves, in pixels. */
  lineWidth: z.number().finite().positive(),
  colors: z.strictObject({
    /** Data points. */
    points: colorSchema,
    /** The noiseless curve, and the total loss. */
    curve: colorSchema,
    /** f, and g∘f in the inversion figure (blue in the post). */
    f: colorSchema,
    /** g, and f∘g in the inversion figure (red in the post). */
    g: colorSchema,
    /** The dashed identity line. */
    identity: colorSchema,
    /** The band marking the off-data margin. */
    margin: colorSchema,
    /** The unweighted cycle term mean|y − f(g(y))|² in the loss figure. */
    cycY: colorSchema,
    /** The unweighted cycle term mean|x − g(f(x))|² in the loss figure. */
    cycX: colorSchema,
    /**
     * Per activation (activations.ts), its configurations in the trade-off and capacity
     * figures; the table's colour when absent.
     */
    ...activationColours,
  }),
});

/** The whole parameters document. */
export const paramsSchema = z.strictObject({
  data: dataSchema,
  training: trainingSchema,
  evaluation: evaluationSchema,
  configs: z.record(
    z.string().regex(/^[A-Za-z0-9_-]+$/, "letters, digits, '-' and '_' only"),
    configSchema,
  ).refine((c) => Object.keys(c).length > 0, "at least one configuration"),
  /** Replicates of every configuration. */
  replicates: replicatesSchema,
  /** Grids of configurations, by name; a cell's id is `<sweep>/l<λ>-m<μ>-<activation>`. */
  sweeps: z.record(
    z.string().regex(/^[A-Za-z0-9_-]+$/, "letters, digits, '-' and '_' only"),
    sweepSchema,
  ),
  /** Adaptive searches of the fit/inversion front, by name (search_schema.ts). */
  searches: searchesSchema.default({}),
  statistics: statisticsSchema,
  style: styleSchema,
}).superRefine((p, ctx) => {
  checkSweeps(p, ctx);
  for (const issue of searchIssues(p.searches, Object.keys(p.sweeps), MAX_TRAININGS)) {
    ctx.addIssue({ code: "custom", ...issue });
  }
  if (p.training.batchSize > p.data.n) {
    ctx.addIssue({
      code: "custom",
      path: ["training", "batchSize"],
      message: `must be at most data.n (${p.data.n}), or 0 for full batch`,
    });
  }
}).transform((p) => ({
  ...p,
  // Each configuration's network, `training`'s where it sets none: stages see it resolved.
  configs: Object.fromEntries(
    Object.entries(p.configs).map(([id, c]) => [id, {
      ...c,
      activation: c.activation ?? p.training.activation,
      layers: c.layers ?? p.training.layers,
    }]),
  ),
}));

/** The validated parameters document. */
export type Params = z.infer<typeof paramsSchema>;
/** The `data` group. */
export type DataParams = z.infer<typeof dataSchema>;
/** The `training` group (without the retired `width`, which validation refuses). */
export type TrainingParams = Omit<z.infer<typeof trainingSchema>, "width">;
/** The `evaluation` group. */
export type EvaluationParams = z.infer<typeof evaluationSchema>;
/** One configuration, its network resolved (as stages see it). */
export type ConfigParams = Params["configs"][string];
/** What trains (`training.backend`). */
export type Backend = typeof BACKENDS[number];
/** The `style` group. */
export type StyleParams = z.infer<typeof styleSchema>;

/**
 * Hidden widths in ids and labels: `30x2` for [30, 30], `17_5_23` for [17, 5, 23].
 *
 * @example
 * ```ts
 * import { layersName } from "./params_schema.ts";
 * layersName([100, 100]); // "100x2"
 * layersName([17, 5, 23]); // "17_5_23"
 * ```
 */
export function layersName(layers: readonly number[]): string {
  const uniform = layers.every((w) => w === layers[0]);
  return uniform ? `${layers[0]}x${layers.length}` : layers.join("_");
}

/** One cell of a sweep: a value of each run parameter the sweep lists. */
export interface CellValues {
  readonly layers?: readonly number[];
  readonly lambda: number;
  readonly mu: number;
  readonly activation?: string;
}

/**
 * The id of a sweep's cell within its sweep: its hidden layers when the sweep lists them, its λ
 * and μ, and its activation when the sweep lists it.
 *
 * @example
 * ```ts
 * import { cellName } from "./params_schema.ts";
 * cellName({ lambda: 0.1, mu: 10, activation: "relu" }); // "l0.1-m10-relu"
 * cellName({ layers: [100, 100], lambda: 0, mu: 0, activation: "silu" }); // "h100x2-l0-m0-silu"
 * ```
 */
export function cellName(c: CellValues): string {
  return [
    ...(c.layers === undefined ? [] : [`h${layersName(c.layers)}`]),
    `l${c.lambda}`,
    `m${c.mu}`,
    ...(c.activation === undefined ? [] : [c.activation]),
  ].join("-");
}

/** The parts of a sweep's cell ids, one list per listed run parameter, in id order. */
function cellParts(sweep: SweepParams): string[][] {
  return [
    ...(sweep.layers === undefined ? [] : [sweep.layers.map((l) => `h${layersName(l)}`)]),
    // With μ = λ, the id still names μ: `m<λ>` follows each `l<λ>`.
    sweep.lambda.map((l) => (sweep.mu === undefined ? `l${l}-m${l}` : `l${l}`)),
    ...(sweep.mu === undefined ? [] : [sweep.mu.map((m) => `m${m}`)]),
    ...(sweep.activation === undefined ? [] : [sweep.activation.map(String)]),
  ];
}

/** Where the cross-field checks report; zod's refinement context is one. */
interface IssueSink {
  addIssue(issue: { code: "custom"; path: (string | number)[]; message: string }): void;
}

/** The part of the document the sweep checks read. */
interface Design {
  readonly configs: Readonly<Record<string, z.input<typeof configSchema>>>;
  readonly replicates: ReplicatesParams;
  readonly sweeps: Readonly<Record<string, SweepParams>>;
}

/** Whether `cell` names a cell of `sweep`, without listing the cells (there may be millions). */
function hasCell(sweep: SweepParams, cell: string): boolean {
  const parts = cellParts(sweep);
  const match = (rest: string, axis: number): boolean =>
    axis === parts.length
      ? rest === ""
      : parts[axis]!.some((part) =>
        axis === parts.length - 1
          ? rest === part
          : rest.startsWith(`${part}-`) && match(rest.slice(part.length + 1), axis + 1)
      );
  return match(cell, 0);
}

/** Duplicates, name clashes, unknown cells to draw, and the expansion limit. */
function checkSweeps(p: Design, ctx: IssueSink): void {
  const perConfig = p.replicates.seeds * p.replicates.draws;
  let total = Object.keys(p.configs).length * perConfig;
  const parts = [`configurations ${total}`];
  for (const [name, sweep] of Object.entries(p.sweeps)) {
    const at = ["sweeps", name];
    if (Object.hasOwn(p.configs, name)) {
      ctx.addIssue({
        code: "custom",
        path: at,
        message: `the sweep's name clashes with configuration "${name}": rename one of them`,
      });
    }
    for (const field of ["lambda", "mu", "activation", "layers"] as const) {
      const seen = new Map<unknown, number>();
      (sweep[field] ?? []).forEach((value, i) => {
        const v = JSON.stringify(value);
        const first = seen.get(v);
        if (first !== undefined) {
          ctx.addIssue({
            code: "custom",
            path: [...at, field, i],
            message: `${v} is listed twice (entries ${first} and ${i}): ` +
              "list each value once",
          });
        } else seen.set(v, i);
      });
    }
    const r = sweep.replicates ?? p.replicates;
    const trainings = sweep.lambda.length * (sweep.mu?.length ?? 1) *
      (sweep.activation?.length ?? 1) * (sweep.layers?.length ?? 1) * r.seeds * r.draws;
    total += trainings;
    parts.push(`sweeps.${name} ${trainings}`);
    (sweep.figures ?? []).forEach((cell, i) => {
      if (!hasCell(sweep, cell)) {
        ctx.addIssue({
          code: "custom",
          path: [...at, "figures", i],
          message: `no cell "${cell}" in sweep "${name}": name one like "${
            cellName({
              ...(sweep.layers === undefined ? {} : { layers: sweep.layers[0]! }),
              lambda: sweep.lambda[0]!,
              mu: sweep.mu?.[0] ?? sweep.lambda[0]!,
              ...(sweep.activation === undefined ? {} : { activation: sweep.activation[0]! }),
            })
          }"`,
        });
      }
    });
  }
  if (total > MAX_TRAININGS) {
    ctx.addIssue({
      code: "custom",
      path: Object.keys(p.sweeps).length > 0 ? ["sweeps"] : ["replicates"],
      message: `the experiment expands to ${total} trainings (${
        parts.join(", ")
      }), more than the limit of ${MAX_TRAININGS}: shorten a list or lower the replicates`,
    });
  }
}

/** One sweep. */
export type SweepParams = z.infer<typeof sweepSchema>;
/** Seeds × draws. */
export type ReplicatesParams = z.infer<typeof replicatesSchema>;
