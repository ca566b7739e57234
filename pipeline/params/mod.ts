/**
 * The parameters document: reading, `--set` overrides, and validation issues as one-line messages.
 *
 * Other folders of the engine import this folder through this file.
 *
 * @module
 */
export * from "./params.ts";
export * from "./validate.ts";
export * from "./json_position.ts";
