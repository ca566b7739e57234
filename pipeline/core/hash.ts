/**
 * Content hashes and the one canonical serialisation that cache keys are computed from.
 *
 * @module
 */
import { createHash } from "node:crypto";

/** A lowercase hex SHA-256 digest; branded so a plain string cannot pass for a hash. */
export type Hash = string & { readonly __brand: "Hash" };

const HEX = /^[0-9a-f]{64}$/;

/**
 * Tells whether a string has the shape of a {@linkcode Hash} (64 lowercase hex digits).
 *
 * @example
 * ```ts
 * import { isHash } from "./hash.ts";
 * isHash("ab"); // false
 * ```
 */
export function isHash(value: unknown): value is Hash {
  return typeof value === "string" && HEX.test(value);
}

/**
 * SHA-256 of bytes or of a string's UTF-8 encoding.
 *
 * Computed with `node:crypto`'s synchronous hash, which is much cheaper than WebCrypto's
 * `subtle.digest` on the small inputs the engine hashes thousands of times per run (keys,
 * manifests, small outputs); the promise is kept so callers need not change.
 *
 * @example
 * ```ts
 * import { sha256 } from "./hash.ts";
 * const h = await sha256("abc");
 * h.startsWith("ba7816bf"); // true
 * ```
 */
export function sha256(data: Uint8Array | string): Promise<Hash> {
  return Promise.resolve(sha256Sync(data));
}

/**
 * {@linkcode sha256}, synchronously.
 *
 * @example
 * ```ts
 * import { sha256Sync } from "./hash.ts";
 * sha256Sync("abc").startsWith("ba7816bf"); // true
 * ```
 */
export function sha256Sync(data: Uint8Array | string): Hash {
  return createHash("sha256").update(data).digest("hex") as Hash;
}

/**
 * JSON with object keys sorted at every depth, so equal values always serialise to equal text
 * (and so hash equally) whatever order their keys were written in. Throws a `TypeError` on
 * values JSON would silently drop or mangle (`undefined`, functions, symbols, bigints, NaN,
 * ±Infinity, and non-plain objects such as `Date` or `Map`), so a key can never drift unnoticed.
 *
 * @example
 * ```ts
 * import { canonicalJson } from "./hash.ts";
 * canonicalJson({ b: 1, a: [true, null] }); // '{"a":[true,null],"b":1}'
 * ```
 */
export function canonicalJson(value: unknown): string {
  return write(value, "$");
}

function write(value: unknown, at: string): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "string":
      return JSON.stringify(value);
    case "number":
      if (!Number.isFinite(value)) {
        throw new TypeError(`Cannot serialise ${at} canonically: ${value} is not a finite number`);
      }
      // -0 and 0 are the same parameter value; JSON.stringify already writes both as "0".
      return JSON.stringify(value);
    case "object": {
      if (Array.isArray(value)) {
        return `[${value.map((v, i) => write(v, `${at}[${i}]`)).join(",")}]`;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        throw new TypeError(
          `Cannot serialise ${at} canonically: ${
            proto?.constructor?.name ?? "object"
          } is not a plain object`,
        );
      }
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj).sort();
      return `{${
        keys.map((k) => `${JSON.stringify(k)}:${write(obj[k], `${at}.${k}`)}`).join(",")
      }}`;
    }
    default:
      throw new TypeError(`Cannot serialise ${at} canonically: ${typeof value} is not JSON`);
  }
}
