/**
 * Vega-Lite spec → SVG text, headless and deterministic: compiled with vega-lite, rendered by a
 * Vega view without a renderer (`toSVG()`), text measured from a fixed table, and coordinates
 * rounded so that the file is the same on every run and every machine.
 *
 * @module
 */
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { itemWidth } from "./text_metrics.ts";

/** The part of Vega's runtime that its type declarations leave out. */
interface VegaTextMetrics {
  textMetrics: { width: typeof itemWidth };
}

/** Decimals kept in coordinates: a hundredth of a pixel is below what any screen shows. */
const DECIMALS = 2;

/** Attributes holding geometry, whose numbers are rounded; text content is never touched. */
const GEOMETRY =
  /\s(d|transform|x|y|x1|y1|x2|y2|width|height|points|viewBox|stroke-width)="([^"]*)"/g;

const NUMBER = /-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?/gi;

function round(token: string): string {
  const value = Number(token);
  if (!Number.isFinite(value)) return token;
  // String() prints -0 as "0" and drops trailing zeros: one spelling per value.
  return String(Number(value.toFixed(DECIMALS)));
}

/**
 * Rounds the numbers in geometry attributes and ends the file with a newline, so that an SVG is
 * compact and byte-stable; everything else (text, colours, structure) is left as Vega wrote it.
 *
 * @example
 * ```ts
 * import { normaliseSvg } from "./svg.ts";
 * normaliseSvg('<svg><path d="M0.123456,1e-17L2,3"/><text>0.123456</text></svg>');
 * // '<svg><path d="M0.12,0L2,3"/><text>0.123456</text></svg>\n'
 * ```
 */
export function normaliseSvg(svg: string): string {
  const body = svg.replace(
    GEOMETRY,
    (_all, name: string, value: string) => ` ${name}="${value.replace(NUMBER, round)}"`,
  );
  return body.endsWith("\n") ? body : `${body}\n`;
}

/**
 * Compiles a Vega-Lite spec and renders it to a normalised, self-contained SVG document.
 *
 * @example
 * ```ts
 * import { renderSvg } from "./svg.ts";
 * const svg = await renderSvg({
 *   data: { values: [{ a: 1, b: 2 }] },
 *   mark: "point",
 *   encoding: { x: { field: "a", type: "quantitative" }, y: { field: "b", type: "quantitative" } },
 * });
 * svg.startsWith("<svg"); // true
 * ```
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  // Vega keeps module-wide counters for clip-path and gradient ids; reset them so that a figure's
  // ids do not depend on what was rendered before it in the same worker.
  vega.resetSVGDefIds();
  (vega as unknown as VegaTextMetrics).textMetrics.width = itemWidth;
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: "none" });
  try {
    return normaliseSvg(await view.toSVG());
  } finally {
    view.finalize();
  }
}
