import assert from "node:assert/strict";
import { limiter, semaphore } from "../../../pipeline/core/semaphore.ts";

Deno.test("semaphore() hands out its slots in the order they were asked for", async () => {
  const slots = semaphore(1);
  const first = await slots.acquire();
  const order: number[] = [];
  const waiting = [1, 2, 3].map((n) => slots.acquire().then((release) => (order.push(n), release)));
  await new Promise((r) => setTimeout(r, 1));
  assert.deepEqual(order, [], "no slot is free while the first is held");
  first();
  for (const w of waiting) (await w)();
  assert.deepEqual(order, [1, 2, 3]);
});

Deno.test("limiter() runs at most its size at once and frees a slot when a task throws", async (t) => {
  await t.step("at most two of five in flight", async () => {
    const limit = limiter(2);
    let running = 0, most = 0;
    await Promise.all([1, 2, 3, 4, 5].map(() =>
      limit(async () => {
        most = Math.max(most, ++running);
        await new Promise((r) => setTimeout(r, 1));
        running--;
      })
    ));
    assert.equal(most, 2);
  });
  await t.step("a rejected task passes its error on and the next one still runs", async () => {
    const limit = limiter(1);
    const failed = limit(() => Promise.reject(new Error("boom")));
    const next = limit(() => Promise.resolve("ran"));
    await assert.rejects(failed, /boom/);
    assert.equal(await next, "ran");
  });
});
