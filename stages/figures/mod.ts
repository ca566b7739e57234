/**
 * The figures and pages: Vega-Lite specs rendered to byte-stable SVG, the render stages, the index page, the metrics table and `publish`.
 *
 * A stage module is loaded by URL from `stages/pipeline.ts`, and a stage's key covers every module
 * it loads: modules here import each other file by file, never through this door, so that a key
 * covers only what its stage uses. This file re-exports nothing; it lists what the folder holds:
 *
 * - `captions.ts`
 * - `claims_html.ts`
 * - `figure_inputs.ts`
 * - `figure_list.ts`
 * - `figures_markdown.ts`
 * - `index_page.ts`
 * - `label_placement.ts`
 * - `log_ticks.ts`
 * - `metrics_table.ts`
 * - `publish.ts`
 * - `render_config.ts`
 * - `render_bands.ts`
 * - `render_data.ts`
 * - `render_grid.ts`
 * - `render_summary.ts`
 * - `spec_data.ts`
 * - `spec_fit.ts`
 * - `spec_heatmap.ts`
 * - `spec_inversion.ts`
 * - `spec_legend.ts`
 * - `spec_loss.ts`
 * - `spec_loss_bands.ts`
 * - `spec_theme.ts`
 * - `spec_tradeoff.ts`
 * - `summary_inputs.ts`
 * - `svg.ts`
 * - `text_metrics.ts`
 *
 * @module
 */
export {};
