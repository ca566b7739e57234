/**
 * The tables the figures and the report read, parsed in the CSV dialect of data/csv.ts and
 * checked against the columns their writers declare (points_format.ts, history_format.ts,
 * evaluation_format.ts, …); a file that does not match is an `input-malformed` stage error.
 *
 * @module
 */
import { join } from "node:path";
import { type StageError } from "../../pipeline/core/stage.ts";
import { type StageCode, stageError } from "../stage_codes.ts";
import { CsvHeaderError, parseCsv, type Table } from "../data/csv.ts";
import { POINT_COLUMNS, type XY } from "../data/points_format.ts";
import {
  F_CURVE_COLUMNS,
  type FCurveRow,
  G_CURVE_COLUMNS,
  type GCurveRow,
} from "../model/evaluation_format.ts";
import { HISTORY_COLUMNS, type HistoryRow } from "../model/history_format.ts";

/** How a cell is read: a number, a number or nothing (empty cell → null), text, a region. */
export type Kind = "number" | "number?" | "string" | "region";

/** How the cells of the named columns are read; a column not named holds numbers. */
export type Kinds<C extends string> = Readonly<Partial<Record<C, Kind>>>;

/** The stage error for an input file that cannot be read or parsed. */
export const malformed = (file: string, detail: string): StageError<StageCode> =>
  stageError(
    "input-malformed",
    `Cannot read "${file}": ${detail}`,
    "rerun the stage that writes it (its format is declared beside it, in a *_format.ts module)",
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
    throw stageError(
      "input-missing",
      `No input "${name}": the stage has ${Object.keys(inputs).map((k) => `"${k}"`).join(", ")}`,
      "declare the input in stages/pipeline.ts",
    );
  }
  return dir;
}

/**
 * Parses CSV text whose header must be exactly `columns` (in order), converting each cell as
 * `kinds` says (to a number where it says nothing).
 *
 * @example
 * ```ts
 * import { parseTable } from "./figure_inputs.ts";
 * parseTable("x,y\n1,2\n", ["x", "y"], "points.csv"); // [{ x: 1, y: 2 }]
 * parseTable("id,v\na,\n", ["id", "v"], "t.csv", { id: "string", v: "number?" });
 * // [{ id: "a", v: null }]
 * ```
 */
export function parseTable<C extends string>(
  text: string,
  columns: readonly C[],
  file: string,
  kinds?: Kinds<C>,
): Record<C, unknown>[] {
  let table: Table;
  try {
    table = parseCsv(text, file, columns);
  } catch (e) {
    const detail = e instanceof CsvHeaderError ? e.detail : e instanceof Error ? e.message : e;
    throw malformed(file, String(detail));
  }
  const { rows } = table;
  return rows.map((cells, i) => {
    const row = {} as Record<C, unknown>;
    columns.forEach((name, j) => {
      const cell = cells[j] ?? "";
      const where = `line ${i + 2}, column "${name}"`;
      const kind = kinds?.[name] ?? "number";
      switch (kind) {
        case "number?":
        case "number": {
          if (cell === "" && kind === "number?") {
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
        case "string":
          row[name] = cell;
      }
    });
    return row;
  });
}

/** Reads and parses `file` in `dir` with {@linkcode parseTable}; a stage error if it cannot. */
export async function readTable<C extends string>(
  dir: string,
  file: string,
  columns: readonly C[],
  kinds?: Kinds<C>,
): Promise<Record<C, unknown>[]> {
  let text: string;
  try {
    text = await Deno.readTextFile(join(dir, file));
  } catch (e) {
    throw malformed(file, e instanceof Error ? e.message : String(e));
  }
  return parseTable(text, columns, file, kinds);
}

/** Reads `points.csv` or `curve.csv` from a generation stage's folder. */
export async function readXY(dir: string, file: "points.csv" | "curve.csv"): Promise<XY[]> {
  return await readTable(dir, file, POINT_COLUMNS) as XY[];
}

/** Reads `history.csv` from a training stage's folder. */
export async function readHistory(dir: string): Promise<HistoryRow[]> {
  return await readTable(dir, "history.csv", HISTORY_COLUMNS) as HistoryRow[];
}

/** Reads `f_curve.csv` from an evaluation stage's folder. */
export async function readFCurve(dir: string): Promise<FCurveRow[]> {
  return await readTable(dir, "f_curve.csv", F_CURVE_COLUMNS, { region: "region" }) as FCurveRow[];
}

/** Reads `g_curve.csv` from an evaluation stage's folder. */
export async function readGCurve(dir: string): Promise<GCurveRow[]> {
  return await readTable(dir, "g_curve.csv", G_CURVE_COLUMNS, { region: "region" }) as GCurveRow[];
}
