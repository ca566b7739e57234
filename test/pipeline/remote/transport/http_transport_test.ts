/**
 * The HTTP transport against a real nginx (WebDAV `PUT`), and against a few stub servers for
 * what nginx will not do on demand (answer busy, then fine; never answer).
 *
 * @module
 */
import assert from "node:assert/strict";
import { assertObjectOps } from "./_object_ops.ts";
import { httpTransport } from "../../../../pipeline/remote/transport/http_transport.ts";
import { skipNginx, startNginx } from "../_nginx.ts";

const bytes = (s: string) => new TextEncoder().encode(s);
const at = (url: string, authorization?: string) =>
  httpTransport({
    base: `${url}/`,
    url,
    retryDelaysMs: [],
    ...(authorization ? { authorization } : {}),
  });

Deno.test({
  name: "httpTransport() puts, sizes and gets objects on nginx; an absent one is undefined",
  ignore: skipNginx,
  fn: async () => {
    const server = await startNginx();
    try {
      const t = at(server.url);
      assert.deepEqual(await t.get("ac/none"), { ok: true, value: undefined });
      assert.deepEqual(await t.head("ac/none"), { ok: true, value: undefined });
      assert.deepEqual(await t.put("cas/ab", bytes("hello")), { ok: true, value: undefined });
      const info = await t.head("cas/ab");
      assert.ok(info.ok && info.value?.size === 5);
      assert.ok(Math.abs(info.value.modified - Date.now()) < 5000, "the time it was written");
      assert.deepEqual(await t.put("cas/ab", bytes("replaced")), { ok: true, value: undefined });
      const got = await t.get("cas/ab");
      assert.ok(got.ok && new TextDecoder().decode(got.value) === "replaced");
    } finally {
      await server.dispose();
    }
  },
});

Deno.test({
  name: "httpTransport() sends credentials, and a refusal is `denied`",
  ignore: skipNginx,
  fn: async (t) => {
    const server = await startNginx({ token: "s3cret" });
    try {
      await t.step("bearer token", async () => {
        const without = await at(server.url).head("ac/x");
        assert.deepEqual(without, {
          ok: false,
          error: { kind: "denied", detail: "HEAD ac/x: HTTP 401 Unauthorized" },
        });
        assert.deepEqual(await at(server.url, "Bearer s3cret").head("ac/x"), {
          ok: true,
          value: undefined,
        });
        assert.equal((await at(server.url, "Bearer wrong").put("ac/x", bytes("x"))).ok, false);
      });
      await server.restart({ basic: { user: "ann", password: "pw" } });
      await t.step("basic auth", async () => {
        assert.equal((await at(server.url).get("ac/x")).ok, false);
        const auth = `Basic ${btoa("ann:pw")}`;
        assert.deepEqual(await at(server.url, auth).put("ac/x", bytes("x")), {
          ok: true,
          value: undefined,
        });
      });
    } finally {
      await server.dispose();
    }
  },
});

Deno.test({
  name: "httpTransport() reports a server error and a stopped server, each on one line",
  ignore: skipNginx,
  fn: async () => {
    const server = await startNginx({ failEntryPuts: true });
    try {
      const t = at(server.url);
      assert.deepEqual(await t.put("ac/k", bytes("entry")), {
        ok: false,
        error: { kind: "failed", detail: "PUT ac/k: HTTP 500 Internal Server Error" },
      });
      await server.stop();
      const r = await t.get("ac/k");
      assert.ok(!r.ok);
      assert.equal(r.error.kind, "unreachable");
      assert.match(r.error.detail, /^GET ac\/k: .*Connection refused/);
      assert.ok(!r.error.detail.includes("\n"));
    } finally {
      await server.dispose();
    }
  },
});

Deno.test("httpTransport() retries a busy server, but not a failing one", async () => {
  let requests = 0;
  const ac = new AbortController();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, signal: ac.signal, onListen: () => {} },
    (req) => {
      requests++;
      if (new URL(req.url).pathname.startsWith("/fail")) return new Response("", { status: 500 });
      return requests < 3 ? new Response("", { status: 503 }) : new Response("ok");
    },
  );
  try {
    const url = `http://127.0.0.1:${server.addr.port}`;
    const t = httpTransport({ base: `${url}/`, url, retryDelaysMs: [1, 1] });
    const got = await t.get("busy");
    assert.ok(got.ok && new TextDecoder().decode(got.value) === "ok");
    assert.equal(requests, 3);
    requests = 0;
    assert.equal((await t.get("fail")).ok, false);
    assert.equal(requests, 1);
  } finally {
    ac.abort();
    await server.finished;
  }
});

Deno.test("httpTransport() gives up on a server that never answers", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const held: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const c of listener) held.push(c); // Accepted, never answered.
  })();
  try {
    const url = `http://127.0.0.1:${listener.addr.port}`;
    const t = httpTransport({ base: `${url}/`, url, timeoutMs: 100, retryDelaysMs: [] });
    const r = await t.get("ac/k");
    assert.deepEqual(r, {
      ok: false,
      error: { kind: "unreachable", detail: "GET ac/k: no answer within 0.1 s" },
    });
  } finally {
    listener.close();
    await accepting.catch(() => {});
    for (const c of held) c.close();
  }
});

Deno.test({
  name: "nginx never serves half of an object that is still being PUT",
  ignore: skipNginx,
  fn: async () => {
    const server = await startNginx();
    try {
      const chunk = new Uint8Array(256 * 1024).fill(7);
      const chunks = 8;
      let sent = 0;
      // A slow upload: the body arrives in pieces, with pauses between them.
      const body = new ReadableStream<Uint8Array>({
        async pull(c) {
          if (sent++ === chunks) return c.close();
          await new Promise((r) => setTimeout(r, 25));
          c.enqueue(chunk);
        },
      });
      const putting = fetch(`${server.url}/cas/slow`, { method: "PUT", body });
      const seen = new Set<number | string>();
      for (let i = 0; i < 200 && sent <= chunks; i++) {
        const r = await fetch(`${server.url}/cas/slow`);
        seen.add(r.status === 200 ? (await r.arrayBuffer()).byteLength : r.status);
        if (r.status !== 200) await r.body?.cancel();
        await new Promise((r) => setTimeout(r, 5));
      }
      assert.equal((await putting).status, 201);
      const done = await fetch(`${server.url}/cas/slow`);
      assert.equal((await done.arrayBuffer()).byteLength, chunk.length * chunks);
      assert.ok(seen.has(404), "polled while the body was still arriving");
      for (const s of seen) assert.ok(s === 404 || s === chunk.length * chunks, `saw ${s}`);
    } finally {
      await server.dispose();
    }
  },
});

Deno.test({
  name:
    "httpTransport() lists folders as nginx's JSON, deletes, streams, and reads the server's clock",
  ignore: skipNginx,
  fn: async () => {
    const server = await startNginx();
    try {
      const t = at(server.url);
      await assertObjectOps(t);
      await server.restart({ noDelete: true });
      const refused = await t.delete("cas/a");
      assert.ok(!refused.ok && refused.error.kind === "unsupported", JSON.stringify(refused));
    } finally {
      await server.dispose();
    }
  },
});
