/**
 * The command line: arguments, the one logger that prints, `run.json`, and `main`, which binds a pipeline to them.
 *
 * Other folders of the engine import this folder through this file.
 *
 * @module
 */
export * from "./cli.ts";
export * from "./args.ts";
export * from "./command.ts";
export * from "./logger.ts";
export * from "./report.ts";
