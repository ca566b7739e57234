/**
 * The words around the figures: how a configuration is named in titles, the sections of the post
 * it belongs to, and the caption under each figure. Shared by the figures, the index page and the
 * publish command so that a configuration is called the same everywhere.
 *
 * @module
 */
import type { ConfigParams } from "../params_schema.ts";
import { activationLabel } from "../activations.ts";

/** Where a configuration appears in the post. */
export type Group = ConfigParams["group"];

/** The post's sections, in the order the post presents them. */
export const GROUP_ORDER: readonly Group[] = [
  "equal",
  "fit",
  "invertibility",
  "unconstrained",
  "extra",
];

/** Section headings, as in the post. */
export const GROUP_TITLES: Readonly<Record<Group, string>> = {
  equal: "Equal priority",
  fit: "Fit priority",
  invertibility: "Invertibility priority",
  unconstrained: "Unconstrained fits",
  extra: "Beyond the post",
};

/** The kinds of figure drawn once per configuration, in the order the post shows them. */
export type ConfigFigure = "loss" | "fit" | "inversion";

/** Per-configuration figures in the post's order (loss, then fits, then invertibility). */
export const CONFIG_FIGURES: readonly ConfigFigure[] = ["loss", "fit", "inversion"];

/** What identifies a configuration in a label. */
export type ConfigLike = Pick<ConfigParams, "lambda" | "mu" | "activation">;

/**
 * The activation as written in the post.
 *
 * @example
 * ```ts
 * import { activationName } from "./captions.ts";
 * activationName("silu"); // "SiLU"
 * ```
 */
export function activationName(activation: string): string {
  return activationLabel(activation);
}

/**
 * Hidden widths as a label: `[30, 30]`.
 *
 * @example
 * ```ts
 * import { layersLabel } from "./captions.ts";
 * layersLabel([100, 100]); // "[100, 100]"
 * ```
 */
export function layersLabel(layers: readonly number[]): string {
  return `[${layers.join(", ")}]`;
}

/**
 * The invertibility weights, written once when they are equal.
 *
 * @example
 * ```ts
 * import { weightsLabel } from "./captions.ts";
 * weightsLabel({ lambda: 0.1, mu: 0.1 }); // "λ = μ = 0.1"
 * weightsLabel({ lambda: 1, mu: 10 }); // "λ = 1, μ = 10"
 * ```
 */
export function weightsLabel(config: Pick<ConfigLike, "lambda" | "mu">): string {
  return config.lambda === config.mu
    ? `λ = μ = ${config.lambda}`
    : `λ = ${config.lambda}, μ = ${config.mu}`;
}

/**
 * A configuration's name in figure titles: weights and activation.
 *
 * @example
 * ```ts
 * import { configLabel } from "./captions.ts";
 * configLabel({ lambda: 1, mu: 1, activation: "relu" }); // "λ = μ = 1, ReLU"
 * ```
 */
export function configLabel(config: ConfigLike): string {
  return `${weightsLabel(config)}, ${activationName(config.activation)}`;
}

function times(ratio: number): string {
  return ratio === 10 ? "ten times" : `${Number(ratio.toPrecision(6))} times`;
}

/**
 * The sentence introducing a configuration: its own `caption` if set, else one derived from its
 * group in the words of the post.
 *
 * @example
 * ```ts
 * import { configCaption } from "./captions.ts";
 * configCaption({ lambda: 0.1, mu: 0.1, activation: "relu", layers: [30, 30], group: "fit" });
 * // "The goodness of fit is ten times more important than invertibility."
 * ```
 */
export function configCaption(config: ConfigParams): string {
  if (config.caption !== undefined) return config.caption;
  const w = config.lambda === config.mu ? config.lambda : undefined;
  switch (config.group) {
    case "equal":
      return "The invertibility constraint Ω is as important as the L2 fit.";
    case "fit":
      return w !== undefined && w > 0 && w < 1
        ? `The goodness of fit is ${times(1 / w)} more important than invertibility.`
        : "The goodness of fit comes first.";
    case "invertibility":
      return w !== undefined && w > 1
        ? `Invertibility is ${times(w)} more important than the goodness of fit.`
        : "Invertibility comes first.";
    case "unconstrained":
      return `No invertibility constraint: f and g fitted separately, on the L2 loss only ` +
        `(${activationName(config.activation)}).`;
    case "extra":
      return "Not in the post.";
  }
}

/**
 * The line introducing a sweep cell's figures.
 *
 * @example
 * ```ts
 * import { cellLabel } from "./captions.ts";
 * cellLabel("grid"); // "A cell of sweep “grid”, seed 0 of data draw 0."
 * ```
 */
export function cellLabel(sweep: string): string {
  return `A cell of sweep “${sweep}”, seed 0 of data draw 0.`;
}

/**
 * The caption of one of a configuration's figures.
 *
 * @example
 * ```ts
 * import { figureCaption } from "./captions.ts";
 * figureCaption("fit", { lambda: 1, mu: 1, activation: "relu" }).startsWith("Fits"); // true
 * ```
 */
export function figureCaption(kind: ConfigFigure, config: ConfigLike): string {
  const label = configLabel(config);
  switch (kind) {
    case "loss":
      return `Training loss per epoch (${label}): the total L̃ and each unweighted term, ` +
        "log scale.";
    case "fit":
      return `Fits (${label}): the (x, y) scatter with f's curve; the (y, x) scatter, axes ` +
        "swapped, with g's curve.";
    case "inversion":
      return `Invertibility (${label}): g∘f (blue) and f∘g (red) against the identity ` +
        "(dashed); the shaded bands lie outside the data.";
  }
}

/** Caption of the point-cloud figure. */
export const DATA_CAPTION = "The point cloud y = h1(h2(x) + ε), h1 and h2 random cubic splines, " +
  "standardised, with the noiseless curve y = h1(h2(x)).";

/** Caption of the trade-off figure. */
export const TRADEOFF_CAPTION = "Every configuration (filled) and sweep cell (open): mean fit " +
  "error (mean|f(x) − y|² + mean|g(y) − x|²) against mean inversion error (mean|x − g(f(x))|² + " +
  "mean|y − f(g(y))|²) on the data over its replicates, with confidence-interval crosshairs, log " +
  "axes; the dashed line joins the Pareto front, the points no other point beats on both errors.";

/** Caption of the training-curves figure over replicates. */
export const BANDS_CAPTION = "Training loss of each configuration over its replicates (training " +
  "seeds × data draws): the mean per epoch as a line, the range from lowest to highest as a " +
  "band; the total L̃, the fit terms and the unweighted cycle terms, log scale.";

/**
 * Caption of a search's figure.
 *
 * @example
 * ```ts
 * import { searchCaption } from "./captions.ts";
 * searchCaption("front", "grid").startsWith("Search “front”"); // true
 * ```
 */
export function searchCaption(search: string, sweep: string): string {
  return `Search “${search}”: every trial at the last rung it reached, coloured by the epochs ` +
    `it trained, and every cell of sweep “${sweep}”, mean fit error against mean inversion ` +
    "error over their replicates, log axes; the dashed staircases are each side's front, and " +
    "the title gives the epochs each side spent and its front's hypervolume (log₁₀ errors, " +
    "against the search's reference point).";
}

/**
 * Caption of a sweep's heatmap figure.
 *
 * @example
 * ```ts
 * import { heatmapCaption } from "./captions.ts";
 * heatmapCaption("grid", "relu").startsWith("Sweep “grid”, ReLU"); // true
 * ```
 */
export function heatmapCaption(sweep: string, activation: string): string {
  return `Sweep “${sweep}”, ${activationName(activation)}: the fit error (top) and the ` +
    "inversion error on the data (bottom) of every λ × μ cell, the mean over its replicates " +
    "(left) beside the median (right), on one log colour scale per row; the number in a cell " +
    "is its value. A run whose f and g came out flipped pulls a cell's mean far above its " +
    "median: where the two disagree, the median shows the typical run.";
}

/**
 * The caption of a sweep's capacity figure.
 *
 * @example
 * ```ts
 * import { capacityCaption } from "./captions.ts";
 * capacityCaption("capacity").startsWith("Sweep “capacity”"); // true
 * ```
 */
export function capacityCaption(sweep: string): string {
  return `Sweep “${sweep}”: mean fit error (left) and mean inversion error on the data (right) ` +
    "against the parameter count of one network (log scales), a line per activation, solid or " +
    "dashed by λ, μ; whiskers are the confidence intervals over the replicates. The subtitle " +
    "gives each network's hidden widths and parameter count.";
}
