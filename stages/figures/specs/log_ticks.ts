/**
 * Tick values for a log axis: 1, 2 and 5 times the powers of ten (fewer when the range spans
 * many decades). Vega's own log ticks label every integer multiple, which crowds a small axis.
 *
 * @module
 */
import type { Axis } from "vega-lite/types_unstable/axis.js";
import type { Scale } from "vega-lite/types_unstable/scale.js";

/**
 * The ticks from the largest one at or below `min` to the smallest one at or above `max` (both
 * positive): the first and last make a tidy domain, the rest label it.
 *
 * @example
 * ```ts
 * import { logTicks } from "./log_ticks.ts";
 * logTicks(0.03, 0.6); // [0.02, 0.05, 0.1, 0.2, 0.5, 1]
 * logTicks(0.002, 300); // [0.001, 0.01, 0.1, 1, 10, 100, 1000]
 * ```
 */
export function logTicks(min: number, max: number): number[] {
  if (!(min > 0) || !(max >= min) || !Number.isFinite(max)) return [];
  const lo = Math.floor(Math.log10(min));
  const hi = Math.ceil(Math.log10(max));
  const mantissas = hi - lo > 4 ? [1] : hi - lo > 2 ? [1, 3] : [1, 2, 5];
  const all: number[] = [];
  for (let e = lo; e <= hi; e++) {
    // Written out in decimal so that 0.1 and 0.3 are the shortest doubles, not 3 × 0.1.
    for (const m of mantissas) all.push(Number(`${m}e${e}`));
  }
  const first = all.filter((t) => t <= min).at(-1) ?? min;
  const last = all.find((t) => t >= max) ?? max;
  return all.filter((t) => t >= first && t <= last);
}

/** Scale and axis of a log position channel. */
export interface LogAxis {
  readonly scale: Scale;
  readonly axis: Axis;
  /** The scale's domain, when there were positive values to fit it to. */
  readonly domain?: readonly [number, number];
}

/**
 * A log scale over `values` whose domain runs between 1-2-5 ticks, `room` times beyond the
 * extreme values, and whose axis labels those ticks.
 *
 * @example
 * ```ts
 * import { logAxis } from "./log_ticks.ts";
 * logAxis([0.03, 0.6]).scale.domain; // [0.02, 1]
 * ```
 */
export function logAxis(values: readonly number[], room = 1): LogAxis {
  const positive = values.filter((v) => v > 0 && Number.isFinite(v));
  if (positive.length === 0) return { scale: { type: "log" }, axis: { format: "~g" } };
  const ticks = logTicks(Math.min(...positive) / room, Math.max(...positive) * room);
  const domain = [ticks[0] ?? 1, ticks.at(-1) ?? 1] as const;
  return {
    scale: { type: "log", domain: [...domain], nice: false },
    axis: { values: ticks, format: "~g" },
    domain,
  };
}
