/**
 * The figures: Vega-Lite specs (`specs/`), their rendering to byte-stable SVG, and the render
 * stages (`render-data`, `render/<config>`, `render-bands`, `render-grid`, `render-tradeoff`) with
 * the readers of the files they draw. Stage modules are loaded by URL from `stages/pipeline.ts`
 * and import each other file by file, never through this door, so that a stage's key covers only
 * the modules it loads; this file re-exports nothing.
 *
 * @module
 */
export {};
