/**
 * The summaries the summary figures read — `stats.csv` and `loss_bands.csv` — kept apart from
 * figure_inputs.ts so that the per-configuration figures' code (and so their keys) does not include
 * the statistics modules.
 *
 * @module
 */
import { join } from "node:path";
import { BAND_COLUMNS, type BandRow } from "../stats/loss_bands_format.ts";
import type { StatsRow } from "../stats/stats_format.ts";
import { parseStats } from "../stats/stats_table.ts";
import { malformed, readTable } from "./figure_inputs.ts";

async function readText(dir: string, file: string): Promise<string> {
  try {
    return await Deno.readTextFile(join(dir, file));
  } catch (e) {
    throw malformed(file, e instanceof Error ? e.message : String(e));
  }
}

/** Reads `stats.csv` from the stats stage's folder. */
export async function readStats(dir: string): Promise<StatsRow[]> {
  const text = await readText(dir, "stats.csv");
  try {
    return parseStats(text);
  } catch (e) {
    throw malformed("stats.csv", e instanceof Error ? e.message : String(e));
  }
}

/** Reads `loss_bands.csv` from the loss-bands stage's folder. */
export async function readBands(dir: string): Promise<BandRow[]> {
  return await readTable(dir, "loss_bands.csv", BAND_COLUMNS, {
    config: "string",
    term: "string",
  }) as BandRow[];
}
