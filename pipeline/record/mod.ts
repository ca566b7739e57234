/**
 * What a run leaves for people to read: `run.json` (each stage's status, key and times, and where
 * it ran) and `timeline.svg` (the stages that ran, over time, one lane per worker or SLURM job).
 *
 * Other folders of the engine import this folder through this file.
 *
 * @module
 */
export * from "./run_report.ts";
export * from "./timeline.ts";
export * from "./timeline_svg.ts";
