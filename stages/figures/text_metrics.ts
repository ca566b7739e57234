/**
 * Text widths for laying out figures without a canvas. Vega measures text with a canvas when it
 * has one; in Deno (and in a worker) it has none and falls back to 0.8 em per character, which
 * puts axis titles far from their labels. Helvetica's advance widths (Arial and Liberation Sans
 * share them) give the widths a browser will draw, from a pure table: the same on every machine.
 *
 * @module
 */

/** Advance widths of Helvetica, in thousandths of an em, for the printable ASCII characters. */
const ASCII_WIDTHS: readonly number[] = [
  // space ! " # $ % & ' ( ) * + , - . /
  278,
  278,
  355,
  556,
  556,
  889,
  667,
  191,
  333,
  333,
  389,
  584,
  278,
  333,
  278,
  278,
  // 0-9
  556,
  556,
  556,
  556,
  556,
  556,
  556,
  556,
  556,
  556,
  // : ; < = > ? @
  278,
  278,
  584,
  584,
  584,
  556,
  1015,
  // A-Z
  667,
  667,
  722,
  722,
  667,
  611,
  778,
  722,
  278,
  500,
  667,
  556,
  833,
  722,
  778,
  667,
  778,
  722,
  667,
  611,
  722,
  667,
  944,
  667,
  667,
  611,
  // [ \ ] ^ _ `
  278,
  278,
  278,
  469,
  556,
  333,
  // a-z
  556,
  556,
  500,
  556,
  556,
  278,
  556,
  556,
  222,
  222,
  500,
  222,
  833,
  556,
  556,
  556,
  556,
  333,
  500,
  278,
  556,
  500,
  722,
  500,
  500,
  500,
  // { | } ~
  334,
  260,
  334,
  584,
];

/**
 * Widths of the non-ASCII characters our labels use (Greek letters, math symbols), as Chromium
 * measures them in "Helvetica, Arial, sans-serif" on Debian (Liberation Sans, DejaVu for ∘).
 */
const OTHER_WIDTHS: Readonly<Record<string, number>> = {
  "λ": 500,
  "μ": 576,
  "ε": 446,
  "−": 584,
  "×": 584,
  "²": 333,
  "∘": 626,
  "≈": 549,
  "·": 278,
  "–": 556,
  "—": 1000,
  "…": 1000,
  "̃": 0,
};

/** Bold Helvetica is wider by about this factor on average. */
const BOLD_FACTOR = 1.08;

/**
 * Width in pixels of `text` set in Helvetica at `fontSize` pixels.
 *
 * @example
 * ```ts
 * import { helveticaWidth } from "./text_metrics.ts";
 * helveticaWidth("10", 10); // 11.12
 * ```
 */
export function helveticaWidth(text: string, fontSize: number, bold = false): number {
  let units = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 32;
    units += code >= 32 && code <= 126 ? ASCII_WIDTHS[code - 32] ?? 556 : OTHER_WIDTHS[ch] ?? 556;
  }
  return (units * fontSize * (bold ? BOLD_FACTOR : 1)) / 1000;
}

/** The part of a Vega text item that decides its width. */
export interface TextItem {
  readonly fontSize?: number | string;
  readonly fontWeight?: number | string;
  readonly limit?: number;
}

/**
 * Vega's `textMetrics.width` replacement: the width of `text` as the item would draw it.
 *
 * @example
 * ```ts
 * import { itemWidth } from "./text_metrics.ts";
 * itemWidth({ fontSize: 10 }, " 10 "); // 11.12 (Vega trims the text)
 * ```
 */
export function itemWidth(item: TextItem, text: unknown): number {
  const size = item.fontSize == null ? 11 : Number(item.fontSize) || 0;
  const value = text == null ? "" : String(text).trim();
  const bold = item.fontWeight === "bold" || Number(item.fontWeight) >= 600;
  return helveticaWidth(value, size, bold);
}
