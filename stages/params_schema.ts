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
  style: styleSchema,
}).superRefine((p, ctx) => {
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
/** One configuration. */
export type ConfigParams = z.infer<typeof configSchema>;
/** The `style` group. */
export type StyleParams = z.infer<typeof styleSchema>;
