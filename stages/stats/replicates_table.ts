/**
 * `replicates.csv` written and read (its format is in replicates_format.ts): the table every
 * statistic and claim is computed from.
 *
 * @module
 */
import { type Cell, formatCsv, parseCsv } from "../data/csv.ts";
import { EVALUATION_METRICS } from "../model/evaluation_format.ts";
import { REPLICATE_COLUMNS, type ReplicateRow } from "./replicates_format.ts";

/**
 * Formats runs as `replicates.csv` (a null metric is an empty cell).
 *
 * @example
 * ```ts
 * import { formatReplicates, parseReplicates } from "./replicates_table.ts";
 * const metrics = { fit_mse_f: 1, fit_mse_g: 2, inv_mse_x: 3, inv_mse_y: 4, inv_mse_x_margin: null,
 *   inv_mse_y_margin: 6, lin_r2_f: 0.9, lin_r2_g: 0.8, lin_slope_f: 1, lin_slope_g: 1, flipped: 0,
 *   trend_slope_f: 1, trend_slope_data: 1 };
 * const row = { id: "lam1", lambda: 1, mu: 1, activation: "relu", seed: 0, draw: 0, metrics };
 * parseReplicates(formatReplicates([row]))[0]?.metrics.inv_mse_x_margin; // null
 * ```
 */
export function formatReplicates(rows: readonly ReplicateRow[]): string {
  return formatCsv(
    REPLICATE_COLUMNS,
    rows.map((r): Cell[] => [
      r.id,
      r.lambda,
      r.mu,
      r.activation,
      r.seed,
      r.draw,
      ...EVALUATION_METRICS.map((k) => r.metrics[k] ?? ""),
    ]),
  );
}

/** Parses `replicates.csv`; throws a RangeError naming the line of a malformed cell. */
export function parseReplicates(text: string): ReplicateRow[] {
  const table = parseCsv(text, "replicates.csv", REPLICATE_COLUMNS);
  return table.rows.map((cells, i) => {
    const num = (j: number, optional = false): number | null => {
      const c = cells[j] ?? "";
      if (c === "" && optional) return null;
      const v = Number(c);
      if (c.trim() === "" || Number.isNaN(v)) {
        throw new RangeError(
          `Cannot read "replicates.csv": line ${i + 2}, column "${
            REPLICATE_COLUMNS[j]
          }": "${c}" is not a number`,
        );
      }
      return v;
    };
    return {
      id: cells[0] ?? "",
      lambda: num(1)!,
      mu: num(2)!,
      activation: cells[3] ?? "",
      seed: num(4)!,
      draw: num(5)!,
      metrics: Object.fromEntries(
        EVALUATION_METRICS.map((k, j) => [k, num(6 + j, true)]),
      ) as Record<
        (typeof EVALUATION_METRICS)[number],
        number | null
      >,
    };
  });
}
