/**
 * The public keys a project trusts: a JSON file in the repository (the pipeline names it), so
 * trusting a machine is a reviewed commit. A remote entry counts only when one of these keys
 * signed it.
 *
 * ```json
 * { "keys": [{ "key": "ed25519:…", "name": "ci@cluster" }],
 *   "revoked": [{ "key": "ed25519:…", "name": "old-ci" }] }
 * ```
 *
 * A revoked key is one found to have signed a wrong result (`verify --remote`): its entries are
 * never used, and `gc --remote` deletes them.
 *
 * @module
 */
import { z } from "zod";
import { err, type KeyFileInvalid, ok, type Result } from "../core/mod.ts";
import { findJsonError } from "../params/mod.ts";
import { writeAtomic } from "../store/mod.ts";
import { KEY_ID } from "./signing_key.ts";
import { oneLine } from "./transport/transport.ts";

/** One trusted key. */
export interface TrustedKey {
  /** `ed25519:<base64url public key>`. */
  readonly key: string;
  /** Whose key it is, for people reading the file. */
  readonly name: string;
}

/** The trusted keys of a project, from its file. */
export interface TrustedKeys {
  /** The file, relative to the project root (`""` when the pipeline names none). */
  readonly file: string;
  readonly keys: readonly TrustedKey[];
  /** Keys no longer trusted: their entries are never used and `gc --remote` deletes them. */
  readonly revoked?: readonly TrustedKey[];
}

const keySchema = z.strictObject({ key: z.string().regex(KEY_ID), name: z.string() });
const fileSchema = z.strictObject({
  keys: z.array(keySchema),
  revoked: z.array(keySchema).optional(),
});

const HINT =
  'it lists keys as {"keys": [{"key": "ed25519:…", "name": "…"}], "revoked": [the same, optional]}';

/**
 * Reads the trusted keys from `<root>/<file>`; a file that does not exist trusts no key.
 *
 * @example
 * ```ts
 * import { readTrustedKeys } from "./trusted_keys.ts";
 * const r = await readTrustedKeys("/no/such/project", "keys.json");
 * r.ok && r.value.keys.length; // 0
 * ```
 */
export async function readTrustedKeys(
  root: string,
  file: string,
): Promise<Result<TrustedKeys, KeyFileInvalid>> {
  if (file === "") return ok({ file, keys: [] });
  let text: string;
  try {
    text = await Deno.readTextFile(`${root}/${file}`);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return ok({ file, keys: [] });
    return err({ reason: "key-file-invalid", file, detail: oneLine(e), hint: HINT });
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    const at = findJsonError(text);
    const where = at ? `line ${at.line}, column ${at.column}: ${at.detail}` : "not JSON";
    return err({ reason: "key-file-invalid", file, detail: where, hint: HINT });
  }
  const parsed = fileSchema.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.join(".") ?? "";
    return err({
      reason: "key-file-invalid",
      file,
      detail: `"${path}": ${issue?.message}`,
      hint: HINT,
    });
  }
  return ok({ file, keys: parsed.data.keys, revoked: parsed.data.revoked ?? [] });
}

/**
 * Adds `key` to the trusted keys at `<root>/<file>` (created if missing); `false` when it was
 * listed already (nothing written).
 *
 * @example
 * ```ts ignore
 * await trustKey(root, "stages/trusted_keys.json", { key: "ed25519:…", name: "ci" }); // ok(true)
 * ```
 */
export async function trustKey(
  root: string,
  file: string,
  entry: TrustedKey,
): Promise<Result<boolean, KeyFileInvalid>> {
  const current = await readTrustedKeys(root, file);
  if (!current.ok) return current;
  if (current.value.keys.some((k) => k.key === entry.key)) return ok(false);
  const revoked = (current.value.revoked ?? []).filter((k) => k.key !== entry.key);
  const doc = { keys: [...current.value.keys, entry], ...(revoked.length > 0 ? { revoked } : {}) };
  const written = await writeKeys(root, file, doc);
  return written.ok ? ok(true) : written;
}

/**
 * Moves `key` from the trusted keys at `<root>/<file>` to its revoked keys; the name it had, or
 * `undefined` when it was not trusted (then it is revoked all the same, named `name`).
 *
 * @example
 * ```ts ignore
 * await revokeKey(root, "stages/trusted_keys.json", "ed25519:…", "unknown"); // ok("ci@cluster")
 * ```
 */
export async function revokeKey(
  root: string,
  file: string,
  key: string,
  name: string,
): Promise<Result<string | undefined, KeyFileInvalid>> {
  const current = await readTrustedKeys(root, file);
  if (!current.ok) return current;
  const was = current.value.keys.find((k) => k.key === key);
  const revoked = (current.value.revoked ?? []).filter((k) => k.key !== key);
  const doc = {
    keys: current.value.keys.filter((k) => k.key !== key),
    revoked: [...revoked, { key, name: was?.name ?? name }],
  };
  const written = await writeKeys(root, file, doc);
  return written.ok ? ok(was?.name) : written;
}

async function writeKeys(
  root: string,
  file: string,
  doc: { keys: readonly TrustedKey[]; revoked?: readonly TrustedKey[] },
): Promise<Result<void, KeyFileInvalid>> {
  try {
    await writeAtomic(`${root}/${file}`, { data: JSON.stringify(doc, null, 2) + "\n" });
    return ok(undefined);
  } catch (e) {
    return err({
      reason: "key-file-invalid",
      file,
      detail: `cannot write it: ${oneLine(e)}`,
      hint: "check that the project folder is writable",
    });
  }
}
