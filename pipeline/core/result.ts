/**
 * Expected failures travel as values, not exceptions.
 *
 * @example
 * ```ts
 * import { err, ok, type Result } from "./result.ts";
 * const half = (n: number): Result<number, string> => n % 2 === 0 ? ok(n / 2) : err("odd");
 * half(4); // { ok: true, value: 2 }
 * ```
 */
export type Result<T, E> = { readonly ok: true; readonly value: T } | {
  readonly ok: false;
  readonly error: E;
};

/** Wraps a value as a successful {@linkcode Result}. */
export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

/** Wraps an error as a failed {@linkcode Result}. */
export function err<E>(error: E): { readonly ok: false; readonly error: E } {
  return { ok: false, error };
}

/** Marks a branch the type checker proves unreachable (exhaustive `switch`). */
export function unreachable(value: never): never {
  throw new Error(`Unreachable: ${JSON.stringify(value)}`);
}
