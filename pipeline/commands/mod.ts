/**
 * The commands: `reproduce`, `status`, `compare`, `dag`, `why`, `gc`, `accept`, `verify`, `push`,
 * `pull`, `trust`, each given a
 * {@linkcode CommandContext} by the command line, which parses, dispatches and prints.
 *
 * Other folders of the engine import this folder through this file.
 *
 * @module
 */
export * from "./context.ts";
export * from "./locked.ts";
export * from "./reproduce.ts";
export * from "./status.ts";
export * from "./dag.ts";
export * from "./gc.ts";
export * from "./accept.ts";
export * from "./verify.ts";
export * from "./remote/push.ts";
export * from "./remote/pull.ts";
export * from "./remote/trust.ts";
export * from "./why.ts";
export * from "./compare.ts";
export * from "./remote/remote_keys.ts";
export * from "./remote/remote_status.ts";
export * from "./remote/gc_remote.ts";
export * from "./remote/audit.ts";
export * from "./remote/revoke.ts";
export * from "./known_results.ts";
export * from "./grow.ts";
