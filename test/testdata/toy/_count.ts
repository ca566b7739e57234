/**
 * Lets tests count how often toy stages really ran: each run appends one line to `count.txt` in
 * the project root (outside the store, so the engine cannot hide or fake it). The root is found
 * by walking up from the stage's output folder (the store lives inside the project) to the
 * folder holding `params.json`: no environment variable, which parallel test files would share.
 *
 * @module
 */

/** Appends `name` and the stage's parameters to the project's counter file. */
export async function count(name: string, params: unknown, outDir: string): Promise<void> {
  let dir = outDir;
  while (dir.lastIndexOf("/") > 0) {
    dir = dir.slice(0, dir.lastIndexOf("/"));
    try {
      await Deno.stat(`${dir}/params.json`);
    } catch {
      continue;
    }
    await Deno.writeTextFile(`${dir}/count.txt`, `${name} ${JSON.stringify(params)}\n`, {
      append: true,
    });
    return;
  }
}
