import assert from "node:assert/strict";
import { ENGINE_FORMAT } from "../../../pipeline/key/fingerprint.ts";
import {
  contentHash,
  formatManifest,
  type Manifest,
  parseManifest,
} from "../../../pipeline/store/manifest.ts";
import { sha256 } from "../../../pipeline/core/hash.ts";

async function manifest(format: number): Promise<Manifest> {
  const h = await sha256("x");
  const files = { "a.txt": { hash: h, size: 1 } };
  return {
    format,
    key: h,
    stage: "s",
    fingerprint: { format, params: {}, inputs: {}, code: h, version: 0 },
    files,
    content: await contentHash(files),
    seconds: 0,
    created: "2026-01-01T00:00:00.000Z",
  };
}

Deno.test("parseManifest() reads older engine formats and refuses newer ones", async () => {
  for (let format = 1; format <= ENGINE_FORMAT; format++) {
    const r = await parseManifest(formatManifest(await manifest(format)));
    assert.ok(r.ok, `format ${format}`);
    assert.equal(r.value.fingerprint.format, format);
  }
  const newer = await parseManifest(formatManifest(await manifest(ENGINE_FORMAT + 1)));
  assert.ok(!newer.ok);
  assert.match(newer.error, /manifest format is \d+, this engine reads formats 1 to \d+/);
});
