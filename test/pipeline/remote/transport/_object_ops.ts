/**
 * What every transport does with objects beyond put and get, checked the same way on a folder
 * and on nginx: a listing with sizes and times, a streamed body and a streamed read, `DELETE`
 * (false when nothing was there), and the remote's clock.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { Transport } from "../../../../pipeline/remote/transport/transport.ts";

/**
 * Runs the checks on an empty remote; `extra` names the objects the remote shows besides `a` and
 * `b` (a share shows hidden temporary files, nginx does not).
 */
export async function assertObjectOps(
  t: Transport,
  opts: { readonly before?: () => Promise<void>; readonly extra?: [string, number][] } = {},
): Promise<void> {
  assert.deepEqual(await t.list("cas"), { ok: true, value: [] }, "a folder not made yet");
  await t.put("cas/b", new TextEncoder().encode("two"));
  await t.put("cas/a", { size: 1, open: () => new Blob(["1"]).stream() as never });
  await opts.before?.();
  const listed = await t.list("cas");
  assert.ok(listed.ok);
  assert.deepEqual(listed.value.map((o) => [o.name, o.size]), [
    ...(opts.extra ?? []),
    ["a", 1],
    ["b", 3],
  ]);
  assert.ok(listed.value.every((o) => Math.abs(o.modified - Date.now()) < 5000));
  const read = await t.read("cas/b");
  assert.ok(read.ok && read.value);
  assert.equal(await new Response(read.value).text(), "two");
  assert.deepEqual(await t.delete("cas/b"), { ok: true, value: true });
  assert.deepEqual(await t.delete("cas/b"), { ok: true, value: false });
  const now = await t.now();
  assert.ok(now.ok && Math.abs(now.value - Date.now()) < 5000);
}
