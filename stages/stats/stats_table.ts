/**
 * `stats.csv`: for every configuration and sweep cell, and every metric, the mean, standard
 * deviation and bootstrap confidence interval over its replicates. Long format: one line per
 * (row, metric), so that a new metric is new lines rather than new columns.
 *
 * @module
 */
import { type Cell, formatCsv, parseCsv } from "../data/csv.ts";
import type { ReplicateRow } from "./replicates_table.ts";

/**
 * The metrics summarised: those of `replicates.csv` and three sums, the fit error (f + g), the
 * inversion error on the data (x + y) and off it, as the trade-off figure and the claims use them.
 */
export const STAT_METRICS = [
  "fit",
  "fit_mse_f",
  "fit_mse_g",
  "inv",
  "inv_mse_x",
  "inv_mse_y",
  "inv_margin",
  "inv_mse_x_margin",
  "inv_mse_y_margin",
  "lin_r2_f",
  "lin_r2_g",
  "lin_slope_f",
  "lin_slope_g",
  "flipped",
] as const;

/** A metric of `stats.csv`. */
export type StatMetric = (typeof STAT_METRICS)[number];

/** The columns of `stats.csv`. */
export const STATS_COLUMNS = [
  "id",
  "lambda",
  "mu",
  "activation",
  "metric",
  "n",
  "mean",
  "median",
  "std",
  "ci_low",
  "ci_high",
] as const;

/** One line of `stats.csv`. */
export interface StatsRow {
  readonly id: string;
  readonly lambda: number;
  readonly mu: number;
  readonly activation: string;
  readonly metric: StatMetric;
  /** Replicates with a value. */
  readonly n: number;
  readonly mean: number;
  /** Median over the replicates. */
  readonly median: number;
  /** Sample standard deviation (n − 1). */
  readonly std: number;
  readonly ci_low: number;
  readonly ci_high: number;
}

/**
 * A run's value of a metric, sums included; `null` when a part is missing.
 *
 * @example
 * ```ts
 * import { metricValue } from "./stats_table.ts";
 * const metrics = { fit_mse_f: 1, fit_mse_g: 2, inv_mse_x: 3, inv_mse_y: 4, inv_mse_x_margin: null,
 *   inv_mse_y_margin: 6, lin_r2_f: 0.9, lin_r2_g: 0.8, lin_slope_f: 1, lin_slope_g: 1, flipped: 0 };
 * metricValue({ metrics }, "fit"); // 3
 * metricValue({ metrics }, "inv_margin"); // null
 * ```
 */
export function metricValue(run: Pick<ReplicateRow, "metrics">, metric: StatMetric): number | null {
  const m = run.metrics;
  const sum = (a: number | null, b: number | null) => (a === null || b === null ? null : a + b);
  switch (metric) {
    case "fit":
      return sum(m.fit_mse_f, m.fit_mse_g);
    case "inv":
      return sum(m.inv_mse_x, m.inv_mse_y);
    case "inv_margin":
      return sum(m.inv_mse_x_margin, m.inv_mse_y_margin);
    default:
      return m[metric];
  }
}

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
 *   mean: 0.1, median: 0.1, std: 0.01, ci_low: 0.09, ci_high: 0.11 };
 * parseStats(formatStats([row])); // [row]
 * ```
 */
export function parseStats(text: string): StatsRow[] {
  const table = parseCsv(text, "stats.csv");
  if (table.columns.join(",") !== STATS_COLUMNS.join(",")) {
    throw new RangeError(
      `Cannot read "stats.csv": header is "${table.columns.join(",")}", expected "${
        STATS_COLUMNS.join(",")
      }"`,
    );
  }
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
