/**
 * The figures: Vega-Lite specs rendered to byte-stable SVG, the render stages, the index page, the
 * metrics table and `publish`. Stage modules are loaded by URL from `stages/pipeline.ts` and import
 * each other file by file, never through this door, so that a stage's key covers only the modules
 * it loads; this file re-exports nothing.
 *
 * @module
 */
export {};
