/**
 * The stage graph drawn for people: as text (one line per stage with what it reads) and as a
 * small hand-built SVG (stages in columns by depth, edges from inputs to readers).
 *
 * @module
 */
import type { Graph } from "../run/mod.ts";

/**
 * One line per stage in topological order: its id, the stages it reads, its description.
 *
 * @example
 * ```ts
 * import { buildGraph } from "../run/graph.ts";
 * import { dagText } from "./dag.ts";
 * const g = buildGraph([
 *   { id: "a", module: "file:///a.ts", inputs: {}, params: {}, outputs: ["o"] },
 *   { id: "b", module: "file:///b.ts", inputs: { x: "a" }, params: {}, outputs: ["o"] },
 * ]);
 * g.ok && dagText(g.value); // "a\nb  ← a"
 * ```
 */
export function dagText(graph: Graph): string {
  const width = Math.max(...graph.order.map((d) => d.id.length));
  return graph.order.map((d) => {
    const ups = [...new Set(Object.values(d.inputs))];
    const from = ups.length === 0 ? "" : `  ← ${ups.join(", ")}`;
    const what = d.description ? `  — ${d.description}` : "";
    return `${d.id.padEnd(width)}${from}${what}`.trimEnd();
  }).join("\n");
}

const FONT = 12;
const CHAR = 7.2; // Average glyph width of a 12 px sans-serif font, to size boxes without a renderer.
const BOX_H = 26;
const ROW = 36;
const GAP_X = 60;
const PAD = 20;

/**
 * The graph as a standalone SVG document: columns by depth (longest path from a source), rows
 * ordered to keep edges short.
 */
export function dagSvg(graph: Graph): string {
  const depth = new Map<string, number>();
  for (const d of graph.order) {
    const ups = Object.values(d.inputs).map((i) => depth.get(i)!);
    depth.set(d.id, ups.length === 0 ? 0 : Math.max(...ups) + 1);
  }
  const columns: string[][] = [];
  for (const d of graph.order) (columns[depth.get(d.id)!] ??= []).push(d.id);

  // Order each column by the mean row of its inputs (one barycentre pass).
  const row = new Map<string, number>();
  columns.forEach((col, c) => {
    if (c > 0) {
      const mean = (id: string): number => {
        const ups = Object.values(graph.byId.get(id)!.inputs).map((i) => row.get(i) ?? 0);
        return ups.reduce((a, b) => a + b, 0) / Math.max(1, ups.length);
      };
      col.sort((a, b) => mean(a) - mean(b));
    }
    col.forEach((id, r) => row.set(id, r));
  });

  const colWidth = columns.map((col) => Math.max(...col.map((id) => id.length * CHAR + 16)));
  const colX: number[] = [];
  let x = PAD;
  for (const w of colWidth) {
    colX.push(x);
    x += w + GAP_X;
  }
  const rows = Math.max(...columns.map((c) => c.length));
  const width = Math.ceil(x - GAP_X + PAD);
  const height = Math.ceil(PAD * 2 + (rows - 1) * ROW + BOX_H);
  const pos = (id: string) => {
    const c = depth.get(id)!;
    const top = PAD + row.get(id)! * ROW + ((rows - columns[c]!.length) * ROW) / 2;
    return { x: colX[c]!, y: top, w: colWidth[c]! };
  };

  const edges: string[] = [];
  const nodes: string[] = [];
  for (const d of graph.order) {
    const to = pos(d.id);
    for (const from of new Set(Object.values(d.inputs))) {
      const a = pos(from);
      const x1 = a.x + a.w, y1 = a.y + BOX_H / 2, x2 = to.x, y2 = to.y + BOX_H / 2;
      const mid = (x1 + x2) / 2;
      // Edges that skip a column run behind other boxes: fainter, so adjacent links stay legible.
      const faint = depth.get(d.id)! - depth.get(from)! > 1 ? ` stroke-opacity="0.3"` : "";
      const path = `M${n(x1)},${n(y1)} C${n(mid)},${n(y1)} ${n(mid)},${n(y2)} ${n(x2 - 4)},${
        n(y2)
      }`;
      edges.push(`<path d="${path}"${faint} marker-end="url(#arrow)"/>`);
    }
    const title = d.description ? `<title>${escape(d.description)}</title>` : "";
    nodes.push(
      `<g>${title}<rect x="${n(to.x)}" y="${n(to.y)}" width="${
        n(to.w)
      }" height="${BOX_H}" rx="5"/>` +
        `<text x="${n(to.x + to.w / 2)}" y="${n(to.y + BOX_H / 2 + FONT * 0.35)}">${
          escape(d.id)
        }</text></g>`,
    );
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<defs><marker id="arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#888"/></marker></defs>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<g fill="none" stroke="#888" stroke-width="1.2">${edges.join("")}</g>`,
    `<g fill="#f4f6f8" stroke="#4a5560" font-family="Helvetica, Arial, sans-serif" font-size="${FONT}" text-anchor="middle">`,
    nodes.join("\n").replaceAll("<text ", '<text stroke="none" fill="#1b1f23" '),
    `</g>`,
    `</svg>`,
    "",
  ].join("\n");
}

function n(v: number): string {
  return String(Math.round(v * 10) / 10);
}

function escape(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}
