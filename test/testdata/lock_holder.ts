/**
 * A process that takes the store lock, holds it a while, and logs when it held it:
 * `deno run -A lock_holder.ts <root> <log file> <hold ms>`. Used by test/lock_test.ts.
 *
 * @module
 */
import { acquireLock } from "../../pipeline/store/lock.ts";

if (import.meta.main) await main();

async function main(): Promise<void> {
  const [root, log, hold] = Deno.args;
  if (root === undefined || log === undefined) throw new Error("usage: <root> <log> [hold ms]");
  const say = (line: string) => Deno.stdout.write(new TextEncoder().encode(line + "\n"));

  const lock = await acquireLock(root, {
    pollMs: 25,
    timeoutMs: 20_000,
    onWait: (holder) => void say(`waiting for ${holder.pid}`),
  });
  if (!lock.ok) {
    await say(`failed ${lock.error.reason}`);
    Deno.exit(1);
  }
  await Deno.writeTextFile(log, `start ${Deno.pid} ${Date.now()}\n`, { append: true });
  await say("locked");
  await new Promise((r) => setTimeout(r, Number(hold ?? 300)));
  await Deno.writeTextFile(log, `end ${Deno.pid} ${Date.now()}\n`, { append: true });
  await lock.value.release();
  await say("released");
}
