import assert from "node:assert/strict";
import { parseRemoteUrl } from "../../../pipeline/remote/remote_url.ts";

const none = () => undefined;
const envOf = (vars: Record<string, string>) => (name: string) => vars[name];

Deno.test("parseRemoteUrl() takes https, http and file URLs", async (t) => {
  await t.step("an http(s) URL gets a base ending in / and a shown URL without it", () => {
    const r = parseRemoteUrl("https://cache.example.org/psinv", none);
    assert.ok(r.ok && r.value.kind === "http");
    assert.equal(r.value.base, "https://cache.example.org/psinv/");
    assert.equal(r.value.url, "https://cache.example.org/psinv");
    assert.equal(r.value.authorization, undefined);
  });
  await t.step("a file URL names an absolute folder, percent-decoded", () => {
    const r = parseRemoteUrl("file:///mnt/my%20share/psinv/", none);
    assert.ok(r.ok && r.value.kind === "file");
    assert.equal(r.value.dir, "/mnt/my share/psinv");
  });
});

Deno.test("parseRemoteUrl() refuses what it cannot use, naming the fix", async (t) => {
  const cases: [string, string, RegExp][] = [
    ["", "the URL is empty", /e\.g\. https/],
    ["cache.example.org", "it is not a URL", /e\.g\. https/],
    ["/mnt/share", "it is not a URL", /file:\/\/\/mnt\/share/],
    ["s3://bucket/x", 'unknown scheme "s3:"', /https:\/\/, http:\/\/ or file:\/\//],
    ["https://u:secret@h/x", "the URL holds credentials", /PSINV_REMOTE_USER/],
    ["https://h/x?sig=1", "the URL has a query or fragment", /names a folder/],
    ["file://nas/share", 'file: URLs name a folder on this machine, not on "nas"', /mount/],
  ];
  for (const [url, detail, hint] of cases) {
    await t.step(JSON.stringify(url), () => {
      const r = parseRemoteUrl(url, none);
      assert.ok(!r.ok);
      assert.equal(r.error.reason, "remote-invalid");
      assert.equal(r.error.detail, detail);
      assert.match(r.error.hint, hint);
      assert.ok(!r.error.url.includes("secret"), "a password is never shown");
    });
  }
});

Deno.test("parseRemoteUrl() reads credentials from the environment only", async (t) => {
  await t.step("a token becomes a bearer header", () => {
    const r = parseRemoteUrl("https://h/c", envOf({ PSINV_REMOTE_TOKEN: "t0k" }));
    assert.ok(r.ok && r.value.kind === "http");
    assert.equal(r.value.authorization, "Bearer t0k");
  });
  await t.step("a user and password become basic auth", () => {
    const r = parseRemoteUrl(
      "https://h/c",
      envOf({ PSINV_REMOTE_USER: "ann", PSINV_REMOTE_PASSWORD: "pässword" }),
    );
    assert.ok(r.ok && r.value.kind === "http");
    const decoded = new TextDecoder().decode(
      Uint8Array.from(atob(r.value.authorization!.slice(6)), (c) => c.charCodeAt(0)),
    );
    assert.equal(decoded, "ann:pässword");
  });
  await t.step("a user without a password, or both kinds, is refused", () => {
    const half = parseRemoteUrl("https://h/c", envOf({ PSINV_REMOTE_USER: "ann" }));
    assert.ok(!half.ok);
    assert.equal(half.error.detail, "PSINV_REMOTE_USER is set but PSINV_REMOTE_PASSWORD is not");
    const both = parseRemoteUrl(
      "https://h/c",
      envOf({ PSINV_REMOTE_TOKEN: "t", PSINV_REMOTE_USER: "a", PSINV_REMOTE_PASSWORD: "p" }),
    );
    assert.ok(!both.ok);
  });
  await t.step("credentials over plain http go only to loopback, unless allowed", () => {
    const token = { PSINV_REMOTE_TOKEN: "t" };
    assert.equal(parseRemoteUrl("http://cache.lan/c", envOf(token)).ok, false);
    assert.equal(parseRemoteUrl("http://127.0.0.1:8080/c", envOf(token)).ok, true);
    assert.equal(parseRemoteUrl("http://cache.lan/c", none).ok, true);
    const allowed = envOf({ ...token, PSINV_REMOTE_ALLOW_HTTP: "1" });
    assert.equal(parseRemoteUrl("http://cache.lan/c", allowed).ok, true);
  });
});
