/**
 * What makes one run of a stage distinct: its fingerprint and key, and the code fingerprint from the module graph.
 *
 * Other folders of the engine import this folder through this file.
 *
 * @module
 */
export * from "./fingerprint.ts";
export * from "./code_graph.ts";
export { defaultMemoFile } from "./code_memo.ts";
export * from "./token_hash.ts";
export * from "./token_hash_worker.ts";
export * from "./lineage.ts";
