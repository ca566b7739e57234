/**
 * The schema of `params.json`: one zod schema, the single source of the experiment's parameter
 * types. Every object is strict, so a misspelt key is an error rather than a silently ignored value.
 *
 * @module
 */
import { z } from "zod";

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

/** How f and g are trained. */
export const trainingSchema = z.strictObject({
  epochs: positiveInt,
  learningRate: z.number().finite().positive(),
  width: positiveInt,
  /** Minibatch size; 0 means full batch. */
  batchSize: z.number().int().nonnegative(),
  /** Seed of the initialisation and of minibatch shuffling. */
  seed: z.number().int().nonnegative(),
  backend: z.enum(["wasm", "cpu"]),
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
  activation: z.enum(["relu", "silu"]),
  group: groupSchema,
  /** Caption under this configuration's figures; a default is derived when absent. */
  caption: z.string().optional(),
});

/** How many runs each configuration gets: training seeds × data draws. */
export const replicatesSchema = z.strictObject({
  /** Training seeds training.seed, training.seed + 1, …: the initialisation and the batch order. */
  seeds: positiveInt,
  /** Data draws: draw 0 is data.seed, the others fresh splines and points from derived seeds. */
  draws: positiveInt,
});

const sweepValues = z.array(nonNegativeFinite).min(1);

/** A grid of configurations: every combination of the listed values. */
export const sweepSchema = z.strictObject({
  /** Values of λ, the weight of mean|x − g(f(x))|². */
  lambda: sweepValues,
  /** Values of μ, the weight of mean|y − f(g(y))|². */
  mu: sweepValues,
  activation: z.array(z.enum(["relu", "silu"])).min(1),
  /** Replicates of each cell; the top-level `replicates` when absent. */
  replicates: replicatesSchema.optional(),
  /** Cells whose loss, fit and inversion figures are drawn, e.g. `"l0.1-m10-relu"`. */
  figures: z.array(z.string()).optional(),
});

/** How replicates are summarised and the post's claims decided. */
export const statisticsSchema = z.strictObject({
  /** Bootstrap resamples per confidence interval. */
  resamples: positiveInt.min(100).max(100_000),
  /** Coverage of every confidence interval, e.g. 0.95. */
  confidence: z.number().gt(0).lt(1),
  /** Seed of the bootstrap's resampling: the same seed gives the same intervals, bit for bit. */
  seed: z.number().int().nonnegative(),
  /**
   * R² of the least-squares straight line through f (and g) over the data range above which a
   * network counts as "nearly linear".
   */
  nearlyLinearR2: z.number().gt(0).lt(1),
});

/**
 * The most trainings a parameters document may expand to (configurations and sweep cells times
 * their replicates). Checked by arithmetic before anything is expanded, so a typo such as
 * `"seeds": 1e9` is refused at once instead of exhausting the memory.
 */
export const MAX_TRAININGS = 10_000;

const colorSchema = z.string().regex(/^#[0-9a-fA-F]{6}$/, "a colour like #1f77b4");

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
    /** ReLU configurations in the trade-off figure. */
    relu: colorSchema,
    /** SiLU configurations in the trade-off figure. */
    silu: colorSchema,
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
  statistics: statisticsSchema,
  style: styleSchema,
}).superRefine((p, ctx) => {
  checkSweeps(p, ctx);
  if (p.training.batchSize > p.data.n) {
    ctx.addIssue({
      code: "custom",
      path: ["training", "batchSize"],
      message: `must be at most data.n (${p.data.n}), or 0 for full batch`,
    });
  }
});

/** The validated parameters document. */
export type Params = z.infer<typeof paramsSchema>;
/** The `data` group. */
export type DataParams = z.infer<typeof dataSchema>;
/** The `training` group. */
export type TrainingParams = z.infer<typeof trainingSchema>;
/** The `evaluation` group. */
export type EvaluationParams = z.infer<typeof evaluationSchema>;
/** Activation between the linear layers. */
export type Activation = ConfigParams["activation"];
/** One configuration. */
export type ConfigParams = z.infer<typeof configSchema>;
/** The `style` group. */
export type StyleParams = z.infer<typeof styleSchema>;

/** The id of a sweep's cell within its sweep, e.g. `l0.1-m10-relu`. */
export function cellName(lambda: number, mu: number, activation: string): string {
  return `l${lambda}-m${mu}-${activation}`;
}

/** Where the cross-field checks report; zod's refinement context is one. */
interface IssueSink {
  addIssue(issue: { code: "custom"; path: (string | number)[]; message: string }): void;
}

/** The part of the document the sweep checks read. */
interface Design {
  readonly configs: Readonly<Record<string, ConfigParams>>;
  readonly replicates: ReplicatesParams;
  readonly sweeps: Readonly<Record<string, SweepParams>>;
}

/** Whether `cell` names a cell of `sweep`, without listing the cells (there may be millions). */
function hasCell(sweep: SweepParams, cell: string): boolean {
  return sweep.lambda.some((l) =>
    cell.startsWith(`l${l}-m`) &&
    sweep.mu.some((m) => {
      const rest = cell.slice(`l${l}-m`.length);
      return rest.startsWith(`${m}-`) &&
        (sweep.activation as readonly string[]).includes(rest.slice(`${m}-`.length));
    })
  );
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
    for (const field of ["lambda", "mu", "activation"] as const) {
      const seen = new Map<unknown, number>();
      sweep[field].forEach((v, i) => {
        const first = seen.get(v);
        if (first !== undefined) {
          ctx.addIssue({
            code: "custom",
            path: [...at, field, i],
            message: `${JSON.stringify(v)} is listed twice (entries ${first} and ${i}): ` +
              "list each value once",
          });
        } else seen.set(v, i);
      });
    }
    const r = sweep.replicates ?? p.replicates;
    const trainings = sweep.lambda.length * sweep.mu.length * sweep.activation.length *
      r.seeds * r.draws;
    total += trainings;
    parts.push(`sweeps.${name} ${trainings}`);
    (sweep.figures ?? []).forEach((cell, i) => {
      if (!hasCell(sweep, cell)) {
        ctx.addIssue({
          code: "custom",
          path: [...at, "figures", i],
          message: `no cell "${cell}" in sweep "${name}": name one like "${
            cellName(sweep.lambda[0]!, sweep.mu[0]!, sweep.activation[0]!)
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
/** The `statistics` group. */
export type StatisticsParams = z.infer<typeof statisticsSchema>;
