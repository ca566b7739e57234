/**
 * The tables the figures read, parsed and checked against the formats the earlier stages write
 * (points.csv, curve.csv, history.csv, f_curve.csv, g_curve.csv, metrics.csv), in the CSV dialect
 * of stages/csv.ts.
 *
 * @module
 */
import { join } from "node:path";
import { StageError } from "../../pipeline/core/stage.ts";
import { parseCsv, type Table } from "../data/csv.ts";
import type { Metrics } from "../model/evaluate.ts";

/** A point of the cloud or of the noiseless curve (`points.csv`, `curve.csv`). */
export interface XY {
  readonly x: number;
  readonly y: number;
}

/** One epoch of `history.csv`. */
export interface HistoryRow {
  readonly epoch: number;
  readonly fit_f: number;
  readonly fit_g: number;
  readonly cyc_y: number;
  readonly cyc_x: number;
  readonly total: number;
}

/** Whether a grid point lies inside the data's range or in the off-data margin. */
export type Region = "data" | "margin";

/** One grid point of `f_curve.csv`. */
export interface FCurveRow {
  readonly x: number;
  readonly f: number;
  readonly g_of_f: number;
  readonly region: Region;
}

/** One grid point of `g_curve.csv`. */
export interface GCurveRow {
  readonly y: number;
  readonly g: number;
  readonly f_of_g: number;
  readonly region: Region;
}

/** One configuration of `metrics.csv`: its weights and activation, then `evaluate`'s metrics. */
export interface MetricsRow extends Metrics {
  readonly config: string;
  readonly lambda: number;
  readonly mu: number;
  readonly activation: string;
}

/** How a cell is read: a number, a number or nothing (empty cell → null), text, a region. */
type Kind = "number" | "number?" | "string" | "region";
/** Column name → how its cells are read. */
export type Columns = Readonly<Record<string, Kind>>;

/** The stage error for an input file that cannot be read or parsed. */
export const malformed = (file: string, detail: string): StageError =>
  new StageError(
    "input-malformed",
    `Cannot read "${file}": ${detail}`,
    "rerun the stage that writes it (the formats are in BRIEF.md)",
  );

/**
 * The folder of the input named `name`, or a stage error naming the inputs there are.
 *
 * @example
 * ```ts
 * import { inputDir } from "./figure_inputs.ts";
 * inputDir({ data: "/tmp/gen" }, "data"); // "/tmp/gen"
 * ```
 */
export function inputDir(inputs: Readonly<Record<string, string>>, name: string): string {
  const dir = inputs[name];
  if (dir === undefined) {
    throw new StageError(
      "input-missing",
      `No input "${name}": the stage has ${Object.keys(inputs).map((k) => `"${k}"`).join(", ")}`,
      "declare the input in stages/pipeline.ts",
    );
  }
  return dir;
}

/**
 * Parses CSV text whose header must be exactly `columns` (in order), converting each cell.
 *
 * @example
 * ```ts
 * import { parseTable } from "./figure_inputs.ts";
 * parseTable("x,y\n1,2\n", { x: "number", y: "number" }, "points.csv"); // [{ x: 1, y: 2 }]
 * ```
 */
export function parseTable(
  text: string,
  columns: Columns,
  file: string,
): Record<string, unknown>[] {
  let table: Table;
  try {
    table = parseCsv(text, file);
  } catch (e) {
    throw malformed(file, e instanceof Error ? e.message : String(e));
  }
  const { columns: header, rows } = table;
  const names = Object.keys(columns);
  if (header.join(",") !== names.join(",")) {
    throw malformed(file, `header is "${header.join(",")}", expected "${names.join(",")}"`);
  }
  return rows.map((cells, i) => {
    const row: Record<string, unknown> = {};
    names.forEach((name, j) => {
      const cell = cells[j] ?? "";
      const where = `line ${i + 2}, column "${name}"`;
      switch (columns[name]) {
        case "number?":
        case "number": {
          if (cell === "" && columns[name] === "number?") {
            row[name] = null;
            break;
          }
          const value = cell.trim() === "" ? NaN : Number(cell);
          if (Number.isNaN(value) && cell !== "NaN") {
            throw malformed(file, `${where}: "${cell}" is not a number`);
          }
          row[name] = value;
          break;
        }
        case "region":
          if (cell !== "data" && cell !== "margin") {
            throw malformed(file, `${where}: "${cell}" is not "data" or "margin"`);
          }
          row[name] = cell;
          break;
        default:
          row[name] = cell;
      }
    });
    return row;
  });
}

/** Reads and parses `file` in `dir` with {@linkcode parseTable}; a stage error if it cannot. */
export async function readTable(
  dir: string,
  file: string,
  columns: Columns,
): Promise<unknown[]> {
  let text: string;
  try {
    text = await Deno.readTextFile(join(dir, file));
  } catch (e) {
    throw malformed(file, e instanceof Error ? e.message : String(e));
  }
  return parseTable(text, columns, file);
}

/** Reads `points.csv` or `curve.csv` (header `x,y`) from a folder. */
export async function readXY(dir: string, file: string): Promise<XY[]> {
  return await readTable(dir, file, { x: "number", y: "number" }) as XY[];
}

/** Reads `history.csv` from a training stage's folder. */
export async function readHistory(dir: string): Promise<HistoryRow[]> {
  return await readTable(dir, "history.csv", {
    epoch: "number",
    fit_f: "number",
    fit_g: "number",
    cyc_y: "number",
    cyc_x: "number",
    total: "number",
  }) as HistoryRow[];
}

/** Reads `f_curve.csv` from an evaluation stage's folder. */
export async function readFCurve(dir: string): Promise<FCurveRow[]> {
  return await readTable(dir, "f_curve.csv", {
    x: "number",
    f: "number",
    g_of_f: "number",
    region: "region",
  }) as FCurveRow[];
}

/** Reads `g_curve.csv` from an evaluation stage's folder. */
export async function readGCurve(dir: string): Promise<GCurveRow[]> {
  return await readTable(dir, "g_curve.csv", {
    y: "number",
    g: "number",
    f_of_g: "number",
    region: "region",
  }) as GCurveRow[];
}

/** Reads `metrics.csv` from the summary stage's folder. */
export async function readMetrics(dir: string): Promise<MetricsRow[]> {
  return await readTable(dir, "metrics.csv", {
    config: "string",
    lambda: "number",
    mu: "number",
    activation: "string",
    fit_mse_f: "number",
    fit_mse_g: "number",
    inv_mse_x: "number",
    inv_mse_y: "number",
    inv_mse_x_margin: "number?",
    inv_mse_y_margin: "number?",
  }) as MetricsRow[];
}
