import assert from "node:assert/strict";
import { acquireLock, isProcessAlive } from "../../../pipeline/store/lock.ts";
import { lockFile, psinvDir } from "../../../pipeline/core/layout.ts";

const holderScript = new URL("../../testdata/lock_holder.ts", import.meta.url).pathname;

async function withRoot(fn: (root: string) => Promise<void>): Promise<void> {
  const root = await Deno.makeTempDir({ prefix: "psinv_lock_" });
  try {
    await fn(root);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

/** Starts lock_holder.ts; `lines` yields its stdout line by line. */
function holder(root: string, log: string, holdMs: number) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", holderScript, root, log, String(holdMs)],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).values();
  let buffer = "";
  const seen: string[] = [];
  /** Reads stdout until a line matching `re` has been printed. */
  const until = async (re: RegExp): Promise<void> => {
    while (!seen.some((l) => re.test(l))) {
      const { value, done } = await lines.next();
      if (done) throw new Error(`holder exited before printing ${re}: ${seen.join(" | ")}`);
      buffer += value;
      const parts = buffer.split("\n");
      buffer = parts.pop()!;
      seen.push(...parts);
    }
  };
  return { child, seen, until };
}

/** Parses the log into [pid, start, end] intervals. */
async function intervals(log: string): Promise<[number, number, number][]> {
  const starts = new Map<number, number>();
  const out: [number, number, number][] = [];
  for (const line of (await Deno.readTextFile(log)).trim().split("\n")) {
    const [what, pid, at] = line.split(" ");
    if (what === "start") starts.set(Number(pid), Number(at));
    else out.push([Number(pid), starts.get(Number(pid))!, Number(at)]);
  }
  return out.sort((a, b) => a[1] - b[1]);
}

Deno.test("acquireLock() writes the holder into .psinv/lock and release() removes it", () =>
  withRoot(async (root) => {
    const lock = await acquireLock(root);
    assert.ok(lock.ok);
    const written = JSON.parse(await Deno.readTextFile(lockFile(psinvDir(root))));
    assert.equal(written.pid, Deno.pid);
    assert.equal(written.token, lock.value.holder.token);
    await lock.value.release();
    await lock.value.release();
    await assert.rejects(() => Deno.stat(lockFile(psinvDir(root))), Deno.errors.NotFound);
  }));

Deno.test("a second process waits for the lock, says so once, and runs after the first", () =>
  withRoot(async (root) => {
    const log = `${root}/log`;
    const first = holder(root, log, 400);
    await first.until(/^locked$/);
    const second = holder(root, log, 50);
    await second.until(/^released$/);
    await first.until(/^released$/);
    assert.ok((await first.child.status).success);
    assert.ok((await second.child.status).success);

    assert.deepEqual(second.seen.filter((l) => l.startsWith("waiting")), [
      `waiting for ${first.child.pid}`,
    ]);
    const [a, b] = await intervals(log);
    assert.equal(a![0], first.child.pid);
    assert.ok(a![2] <= b![1], "the second held the lock only after the first released it");
  }));

Deno.test("processes racing for the lock hold it one at a time and all finish", () =>
  withRoot(async (root) => {
    const log = `${root}/log`;
    const racers = [holder(root, log, 150), holder(root, log, 150), holder(root, log, 150)];
    for (const r of racers) assert.ok((await r.child.status).success);
    const held = await intervals(log);
    assert.equal(held.length, 3);
    for (let i = 1; i < held.length; i++) assert.ok(held[i - 1]![2] <= held[i]![1]);
    for (const r of racers) await r.until(/^released$/);
  }));

Deno.test("a lock left by a dead process is recovered without waiting", () =>
  withRoot(async (root) => {
    const dead = new Deno.Command(Deno.execPath(), { args: ["eval", ""] }).spawn();
    await dead.status;
    assert.equal(isProcessAlive(dead.pid), false);
    await Deno.mkdir(psinvDir(root));
    await Deno.writeTextFile(
      lockFile(psinvDir(root)),
      JSON.stringify({ pid: dead.pid, since: "2026-01-01T00:00:00Z", token: "old" }),
    );
    let waited = false;
    const lock = await acquireLock(root, { timeoutMs: 2000, onWait: () => waited = true });
    assert.ok(lock.ok);
    assert.equal(waited, false);
    assert.equal(JSON.parse(await Deno.readTextFile(lockFile(psinvDir(root)))).pid, Deno.pid);
    await lock.value.release();
  }));

Deno.test("a lock whose pid was recycled by another process is recovered", () =>
  withRoot(async (root) => {
    await Deno.mkdir(psinvDir(root));
    // Our own pid, but a start time that is not ours: the holder that wrote it is gone.
    await Deno.writeTextFile(
      lockFile(psinvDir(root)),
      JSON.stringify({ pid: Deno.pid, since: "", start: 1, token: "old" }),
    );
    const lock = await acquireLock(root, { timeoutMs: 2000 });
    assert.ok(lock.ok);
    await lock.value.release();
  }));

Deno.test("a garbled lock file is taken over once it is old, not while it may be being written", () =>
  withRoot(async (root) => {
    await Deno.mkdir(psinvDir(root));
    await Deno.writeTextFile(lockFile(psinvDir(root)), "");
    const young = await acquireLock(root, { timeoutMs: 150, pollMs: 25 });
    assert.equal(young.ok, false);
    const old = new Date(Date.now() - 60_000);
    await Deno.utime(lockFile(psinvDir(root)), old, old);
    const lock = await acquireLock(root, { timeoutMs: 2000, pollMs: 25 });
    assert.ok(lock.ok);
    await lock.value.release();
  }));

Deno.test("acquireLock() fails with lock-timeout naming the live holder", () =>
  withRoot(async (root) => {
    const held = await acquireLock(root);
    assert.ok(held.ok);
    const waits: number[] = [];
    const second = await acquireLock(root, {
      timeoutMs: 200,
      pollMs: 25,
      onWait: (h) => waits.push(h.pid),
    });
    assert.deepEqual(waits, [Deno.pid]);
    assert.equal(second.ok, false);
    assert.ok(!second.ok && second.error.reason === "lock-timeout");
    assert.match(
      !second.ok && second.error.reason === "lock-timeout" ? second.error.holder : "",
      new RegExp(`${Deno.pid}`),
    );
    await held.value.release();
  }));

Deno.test("release() does not remove a lock taken over by someone else", () =>
  withRoot(async (root) => {
    const lock = await acquireLock(root);
    assert.ok(lock.ok);
    const other = JSON.stringify({ pid: Deno.pid, since: "", token: "someone-else" });
    await Deno.writeTextFile(lockFile(psinvDir(root)), other);
    await lock.value.release();
    assert.equal(await Deno.readTextFile(lockFile(psinvDir(root))), other);
  }));

Deno.test("several processes finding the same stale lock take it over one at a time", () =>
  withRoot(async (root) => {
    const dead = new Deno.Command(Deno.execPath(), { args: ["eval", ""] }).spawn();
    await dead.status;
    await Deno.mkdir(psinvDir(root));
    await Deno.writeTextFile(
      lockFile(psinvDir(root)),
      JSON.stringify({ pid: dead.pid, since: "2026-01-01T00:00:00Z", token: "old" }),
    );
    const log = `${root}/log`;
    const racers = [holder(root, log, 100), holder(root, log, 100), holder(root, log, 100)];
    for (const r of racers) assert.ok((await r.child.status).success);
    const held = await intervals(log);
    assert.equal(held.length, 3);
    for (let i = 1; i < held.length; i++) assert.ok(held[i - 1]![2] <= held[i]![1]);
    await assert.rejects(() => Deno.stat(lockFile(psinvDir(root))), Deno.errors.NotFound);
  }));
