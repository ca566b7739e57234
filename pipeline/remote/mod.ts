/**
 * Sharing results between machines: a remote named by a URL (`http(s)://` or `file://`), signed
 * entries and their bundles, the keys that sign and the keys a project trusts, and the way a
 * downloaded result enters the local store.
 *
 * Other folders of the engine import this folder through this file.
 *
 * @module
 */
export * from "./remote_url.ts";
export * from "./transport/transport.ts";
export * from "./transport/http_transport.ts";
export * from "./transport/file_transport.ts";
export * from "./bundle.ts";
export * from "./signing_key.ts";
export * from "./trusted_keys.ts";
export * from "./entry.ts";
export * from "./remote_cache.ts";
export * from "./restore.ts";
export * from "./explain.ts";
export * from "./open_remote.ts";
export * from "./remote_gc.ts";
