/**
 * `stats.csv` written and read (its format is in stats_format.ts).
 *
 * @module
 */
import { type Cell, formatCsv, parseCsv } from "../data/csv.ts";
import { STAT_METRICS, STATS_COLUMNS, type StatsRow } from "./stats_format.ts";

/** Formats `stats.csv`. */
export function formatStats(rows: readonly StatsRow[]): string {
  return formatCsv(
    STATS_COLUMNS,
    rows.map((r): Cell[] => STATS_COLUMNS.map((c) => r[c])),
  );
}

/**
 * Parses `stats.csv`; throws a RangeError naming the line of a malformed cell.
 *
 * @example
 * ```ts
 * import { formatStats, parseStats } from "./stats_table.ts";
 * const row = { id: "lam1", lambda: 1, mu: 1, activation: "relu", metric: "fit" as const, n: 3,
 *   mean: 0.1, median: 0.1, std: 0.01, ci_low: 0.09, ci_high: 0.11, flipped: 0,
 *   flipped_ci_low: 0, flipped_ci_high: 0.7076 };
 * parseStats(formatStats([row])); // [row]
 * ```
 */
export function parseStats(text: string): StatsRow[] {
  const table = parseCsv(text, "stats.csv", STATS_COLUMNS);
  const text_ = new Set(["id", "activation", "metric"]);
  return table.rows.map((cells, i) => {
    const row: Record<string, string | number> = {};
    STATS_COLUMNS.forEach((c, j) => {
      const cell = cells[j] ?? "";
      if (text_.has(c)) {
        row[c] = cell;
        return;
      }
      const v = Number(cell);
      if (cell.trim() === "" || (Number.isNaN(v) && cell !== "NaN")) {
        throw new RangeError(
          `Cannot read "stats.csv": line ${i + 2}, column "${c}": "${cell}" is not a number`,
        );
      }
      row[c] = v;
    });
    if (!(STAT_METRICS as readonly string[]).includes(String(row["metric"]))) {
      throw new RangeError(
        `Cannot read "stats.csv": line ${i + 2}: unknown metric "${row["metric"]}"`,
      );
    }
    return row as unknown as StatsRow;
  });
}
