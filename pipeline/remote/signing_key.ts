/**
 * Ed25519 keys (WebCrypto): this machine's private signing key, created on its first upload and
 * kept outside every project (`PSINV_SIGNING_KEY`, else `$XDG_CONFIG_HOME/psinv/`, else
 * `~/.config/psinv/`, mode 0600), and the public keys entries are checked against, named
 * `ed25519:<base64url of the 32-byte key>` as a trusted-keys file lists them.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { z } from "zod";
import {
  err,
  type KeyFileInvalid,
  ok,
  type Result,
  signingKeyFile,
  tempName,
  userDir,
} from "../core/mod.ts";
import { oneLine } from "./transport/transport.ts";

/** A private key to sign with and the public key id it goes by. */
export interface SigningKey {
  /** `ed25519:<base64url public key>`. */
  readonly id: string;
  readonly privateKey: CryptoKey;
}

/** The shape of a public key id. */
export const KEY_ID = /^ed25519:[A-Za-z0-9_-]{43}$/;

const keyFileSchema = z.strictObject({
  format: z.literal(1),
  key: z.string().regex(KEY_ID),
  jwk: z.object({
    kty: z.literal("OKP"),
    crv: z.literal("Ed25519"),
    x: z.string(),
    d: z.string(),
  }),
});

const HINT = "move it aside and run again to create a new key (then trust the new one)";

/**
 * Where this machine's signing key is kept: `PSINV_SIGNING_KEY`, else under `XDG_CONFIG_HOME`,
 * else under `HOME/.config`; `undefined` when none of them is set.
 *
 * @example
 * ```ts
 * import { signingKeyPath } from "./signing_key.ts";
 * signingKeyPath((n) => (n === "HOME" ? "/home/a" : undefined)); // "/home/a/.config/psinv/signing_key.json"
 * ```
 */
export function signingKeyPath(env: (name: string) => string | undefined): string | undefined {
  const explicit = env("PSINV_SIGNING_KEY");
  if (explicit !== undefined && explicit !== "") return explicit;
  const config = userDir("config", env);
  return config === undefined ? undefined : signingKeyFile(config);
}

/** The key in `file`, or `undefined` when there is none yet. */
export async function loadSigningKey(
  file: string,
): Promise<Result<SigningKey | undefined, KeyFileInvalid>> {
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return ok(undefined);
    return err({ reason: "key-file-invalid", file, detail: oneLine(e), hint: HINT });
  }
  let parsed;
  try {
    parsed = keyFileSchema.safeParse(JSON.parse(text));
  } catch (e) {
    return err({ reason: "key-file-invalid", file, detail: oneLine(e), hint: HINT });
  }
  if (!parsed.success || parsed.data.key !== `ed25519:${parsed.data.jwk.x}`) {
    return err({
      reason: "key-file-invalid",
      file,
      detail: "it is not a psinv signing key",
      hint: HINT,
    });
  }
  try {
    const privateKey = await crypto.subtle.importKey(
      "jwk",
      { ...parsed.data.jwk, ext: false, key_ops: ["sign"] },
      { name: "Ed25519" },
      false,
      ["sign"],
    );
    return ok({ id: parsed.data.key, privateKey });
  } catch (e) {
    return err({ reason: "key-file-invalid", file, detail: oneLine(e), hint: HINT });
  }
}

/**
 * The key in `file`, created first (mode 0600, its folder 0700) when there is none. Two processes
 * creating it at once end with the same key: the file appears by a hard link, which fails rather
 * than replacing one that appeared meanwhile.
 *
 * @example
 * ```ts
 * import { loadOrCreateSigningKey } from "./signing_key.ts";
 * const dir = await Deno.makeTempDir();
 * const first = await loadOrCreateSigningKey(`${dir}/key.json`);
 * const again = await loadOrCreateSigningKey(`${dir}/key.json`);
 * first.ok && again.ok && first.value.created && !again.value.created; // true
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function loadOrCreateSigningKey(
  file: string,
): Promise<Result<{ key: SigningKey; created: boolean }, KeyFileInvalid>> {
  const existing = await loadSigningKey(file);
  if (!existing.ok) return existing;
  if (existing.value !== undefined) return ok({ key: existing.value, created: false });
  const pair = await crypto.subtle.generateKey({ name: "Ed25519" }, true, [
    "sign",
    "verify",
  ]) as CryptoKeyPair;
  const jwk = await crypto.subtle.exportKey("jwk", pair.privateKey);
  const doc = {
    format: 1,
    key: `ed25519:${jwk.x}`,
    jwk: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, d: jwk.d },
  };
  const tmp = tempName(file);
  try {
    await Deno.mkdir(file.slice(0, file.lastIndexOf("/")) || "/", { recursive: true, mode: 0o700 });
    await Deno.writeTextFile(tmp, JSON.stringify(doc, null, 2) + "\n", {
      createNew: true,
      mode: 0o600,
    });
    await Deno.chmod(tmp, 0o600); // The umask may have narrowed it, never widened: make it exact.
    try {
      await Deno.link(tmp, file);
    } catch (e) {
      if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
      const raced = await loadSigningKey(file);
      if (!raced.ok) return raced;
      if (raced.value !== undefined) return ok({ key: raced.value, created: false });
    }
  } catch (e) {
    return err({
      reason: "key-file-invalid",
      file,
      detail: `cannot create it: ${oneLine(e)}`,
      hint: "set PSINV_SIGNING_KEY to a writable path outside the project",
    });
  } finally {
    await Deno.remove(tmp).catch(() => {});
  }
  const created = await loadSigningKey(file);
  if (!created.ok) return created;
  return ok({ key: created.value!, created: true });
}

/**
 * Signs `data`; the signature as base64url.
 *
 * @example
 * ```ts ignore
 * const signature = await sign(key, new TextEncoder().encode("entry"));
 * ```
 */
export async function sign(key: SigningKey, data: Uint8Array<ArrayBuffer>): Promise<string> {
  const signature = await crypto.subtle.sign("Ed25519", key.privateKey, data);
  return Buffer.from(signature).toString("base64url");
}

const publicKeys = new Map<string, Promise<CryptoKey>>();

/**
 * Whether `signature` (base64url) is `keyId`'s signature of `data`; `false` for a malformed key
 * id or signature.
 *
 * @example
 * ```ts ignore
 * await verifySignature(key.id, data, await sign(key, data)); // true
 * ```
 */
export async function verifySignature(
  keyId: string,
  data: Uint8Array<ArrayBuffer>,
  signature: string,
): Promise<boolean> {
  if (!KEY_ID.test(keyId) || !/^[A-Za-z0-9_-]{86}$/.test(signature)) return false;
  let key = publicKeys.get(keyId);
  if (key === undefined) {
    key = crypto.subtle.importKey(
      "jwk",
      { kty: "OKP", crv: "Ed25519", x: keyId.slice("ed25519:".length) },
      { name: "Ed25519" },
      false,
      ["verify"],
    );
    publicKeys.set(keyId, key);
  }
  try {
    return await crypto.subtle.verify(
      "Ed25519",
      await key,
      Buffer.from(signature, "base64url"),
      data,
    );
  } catch {
    return false; // A key id of the right shape that is not a point on the curve.
  }
}
