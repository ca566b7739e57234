/**
 * The command line: arguments, the one logger that prints, and `main`, which binds a pipeline to them
 * (and records each run: `record/`).
 *
 * Other folders of the engine import this folder through this file.
 *
 * @module
 */
export * from "./cli.ts";
export * from "./args.ts";
export * from "./command.ts";
export * from "./logger.ts";
