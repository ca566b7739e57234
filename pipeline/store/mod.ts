/**
 * Where results live: the content-addressed store, its manifests and lock, and `artifacts/` materialised from it.
 *
 * Other folders of the engine import this folder through this file.
 *
 * @module
 */
export * from "./store.ts";
export type { PutOptions } from "./put.ts";
export type { GetResult } from "./get.ts";
export type { LineageEntry } from "./lineage.ts";
export type { Damage, GcOptions } from "./maintenance.ts";
export { StoreIoError } from "./store_io_error.ts";
export * from "./manifest.ts";
export * from "./lock.ts";
export * from "./artifacts.ts";
export {
  hashFile,
  readBytesIfPresent,
  readTextIfPresent,
  statIfPresent,
  sweepTemporaries,
  writeAtomic,
} from "./files.ts";
export * from "./provenance.ts";
