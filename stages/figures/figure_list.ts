/**
 * The list of every figure in the post's order, with captions: what the index page shows and
 * what the publish command copies. Written by the summary renderer as `figures/figures.json`, so
 * the publish command needs only `artifacts/`.
 *
 * @module
 */
import {
  CONFIG_FIGURES,
  configCaption,
  configLabel,
  DATA_CAPTION,
  figureCaption,
  GROUP_ORDER,
  GROUP_TITLES,
  TRADEOFF_CAPTION,
} from "./captions.ts";
import type { ConfigParams } from "../params_schema.ts";

/** One figure file. */
export interface FigureEntry {
  /** Path relative to `artifacts/` (also relative to `index.html`), e.g. `figures/lam1/fit.svg`. */
  readonly path: string;
  /** Flat, stable file name for publishing, e.g. `lam1-fit.svg`. */
  readonly name: string;
  readonly caption: string;
  /** Short text alternative for the image. */
  readonly alt: string;
}

/** The figures of one configuration (or of the data, or of the summary). */
export interface FigurePart {
  /** Configuration name, absent for the data and summary parts. */
  readonly config?: string | undefined;
  /** The configuration's weights and activation, e.g. `λ = μ = 1, ReLU`. */
  readonly label?: string | undefined;
  /** A line introducing the part (for a configuration: its caption). */
  readonly intro?: string | undefined;
  readonly figures: readonly FigureEntry[];
}

/** A section of the post. */
export interface FigureSection {
  readonly title: string;
  readonly parts: readonly FigurePart[];
}

/** Every figure, grouped and ordered as in the post. */
export interface FigureList {
  readonly sections: readonly FigureSection[];
}

const ALT: Readonly<Record<(typeof CONFIG_FIGURES)[number], string>> = {
  loss: "Training loss",
  fit: "Fits of f and g",
  inversion: "g∘f and f∘g against the identity",
};

/**
 * Lists every figure for the given configurations: the data, then each group of the post in
 * order (configurations in their `params.json` order), then the trade-off summary.
 *
 * @example
 * ```ts
 * import { figureList } from "./figure_list.ts";
 * const list = figureList({ lam1: { lambda: 1, mu: 1, activation: "relu", group: "equal" } });
 * list.sections.map((s) => s.title); // ["The data", "Equal priority", "All configurations"]
 * list.sections[1]?.parts[0]?.figures.map((f) => f.name);
 * // ["lam1-loss.svg", "lam1-fit.svg", "lam1-inversion.svg"]
 * ```
 */
export function figureList(configs: Readonly<Record<string, ConfigParams>>): FigureList {
  const entries = Object.entries(configs);
  const groups = GROUP_ORDER.map((group): FigureSection => ({
    title: GROUP_TITLES[group],
    parts: entries.filter(([, c]) => c.group === group).map(([name, c]) => ({
      config: name,
      label: configLabel(c),
      intro: configCaption(c),
      figures: CONFIG_FIGURES.map((kind) => ({
        path: `figures/${name}/${kind}.svg`,
        name: `${name}-${kind}.svg`,
        caption: figureCaption(kind, c),
        alt: `${ALT[kind]}, ${configLabel(c)}`,
      })),
    })),
  })).filter((s) => s.parts.length > 0);
  return {
    sections: [
      {
        title: "The data",
        parts: [{
          figures: [{
            path: "figures/data.svg",
            name: "data.svg",
            caption: DATA_CAPTION,
            alt: "The point cloud and the noiseless curve",
          }],
        }],
      },
      ...groups,
      {
        title: "All configurations",
        parts: [{
          figures: [{
            path: "figures/tradeoff.svg",
            name: "tradeoff.svg",
            caption: TRADEOFF_CAPTION,
            alt: "Fit error against inversion error for every configuration",
          }],
        }],
      },
    ],
  };
}

/**
 * Every figure of the list, in order.
 *
 * @example
 * ```ts
 * import { allFigures, figureList } from "./figure_list.ts";
 * allFigures(figureList({})).map((f) => f.name); // ["data.svg", "tradeoff.svg"]
 * ```
 */
export function allFigures(list: FigureList): FigureEntry[] {
  return list.sections.flatMap((s) => s.parts.flatMap((p) => [...p.figures]));
}
