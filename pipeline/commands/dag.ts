/**
 * The stage graph drawn for people: as text (one line per node with what it reads) and as a
 * small hand-built SVG (nodes in columns by depth, edges from inputs to readers). By default a
 * node is a stage family — the ids up to their first `/`, so `train/lam1/s0-d0` is one of
 * `train/*` — drawn once with its count, which keeps a sweep of hundreds of stages on one screen
 * (as Snakemake's `--rulegraph` beside `--dag`); `all` draws every stage.
 *
 * @module
 */
import { stageFamily } from "../core/mod.ts";
import type { Graph } from "../run/mod.ts";

/** One box of the drawing: a stage, or a family of stages. */
interface Node {
  /** Stage id, or `<family>/*`. */
  readonly id: string;
  /** What the box says: the id, and a family's count. */
  readonly label: string;
  /** Ids of the nodes it reads. */
  readonly inputs: readonly string[];
  readonly description?: string | undefined;
}

/** Options of {@linkcode dagText} and {@linkcode dagSvg}. */
export interface DagOptions {
  /** One node per stage instead of per family. */
  readonly all?: boolean;
}

/** The nodes to draw, in an order where inputs come first (up to cycles between families). */
function nodesOf(graph: Graph, all: boolean): Node[] {
  if (all) {
    return graph.order.map((d) => ({
      id: d.id,
      label: d.id,
      inputs: [...new Set(Object.values(d.inputs))],
      description: d.description,
    }));
  }
  const members = new Map<string, string[]>();
  const inputs = new Map<string, Set<string>>();
  for (const d of graph.order) {
    const f = stageFamily(d.id);
    (members.get(f) ?? members.set(f, []).get(f)!).push(d.id);
    const ins = inputs.get(f) ?? inputs.set(f, new Set()).get(f)!;
    for (const i of Object.values(d.inputs)) if (stageFamily(i) !== f) ins.add(stageFamily(i));
  }
  return [...members].map(([f, ids]) => ({
    id: f,
    label: f.endsWith("/*") ? `${f} (${ids.length})` : f,
    inputs: [...inputs.get(f)!],
    description: graph.byId.get(ids[0]!)!.description,
  }));
}

/**
 * One line per node in topological order: its id (a family with its count), what it reads, its
 * description.
 *
 * @example
 * ```ts
 * import { buildGraph } from "../run/graph.ts";
 * import { dagText } from "./dag.ts";
 * const g = buildGraph([
 *   { id: "a", module: "file:///a.ts", inputs: {}, params: {}, outputs: ["o"] },
 *   { id: "b/1", module: "file:///b.ts", inputs: { x: "a" }, params: {}, outputs: ["o"] },
 *   { id: "b/2", module: "file:///b.ts", inputs: { x: "a" }, params: {}, outputs: ["o"] },
 * ]);
 * g.ok && dagText(g.value); // "a\nb/* (2)  ← a"
 * g.ok && dagText(g.value, { all: true }); // "a\nb/1  ← a\nb/2  ← a"
 * ```
 */
export function dagText(graph: Graph, opts: DagOptions = {}): string {
  const nodes = nodesOf(graph, opts.all ?? false);
  const width = Math.max(...nodes.map((d) => d.label.length));
  return nodes.map((d) => {
    const from = d.inputs.length === 0 ? "" : `  ← ${d.inputs.join(", ")}`;
    const what = d.description ? `  — ${d.description}` : "";
    return `${d.label.padEnd(width)}${from}${what}`.trimEnd();
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
 * ordered to keep edges short; stage families by default, every stage with `all`.
 */
export function dagSvg(graph: Graph, opts: DagOptions = {}): string {
  const nodes = nodesOf(graph, opts.all ?? false);
  const byId = new Map(nodes.map((d) => [d.id, d]));
  const depth = new Map<string, number>();
  for (const d of nodes) {
    // An input not placed yet closes a cycle between families: it does not push this node right.
    const ups = d.inputs.map((i) => depth.get(i)).filter((x) => x !== undefined);
    depth.set(d.id, ups.length === 0 ? 0 : Math.max(...ups) + 1);
  }
  const columns: string[][] = [];
  for (const d of nodes) (columns[depth.get(d.id)!] ??= []).push(d.id);

  // Order each column by the mean row of its inputs (one barycentre pass).
  const row = new Map<string, number>();
  columns.forEach((col, c) => {
    if (c > 0) {
      const mean = (id: string): number => {
        const ups = byId.get(id)!.inputs.map((i) => row.get(i) ?? 0);
        return ups.reduce((a, b) => a + b, 0) / Math.max(1, ups.length);
      };
      col.sort((a, b) => mean(a) - mean(b));
    }
    col.forEach((id, r) => row.set(id, r));
  });

  const colWidth = columns.map((col) =>
    Math.max(...col.map((id) => byId.get(id)!.label.length * CHAR + 16))
  );
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
  const boxes: string[] = [];
  for (const d of nodes) {
    const to = pos(d.id);
    for (const from of d.inputs) {
      const a = pos(from);
      const x1 = a.x + a.w, y1 = a.y + BOX_H / 2, x2 = to.x, y2 = to.y + BOX_H / 2;
      const mid = (x1 + x2) / 2;
      // Edges that skip a column run behind other boxes: fainter, so adjacent links stay legible.
      const faint = Math.abs(depth.get(d.id)! - depth.get(from)!) > 1
        ? ` stroke-opacity="0.3"`
        : "";
      const path = `M${n(x1)},${n(y1)} C${n(mid)},${n(y1)} ${n(mid)},${n(y2)} ${n(x2 - 4)},${
        n(y2)
      }`;
      edges.push(`<path d="${path}"${faint} marker-end="url(#arrow)"/>`);
    }
    const title = d.description ? `<title>${escape(d.description)}</title>` : "";
    boxes.push(
      `<g>${title}<rect x="${n(to.x)}" y="${n(to.y)}" width="${
        n(to.w)
      }" height="${BOX_H}" rx="5"/>` +
        `<text x="${n(to.x + to.w / 2)}" y="${n(to.y + BOX_H / 2 + FONT * 0.35)}">${
          escape(d.label)
        }</text></g>`,
    );
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<defs><marker id="arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#888"/></marker></defs>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<g fill="none" stroke="#888" stroke-width="1.2">${edges.join("")}</g>`,
    `<g fill="#f4f6f8" stroke="#4a5560" font-family="Helvetica, Arial, sans-serif" font-size="${FONT}" text-anchor="middle">`,
    boxes.join("\n").replaceAll("<text ", '<text stroke="none" fill="#1b1f23" '),
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
