/**
 * Lets tests count how often toy stages really ran: each run appends one line to the file named
 * by `TOY_COUNTER` (outside the store, so the engine cannot hide or fake it).
 *
 * @module
 */

/** Appends `name` and the stage's parameters to the counter file, if one is set. */
export async function count(name: string, params: unknown): Promise<void> {
  const file = Deno.env.get("TOY_COUNTER");
  if (file) await Deno.writeTextFile(file, `${name} ${JSON.stringify(params)}\n`, { append: true });
}
