/**
 * The vocabulary every layer of the engine speaks: what a stage declares, results as values, failures and how they read, events, content hashes, where things live on disk.
 *
 * Other folders of the engine import this folder through this file.
 *
 * @module
 */
export * from "./stage.ts";
export * from "./result.ts";
export * from "./failure.ts";
export * from "./render_failure.ts";
export * from "./event.ts";
export * from "./answer.ts";
export * from "./hash.ts";
export * from "./resources.ts";
export * from "./layout.ts";
export * from "./remote_layout.ts";
export * from "./temp_name.ts";
export * from "./provenance.ts";
export * from "./semaphore.ts";
export * from "./user_dir.ts";
