/**
 * Running a pipeline: the checked stage graph, the plan of a command, and the scheduler with its workers.
 *
 * Other folders of the engine import this folder through this file.
 *
 * @module
 */
export * from "./graph.ts";
export * from "./plan.ts";
export * from "./scheduler.ts";
export * from "./executor.ts";
export * from "./local_executor.ts";
export * from "./time_limit.ts";
export * from "./remote_session.ts";
export * from "./stage_pattern.ts";
export * from "./publishing.ts";
export * from "./progress.ts";
