/**
 * The commands that inspect or re-key the store without running stages: `status`, `accept`, `dag`.
 *
 * Other folders of the engine import this folder through this file.
 *
 * @module
 */
export * from "./status.ts";
export * from "./accept.ts";
export * from "./dag.ts";
export * from "./stage_pattern.ts";
