/**
 * Where to put the label of each point of a scatter so that labels overlap neither each other
 * nor the points: a greedy search over a few positions around each point, in pixel space, with
 * text widths from the Helvetica table. Deterministic: same points, same placements.
 *
 * @module
 */
import { helveticaWidth } from "../text_metrics.ts";

/** A label position relative to its point. */
export type Placement = "right" | "left" | "above" | "below" | "above-right" | "below-right";

/** The positions tried, in order of preference. */
export const PLACEMENTS: readonly Placement[] = [
  "right",
  "left",
  "above-right",
  "below-right",
  "above",
  "below",
];

/** Gap between a point's centre and its label, in pixels. */
export const LABEL_GAP = 7;

/** A point to label, in pixels from the plot's top-left corner. */
export interface LabelledPoint {
  readonly x: number;
  readonly y: number;
  readonly label: string;
}

interface Box {
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

function box(p: LabelledPoint, where: Placement, fontSize: number): Box {
  const w = helveticaWidth(p.label, fontSize);
  const h = fontSize;
  switch (where) {
    case "right":
      return {
        left: p.x + LABEL_GAP,
        right: p.x + LABEL_GAP + w,
        top: p.y - h / 2,
        bottom: p.y + h / 2,
      };
    case "left":
      return {
        left: p.x - LABEL_GAP - w,
        right: p.x - LABEL_GAP,
        top: p.y - h / 2,
        bottom: p.y + h / 2,
      };
    case "above-right":
      return {
        left: p.x + 3,
        right: p.x + 3 + w,
        top: p.y - LABEL_GAP - h,
        bottom: p.y - LABEL_GAP,
      };
    case "below-right":
      return {
        left: p.x + 3,
        right: p.x + 3 + w,
        top: p.y + LABEL_GAP,
        bottom: p.y + LABEL_GAP + h,
      };
    case "above":
      return {
        left: p.x - w / 2,
        right: p.x + w / 2,
        top: p.y - LABEL_GAP - h,
        bottom: p.y - LABEL_GAP,
      };
    case "below":
      return {
        left: p.x - w / 2,
        right: p.x + w / 2,
        top: p.y + LABEL_GAP,
        bottom: p.y + LABEL_GAP + h,
      };
  }
}

const overlaps = (a: Box, b: Box): boolean =>
  a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

/**
 * A placement for every point, in order: the first position whose label box stays inside
 * `bounds` (plot width and height, plus the room a label may take outside it) and overlaps no
 * point and no label placed before; when none is free, `right` (`crowded: "right"`) or no label
 * at all (`"none"`, with `crowded: "skip"`, for figures where a missing label reads better than a
 * blot).
 *
 * @example
 * ```ts
 * import { placeLabels } from "./label_placement.ts";
 * placeLabels(
 *   [{ x: 10, y: 10, label: "a" }, { x: 12, y: 11, label: "b" }],
 *   { width: 100, height: 100 },
 *   11,
 * ); // ["right", "left"]
 * ```
 */
export function placeLabels(
  points: readonly LabelledPoint[],
  bounds: { readonly width: number; readonly height: number },
  fontSize: number,
  pointRadius = 4,
  crowded: "right" | "skip" = "right",
): (Placement | "none")[] {
  const dots: Box[] = points.map((p) => ({
    left: p.x - pointRadius,
    right: p.x + pointRadius,
    top: p.y - pointRadius,
    bottom: p.y + pointRadius,
  }));
  const placed: Box[] = [];
  return points.map((p) => {
    const free = PLACEMENTS.find((where) => {
      const b = box(p, where, fontSize);
      const inside = b.left >= 0 && b.right <= bounds.width && b.top >= 0 &&
        b.bottom <= bounds.height;
      return inside && !placed.some((o) => overlaps(b, o)) && !dots.some((d) => overlaps(b, d));
    });
    if (free === undefined && crowded === "skip") return "none";
    placed.push(box(p, free ?? "right", fontSize));
    return free ?? "right";
  });
}

/** Text mark properties (alignment and offsets) that draw a label at `where`. */
export function placementMark(where: Placement): {
  align: "left" | "right" | "center";
  baseline: "middle" | "bottom" | "top";
  dx: number;
  dy: number;
} {
  switch (where) {
    case "right":
      return { align: "left", baseline: "middle", dx: LABEL_GAP, dy: 0 };
    case "left":
      return { align: "right", baseline: "middle", dx: -LABEL_GAP, dy: 0 };
    case "above-right":
      return { align: "left", baseline: "bottom", dx: 3, dy: -LABEL_GAP };
    case "below-right":
      return { align: "left", baseline: "top", dx: 3, dy: LABEL_GAP };
    case "above":
      return { align: "center", baseline: "bottom", dx: 0, dy: -LABEL_GAP };
    case "below":
      return { align: "center", baseline: "top", dx: 0, dy: LABEL_GAP };
  }
}
