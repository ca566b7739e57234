/**
 * The list of every figure in the post's order, with captions: what the index page shows and
 * what the publish command copies. Written by the `report` stage as `figures/figures.json`, so
 * the publish command needs only `artifacts/`.
 *
 * @module
 */
import {
  BANDS_CAPTION,
  capacityCaption,
  CONFIG_FIGURES,
  configCaption,
  configLabel,
  DATA_CAPTION,
  figureCaption,
  GROUP_ORDER,
  GROUP_TITLES,
  heatmapCaption,
  TRADEOFF_CAPTION,
} from "../figures/captions.ts";
import { activationName, cellLabel, type ConfigLike, searchCaption } from "../figures/captions.ts";
import type { SearchParams } from "../search_schema.ts";
import type { ConfigParams, SweepParams } from "../params_schema.ts";
import { type DesignParams, designRows, heatmaps } from "../design.ts";

/** The sweeps of a figure list, with the network of cells that set none. */
export type SweepDesign = Pick<DesignParams, "sweeps" | "layers" | "activation"> & {
  /** The searches (search_schema.ts), each a figure of its front against its sweep's. */
  readonly searches?: Readonly<Record<string, Pick<SearchParams, "compare">>>;
};

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

function configFigures(id: string, c: ConfigLike): FigureEntry[] {
  const flat = id.replaceAll("/", "-");
  return CONFIG_FIGURES.map((kind) => ({
    path: `figures/${id}/${kind}.svg`,
    name: `${flat}-${kind}.svg`,
    caption: figureCaption(kind, c),
    alt: `${ALT[kind]}, ${configLabel(c)}`,
  }));
}

/** A sweep's section: its heatmaps or capacity figure, then the cells whose figures were asked for. */
function sweepSection(name: string, s: SweepParams, d: SweepDesign): FigureSection {
  const one = { ...d, sweeps: { [name]: s } };
  const rows = designRows({ ...one, configs: {}, replicates: { seeds: 1, draws: 1 } });
  const cells = (s.figures ?? []).flatMap((cell) => {
    const id = `${name}/${cell}`;
    const c = rows.find((r) => r.id === id);
    if (c === undefined) return [];
    return [{
      config: id,
      label: configLabel(c),
      intro: cellLabel(name),
      figures: configFigures(id, c),
    }];
  });
  const grids = heatmaps(one.sweeps, d.activation).map(({ activation: a }) => ({
    path: `figures/${name}/heatmap-${a}.svg`,
    name: `${name}-heatmap-${a}.svg`,
    caption: heatmapCaption(name, a),
    alt: `Heatmaps of fit and inversion error over λ and μ, ${activationName(a)}`,
  }));
  const capacity = s.layers === undefined ? [] : [{
    path: `figures/${name}/capacity.svg`,
    name: `${name}-capacity.svg`,
    caption: capacityCaption(name),
    alt: "Fit and inversion error against the networks' parameter count, one line per activation",
  }];
  return { title: `Sweep “${name}”`, parts: [{ figures: [...grids, ...capacity] }, ...cells] };
}

/**
 * Lists every figure for the given configurations and sweeps: the data, then each group of the
 * post in order (configurations in their `params.json` order), the training curves over
 * replicates, each sweep's heatmaps and requested cells, then the trade-off summary.
 *
 * @example
 * ```ts
 * import { figureList } from "./figure_list.ts";
 * const list = figureList({ lam1: { lambda: 1, mu: 1, activation: "relu", layers: [30, 30], group: "equal" } });
 * list.sections.map((s) => s.title);
 * // ["The data", "Equal priority", "Over seeds and data draws", "All configurations"]
 * list.sections[1]?.parts[0]?.figures.map((f) => f.name);
 * // ["lam1-loss.svg", "lam1-fit.svg", "lam1-inversion.svg"]
 * ```
 */
export function figureList(
  configs: Readonly<Record<string, ConfigParams>>,
  design?: SweepDesign,
): FigureList {
  const entries = Object.entries(configs);
  const groups = GROUP_ORDER.map((group): FigureSection => ({
    title: GROUP_TITLES[group],
    parts: entries.filter(([, c]) => c.group === group).map(([name, c]) => ({
      config: name,
      label: configLabel(c),
      intro: configCaption(c),
      figures: configFigures(name, c),
    })),
  })).filter((s) => s.parts.length > 0);
  const bands: FigureSection[] = entries.length === 0 ? [] : [{
    title: "Over seeds and data draws",
    parts: [{
      figures: [{
        path: "figures/loss_bands.svg",
        name: "loss_bands.svg",
        caption: BANDS_CAPTION,
        alt: "Training loss of every configuration, mean and range over replicates",
      }],
    }],
  }];
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
      ...bands,
      ...Object.entries(design?.sweeps ?? {}).map(([name, s]) => sweepSection(name, s, design!)),
      ...Object.entries(design?.searches ?? {}).map(([name, s]): FigureSection => ({
        title: `Search “${name}”`,
        parts: [{
          figures: [{
            path: `figures/search/${name}.svg`,
            name: `search-${name}.svg`,
            caption: searchCaption(name, s.compare),
            alt:
              `Fit error against inversion error: search ${name}'s trials and ${s.compare}'s cells`,
          }],
        }],
      })),
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
