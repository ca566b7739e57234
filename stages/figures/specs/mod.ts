/**
 * The figures as Vega-Lite specs, one module per figure, with the theme, legends, log ticks and
 * label placement they share: pure functions from parsed tables and the `style` parameters to a
 * spec, which `../svg.ts` renders. This file re-exports nothing: the render stages import each
 * spec file by file, so that a stage's key covers only the specs it draws.
 *
 * @module
 */
export {};
