/**
 * What the syntax hasher's worker runs (see token_hash_worker.ts): loads TypeScript once and
 * answers `{ id, source, language }` with `{ id, hash }` or `{ id, error }`.
 *
 * @module
 */
import { loadTypeScript, type SourceLanguage, tokenHash } from "./token_hash.ts";

/** A request to the worker. */
export interface HashRequest {
  readonly id: number;
  readonly source: string;
  readonly language: SourceLanguage;
}

/** The worker's answer to the request of the same id. */
export type HashReply =
  | { readonly id: number; readonly hash: string }
  | { readonly id: number; readonly error: string };

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<HashRequest>) => void) | null;
  postMessage(m: HashReply): void;
};

scope.onmessage = async (e) => {
  const { id, source, language } = e.data;
  try {
    scope.postMessage({ id, hash: await tokenHash(await loadTypeScript(), source, language) });
  } catch (err) {
    scope.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
};
