/**
 * Where results live: the content-addressed store, its manifests and lock, and `artifacts/` materialised from it.
 *
 * Other folders of the engine import this folder through this file.
 *
 * @module
 */
export * from "./store.ts";
export * from "./manifest.ts";
export * from "./lock.ts";
export * from "./artifacts.ts";
export * from "./atomic.ts";
export * from "./read_if_present.ts";
