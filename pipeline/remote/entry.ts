/**
 * A remote entry (`ac/<key>`): the result's store manifest (fingerprint, every file's hash), the
 * content address of its bundle, and the writer's Ed25519 signature over the canonical JSON of
 * all of it. It is uploaded after its bundle, so an entry that is there names a bundle that was
 * complete; a reader still checks everything, because a bundle can be lost or damaged later.
 *
 * @module
 */
import { z } from "zod";
import { canonicalJson, err, type Hash, isHash, ok, type Result } from "../core/mod.ts";
import { stageKey } from "../key/mod.ts";
import { type Manifest, parseManifest } from "../store/mod.ts";
import { sign, type SigningKey, verifySignature } from "./signing_key.ts";
import type { TrustedKeys } from "./trusted_keys.ts";

/** The wire format of entries this engine writes and reads. */
export const REMOTE_FORMAT = 1;

/** The bundle an entry names: its SHA-256 and size. */
export interface BundleRef {
  readonly hash: Hash;
  readonly size: number;
}

/** A signed remote entry. */
export interface RemoteEntry {
  /** {@linkcode REMOTE_FORMAT} of the writer. */
  readonly format: number;
  /** The stage key; the entry lives at `ac/<key>`. */
  readonly key: Hash;
  /** The store manifest of the result, as its writer stored it. */
  readonly manifest: Manifest;
  /** The bundle holding the result's files (`cas/<hash>`). */
  readonly bundle: BundleRef;
  /** The public key that signed it (`ed25519:…`). */
  readonly signer: string;
  /** base64url Ed25519 signature over the canonical JSON of every other field. */
  readonly signature: string;
}

const hash = z.string().refine(isHash, "expected a 64-digit lowercase hex SHA-256");
const entrySchema = z.strictObject({
  format: z.number().int(),
  key: hash,
  manifest: z.record(z.string(), z.unknown()),
  bundle: z.strictObject({ hash, size: z.number().int().nonnegative() }),
  signer: z.string(),
  signature: z.string(),
});

/** The bytes a signature covers: every field but the signature, canonically serialised. */
function signedBytes(
  e: Omit<RemoteEntry, "signature" | "manifest"> & { readonly manifest: unknown },
): Uint8Array<ArrayBuffer> {
  const { format, key, manifest, bundle, signer } = e;
  return new TextEncoder().encode(canonicalJson({ format, key, manifest, bundle, signer }));
}

/**
 * Signs a result's manifest and bundle address with `signer`, giving the entry's bytes.
 *
 * @example
 * ```ts ignore
 * const bytes = await signEntry({ manifest, bundle: { hash, size } }, key);
 * ```
 */
export async function signEntry(
  fields: { readonly manifest: Manifest; readonly bundle: BundleRef },
  signer: SigningKey,
): Promise<Uint8Array<ArrayBuffer>> {
  const unsigned = {
    format: REMOTE_FORMAT,
    key: fields.manifest.key,
    manifest: fields.manifest,
    bundle: fields.bundle,
    signer: signer.id,
  };
  const signature = await sign(signer, signedBytes(unsigned));
  return new TextEncoder().encode(canonicalJson({ ...unsigned, signature }) + "\n");
}

/**
 * Reads an entry fetched for `key` without asking whether its signer is trusted: its shape and
 * wire format, that it is for `key`, that the key it names signed it, that its manifest is
 * sound. What remote housekeeping (`gc --remote`) may know of any entry; the error says, in a
 * few words, what is wrong.
 *
 * @example
 * ```ts ignore
 * const r = await inspectEntry(bytes, key);
 * if (r.ok) r.value.signer; // "ed25519:…", trusted or not
 * ```
 */
export async function inspectEntry(
  bytes: Uint8Array,
  key: Hash,
): Promise<Result<RemoteEntry, string>> {
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return err("it is not JSON (truncated or not an entry)");
  }
  if (typeof doc === "object" && doc !== null && !("signature" in doc)) {
    return err("it is unsigned");
  }
  const parsed = entrySchema.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return err(`it is not an entry ("${issue?.path.join(".")}": ${issue?.message})`);
  }
  const e = parsed.data;
  if (e.format !== REMOTE_FORMAT) {
    return err(`it has wire format ${e.format}, this engine reads ${REMOTE_FORMAT}`);
  }
  if (e.key !== key) return err(`it is the entry of another key, ${e.key}`);
  if (!await verifySignature(e.signer, signedBytes(e), e.signature)) {
    return err(`its signature does not verify against ${e.signer}`);
  }
  const manifest = await parseManifest(JSON.stringify(e.manifest), key);
  if (!manifest.ok) return err(manifest.error);
  return ok({ ...e, manifest: manifest.value });
}

/**
 * Checks an entry fetched for `key`: everything {@linkcode inspectEntry} checks, that a trusted
 * key (not a revoked one) signed it, and that its fingerprint hashes to `key`. The error says,
 * in a few words, why it cannot be used.
 *
 * @example
 * ```ts ignore
 * const r = await checkRemoteEntry(bytes, key, trusted);
 * if (!r.ok) console.log(r.error); // "it is signed by ed25519:…, which stages/trusted_keys.json does not list"
 * ```
 */
export async function checkRemoteEntry(
  bytes: Uint8Array,
  key: Hash,
  trusted: TrustedKeys,
): Promise<Result<RemoteEntry, string>> {
  const inspected = await inspectEntry(bytes, key);
  if (!inspected.ok) return inspected;
  const e = inspected.value;
  if ((trusted.revoked ?? []).some((k) => k.key === e.signer)) {
    return err(`it is signed by ${e.signer}, which ${trusted.file} revokes`);
  }
  if (!trusted.keys.some((k) => k.key === e.signer)) {
    return err(
      trusted.file === ""
        ? `it is signed by ${e.signer}, and the pipeline names no trusted-keys file`
        : `it is signed by ${e.signer}, which ${trusted.file} does not list`,
    );
  }
  if (await stageKey(e.manifest.fingerprint) !== key) {
    return err("its fingerprint does not hash to its key");
  }
  return ok(e);
}

/**
 * Why an entry's files are not exactly the outputs a stage declares, or `undefined` when they
 * are: such a result would not be what the local stage would have stored.
 *
 * @example
 * ```ts ignore
 * outputsMismatch(entry, ["a.csv"]); // 'its files (a.csv, b.csv) are not the stage's declared outputs (a.csv)'
 * ```
 */
export function outputsMismatch(
  entry: RemoteEntry,
  outputs: readonly string[],
): string | undefined {
  const files = Object.keys(entry.manifest.files).sort();
  const declared = [...outputs].sort();
  if (files.length === declared.length && files.every((f, i) => f === declared[i])) {
    return undefined;
  }
  return `its files (${files.join(", ")}) are not the stage's declared outputs (${
    declared.join(", ")
  })`;
}
