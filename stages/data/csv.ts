/**
 * The small CSV dialect the stages exchange: a header line, comma-separated fields, no quoting
 * (fields are numbers or plain words), `\n` line ends. Numbers are written with `String(n)`, the
 * shortest text that parses back to the same float64, so reruns produce identical bytes.
 *
 * @module
 */

/** One cell: a number, or a plain word without commas, quotes or line breaks. */
export type Cell = number | string;

/** A parsed table: its header and its rows, in file order. */
export interface Table {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

const plain = /^[^,"\r\n]*$/;

function cellText(c: Cell): string {
  if (typeof c === "number") return String(c);
  if (!plain.test(c)) {
    throw new RangeError(
      `Cannot write CSV cell "${c}": commas, quotes and line breaks are not allowed`,
    );
  }
  return c;
}

/**
 * Formats a header and rows as CSV text, ending with a newline.
 *
 * @example
 * ```ts
 * import { formatCsv } from "./csv.ts";
 * formatCsv(["x", "y"], [[1, 0.5]]); // "x,y\n1,0.5\n"
 * ```
 */
export function formatCsv(columns: readonly string[], rows: Iterable<readonly Cell[]>): string {
  const lines = [columns.map(cellText).join(",")];
  for (const row of rows) {
    if (row.length !== columns.length) {
      throw new RangeError(
        `Cannot write CSV row ${lines.length}: it has ${row.length} fields, the header ${columns.length}`,
      );
    }
    lines.push(row.map(cellText).join(","));
  }
  return lines.join("\n") + "\n";
}

/** A CSV file whose header is not the expected one: the message names both. */
export class CsvHeaderError extends RangeError {
  /** What is wrong, without the file: `header is "x,z", expected "x,y"`. */
  readonly detail: string;
  constructor(source: string, columns: readonly string[], expected: readonly string[]) {
    const detail = `header is "${columns.join(",")}", expected "${expected.join(",")}"`;
    super(`Cannot read "${source}": ${detail}`);
    this.detail = detail;
  }
}

/**
 * Parses CSV text written by {@linkcode formatCsv}; `source` names the file in error messages.
 * With `expected`, a header other than those columns, in that order, is an error (a RangeError
 * naming both).
 *
 * @example
 * ```ts
 * import { parseCsv } from "./csv.ts";
 * parseCsv("x,y\n1,2\n", "points.csv").rows; // [["1", "2"]]
 * parseCsv("x,y\n1,2\n", "points.csv", ["x", "y"]).columns; // ["x", "y"]
 * ```
 */
export function parseCsv(
  text: string,
  source: string,
  expected?: readonly string[],
): Table {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  const header = lines[0];
  if (header === undefined || header === "") {
    throw new SyntaxError(`Cannot parse CSV "${source}": the header line is missing`);
  }
  const columns = header.split(",");
  const rows = lines.slice(1).map((line, i) => {
    const fields = line.split(",");
    if (fields.length !== columns.length) {
      throw new SyntaxError(
        `Cannot parse CSV "${source}" at line ${
          i + 2
        }: ${fields.length} fields, expected ${columns.length}`,
      );
    }
    return fields;
  });
  if (expected !== undefined && columns.join(",") !== expected.join(",")) {
    throw new CsvHeaderError(source, columns, expected);
  }
  return { columns, rows };
}

/**
 * The named columns of a table as numbers; throws if a column is absent or a cell is not a number.
 *
 * @example
 * ```ts
 * import { numericColumns, parseCsv } from "./csv.ts";
 * const t = parseCsv("x,y\n1,2\n3,4\n", "points.csv");
 * numericColumns(t, ["y"], "points.csv").y; // [2, 4]
 * ```
 */
export function numericColumns<K extends string>(
  table: Table,
  names: readonly K[],
  source: string,
): Record<K, number[]> {
  const out = {} as Record<K, number[]>;
  for (const name of names) {
    const j = table.columns.indexOf(name);
    if (j < 0) {
      throw new SyntaxError(`Cannot read column "${name}" of "${source}": it has no such column`);
    }
    out[name] = table.rows.map((row, i) => {
      const text = row[j]!;
      const v = Number(text);
      if (text === "" || Number.isNaN(v) && text !== "NaN") {
        throw new SyntaxError(
          `Cannot read "${source}" at line ${i + 2}, column "${name}": "${text}" is not a number`,
        );
      }
      return v;
    });
  }
  return out;
}

/**
 * Reads the named numeric columns of a CSV file.
 *
 * @example
 * ```ts ignore
 * const { x, y } = await readNumericCsv("points.csv", ["x", "y"]);
 * ```
 */
export async function readNumericCsv<K extends string>(
  path: string,
  names: readonly K[],
): Promise<Record<K, number[]>> {
  return numericColumns(parseCsv(await Deno.readTextFile(path), path), names, path);
}
