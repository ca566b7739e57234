/**
 * Writing a file so that readers see the old content or the new, never half of it: write a
 * temporary file beside it, then rename over it. A crash leaves only a temporary file, which
 * {@linkcode sweepTemporaries} removes later.
 *
 * @module
 */

/** Marks temporary files of {@linkcode writeAtomic}; nothing else uses it. */
const TMP_MARK = ".psinv-tmp-";

/** Writes `data` (or copies the file `from`) to `path` atomically, creating parent folders. */
export async function writeAtomic(
  path: string,
  content: { readonly data: Uint8Array | string } | { readonly from: string },
): Promise<void> {
  const slash = path.lastIndexOf("/");
  const dir = path.slice(0, slash);
  await Deno.mkdir(dir, { recursive: true });
  const tmp = `${dir}/.${path.slice(slash + 1)}${TMP_MARK}${crypto.randomUUID().slice(0, 8)}`;
  try {
    if ("from" in content) {
      await Deno.copyFile(content.from, tmp);
    } else if (typeof content.data === "string") {
      await Deno.writeTextFile(tmp, content.data);
    } else {
      await Deno.writeFile(tmp, content.data);
    }
    await Deno.rename(tmp, path);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw e;
  }
}

/** Removes temporary files left under `dir` (recursively) by writes a crash interrupted. */
export async function sweepTemporaries(dir: string): Promise<void> {
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(dir));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotADirectory) return;
    throw e;
  }
  for (const e of entries) {
    if (e.isDirectory) await sweepTemporaries(`${dir}/${e.name}`);
    else if (e.name.startsWith(".") && e.name.includes(TMP_MARK)) {
      await Deno.remove(`${dir}/${e.name}`).catch(() => {});
    }
  }
}
