/**
 * `artifacts/timeline.svg`: a {@linkcode Timeline} drawn as a small hand-built SVG, written after
 * every `reproduce`. One row per lane, time running right; each bar a stage, coloured by its
 * family (a legend below), with its id, lane and times in a tooltip; the critical path's bars
 * outlined in black and joined by a line; a failed or interrupted stage's bar pale with a red
 * outline. The header says the run's wall time, its work, and the critical path's length.
 *
 * Each bar carries its facts as attributes (`data-stage`, `data-lane`, `data-start`, `data-end`
 * in seconds from the run's start, `data-critical`), so tests and scripts can read it back.
 *
 * @module
 */
import { artifactsDir, type IoFailed, type Result, timelineSvgFile } from "../core/mod.ts";
import { writeArtifact } from "./run_report.ts";
import type { Timeline, TimelineBar } from "./timeline.ts";

/** Tableau's twenty categorical colours (dark and light of ten hues), cycled by family. */
const PALETTE = [
  "#4e79a7",
  "#f28e2b",
  "#e15759",
  "#76b7b2",
  "#59a14f",
  "#edc948",
  "#b07aa1",
  "#ff9da7",
  "#9c755f",
  "#bab0ac",
  "#a0cbe8",
  "#ffbe7d",
  "#8cd17d",
  "#b6992d",
  "#f1ce63",
  "#499894",
  "#86bcb6",
  "#d37295",
  "#fabfd2",
  "#d4a6c8",
] as const;
const FONT = 12;
const CHAR = 7.2; // Average glyph width of a 12 px sans-serif font, as in dag.ts.
const PLOT_W = 900;
const ROW = 22;
const BAR_H = 16;
const PAD = 16;
const HEADER = 50;

/**
 * The timeline as a standalone SVG document.
 *
 * @example
 * ```ts
 * import { timelineSvg } from "./timeline_svg.ts";
 * const svg = timelineSvg({
 *   started: "2024-01-01T00:00:00.000Z", seconds: 2, lanes: ["worker 1"], families: ["a"],
 *   bars: [{ stage: "a", family: "a", lane: "worker 1", start: 0, end: 1.5, status: "executed", critical: true }],
 *   critical: { stages: ["a"], seconds: 1.5 }, work: 1.5, cached: 0,
 * });
 * svg.includes('data-stage="a"'); // true
 * ```
 */
export function timelineSvg(t: Timeline): string {
  const labelW = Math.ceil(Math.max(60, ...t.lanes.map((l) => l.length * CHAR)) + 12);
  const span = Math.max(t.seconds, ...t.bars.map((b) => b.end), 1e-3);
  const x = (s: number): number => PAD + labelW + (Math.max(0, s) / span) * PLOT_W;
  const laneY = new Map(t.lanes.map((l, i) => [l, HEADER + 20 + i * ROW]));
  const colour = new Map(t.families.map((f, i) => [f, PALETTE[i % PALETTE.length]!]));
  const plotBottom = HEADER + 20 + Math.max(1, t.lanes.length) * ROW;
  const legend = legendLayout(t, labelW, plotBottom + 24);
  const width = PAD * 2 + labelW + PLOT_W;
  const height = plotBottom + 24 + legend.height + PAD;

  const lanes = t.lanes.map((l, i) => {
    const y = laneY.get(l)!;
    const stripe = i % 2 === 0
      ? `<rect x="${PAD + labelW}" y="${y}" width="${PLOT_W}" height="${ROW}" fill="#f6f7f9"/>`
      : "";
    return `${stripe}<text x="${PAD + labelW - 8}" y="${n(y + ROW / 2 + FONT * 0.35)}" ` +
      `text-anchor="end">${escape(l)}</text>`;
  });
  const ticks = axisTicks(span).map((s) =>
    `<line x1="${n(x(s))}" y1="${HEADER + 14}" x2="${n(x(s))}" y2="${plotBottom}" stroke="#ddd"/>` +
    `<text x="${n(x(s))}" y="${HEADER + 10}" text-anchor="middle">${secondsText(s)}</text>`
  );
  const bars = t.bars.map((b) => bar(b, x(b.start), x(b.end), laneY.get(b.lane)!, colour));
  const path = t.bars.filter((b) => b.critical).map((b) =>
    `${n(x(b.start))},${n(laneY.get(b.lane)! + ROW / 2)} ${n(x(b.end))},${
      n(laneY.get(b.lane)! + ROW / 2)
    }`
  );
  const header = [
    `reproduce at ${t.started}: ${secondsText(t.seconds)} wall, ${secondsText(t.work)} of work ` +
    `in ${t.bars.length} stage${t.bars.length === 1 ? "" : "s"} on ${t.lanes.length} lane${
      t.lanes.length === 1 ? "" : "s"
    }${t.cached > 0 ? ` (${t.cached} cached)` : ""}`,
    `critical path ${secondsText(t.critical.seconds)}: ${pathText(t.critical.stages)}`,
  ];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<g font-family="Helvetica, Arial, sans-serif" font-size="${FONT}" fill="#1b1f23">`,
    ...header.map((line, i) =>
      `<text x="${PAD}" y="${PAD + 8 + i * 17}"${i === 0 ? ' font-weight="bold"' : ""}>${
        escape(line)
      }</text>`
    ),
    ...lanes,
    ...ticks,
    // Under the bars: where the chain waited between two of its stages, the line shows alone.
    path.length < 2 ? "" : `<polyline points="${path.join(" ")}" fill="none" stroke="#111" ` +
      `stroke-width="1.2" stroke-dasharray="4 3" class="critical-path"/>`,
    ...bars,
    ...legend.items,
    `</g>`,
    `</svg>`,
    "",
  ].join("\n");
}

/** Draws the timeline of a run into `<root>/artifacts/timeline.svg`, atomically. */
export function writeTimeline(root: string, t: Timeline): Promise<Result<string, IoFailed>> {
  return writeArtifact(timelineSvgFile(artifactsDir(root)), timelineSvg(t));
}

function bar(
  b: TimelineBar,
  x1: number,
  x2: number,
  y: number,
  colour: ReadonlyMap<string, string>,
): string {
  const w = Math.max(1, x2 - x1);
  const ran = b.status === "executed";
  const stroke = b.critical
    ? ' stroke="#111" stroke-width="2"'
    : ran
    ? ""
    : ' stroke="#c62828" stroke-width="1.5"';
  const title = `${b.stage} (${b.lane}): ${secondsText(b.end - b.start)}, from ${
    secondsText(b.start)
  } to ${secondsText(b.end)}${ran ? "" : `, ${b.status}`}${b.critical ? ", critical path" : ""}`;
  const label = b.stage.length * CHAR + 8 < w
    ? `<text x="${n(x1 + 4)}" y="${n(y + ROW / 2 + FONT * 0.35)}" fill="#fff">${
      escape(b.stage)
    }</text>`
    : "";
  return `<g class="bar" data-stage="${escape(b.stage)}" data-lane="${escape(b.lane)}" ` +
    `data-start="${b.start.toFixed(3)}" data-end="${b.end.toFixed(3)}"` +
    `${b.critical ? ' data-critical="true"' : ""}><title>${escape(title)}</title>` +
    `<rect x="${n(x1)}" y="${n(y + (ROW - BAR_H) / 2)}" width="${n(w)}" height="${BAR_H}" ` +
    `rx="2" fill="${colour.get(b.family)}"${ran ? "" : ' fill-opacity="0.4"'}${stroke}/>` +
    `${label}</g>`;
}

/** The legend's swatches from `top` down, in rows that fit the plot's width. */
function legendLayout(
  t: Timeline,
  labelW: number,
  top: number,
): { items: string[]; height: number } {
  const entries = t.families.map((f, i) => ({
    text: `${f} (${t.bars.filter((b) => b.family === f).length})`,
    swatch: `fill="${PALETTE[i % PALETTE.length]}"`,
  }));
  entries.push({ text: "critical path", swatch: 'fill="#ffffff" stroke="#111" stroke-width="2"' });
  const items: string[] = [];
  let [col, row] = [0, 0];
  for (const e of entries) {
    const w = 22 + e.text.length * CHAR + 16;
    if (col > 0 && col + w > labelW + PLOT_W) [col, row] = [0, row + 1];
    const [x, y] = [PAD + col, top + row * 20];
    items.push(
      `<rect x="${n(x)}" y="${y}" width="14" height="12" rx="2" ${e.swatch}/>` +
        `<text x="${n(x + 20)}" y="${y + 10}">${escape(e.text)}</text>`,
    );
    col += w;
  }
  return { items, height: (row + 1) * 20 };
}

/** About eight round ticks (1, 2 or 5 times a power of ten seconds) from 0 to `span`. */
function axisTicks(span: number): number[] {
  const raw = span / 8;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let s = 0; s <= span + 1e-9; s += step) ticks.push(Math.round(s / step) * step);
  return ticks;
}

/** The critical path in a line: every stage when few, else the first three and the last two. */
function pathText(stages: readonly string[]): string {
  if (stages.length === 0) return "nothing ran";
  const shown = stages.length <= 6
    ? stages
    : [...stages.slice(0, 3), `… ${stages.length - 5} more …`, ...stages.slice(-2)];
  return shown.join(" → ");
}

function secondsText(s: number): string {
  if (s >= 120) {
    const [min, sec] = [Math.floor(s / 60), Math.round(s % 60)];
    return sec === 0 ? `${min} min` : `${min} min ${sec} s`;
  }
  return `${Number(s.toPrecision(s < 10 ? 2 : 3))} s`;
}

function n(v: number): string {
  return String(Math.round(v * 10) / 10);
}

function escape(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}
