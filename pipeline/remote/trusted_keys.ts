/**
 * The public keys a project trusts: a JSON file in the repository (the pipeline names it), so
 * trusting a machine is a reviewed commit. A remote entry counts only when one of these keys
 * signed it.
 *
 * ```json
 * { "keys": [{ "key": "ed25519:…", "name": "ci@cluster" }] }
 * ```
 *
 * @module
 */
import { z } from "zod";
import { err, type KeyFileInvalid, ok, type Result } from "../core/mod.ts";
import { findJsonError } from "../params/mod.ts";
import { writeAtomic } from "../store/mod.ts";
import { KEY_ID } from "./signing_key.ts";
import { oneLine } from "./transport.ts";

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
}

const fileSchema = z.strictObject({
  keys: z.array(z.strictObject({ key: z.string().regex(KEY_ID), name: z.string() })),
});

const HINT = 'it lists keys as {"keys": [{"key": "ed25519:…", "name": "…"}]}';

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
  return ok({ file, keys: parsed.data.keys });
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
  const doc = { keys: [...current.value.keys, entry] };
  try {
    await writeAtomic(`${root}/${file}`, { data: JSON.stringify(doc, null, 2) + "\n" });
  } catch (e) {
    return err({
      reason: "key-file-invalid",
      file,
      detail: `cannot write it: ${oneLine(e)}`,
      hint: "check that the project folder is writable",
    });
  }
  return ok(true);
}
