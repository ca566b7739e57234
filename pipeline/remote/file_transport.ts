/**
 * The remote as a folder (a mounted share named by `file:///…`). Objects are files under it;
 * each is written to a temporary file beside its target, flushed, and renamed over it, so a
 * reader on another machine sees a whole object or none.
 *
 * @module
 */
import { err, ok, type Result, tempName } from "../core/mod.ts";
import { oneLine, type Transport, type TransportError } from "./transport.ts";

/**
 * A transport storing objects as files under `dir`.
 *
 * @example
 * ```ts
 * import { fileTransport } from "./file_transport.ts";
 * const dir = await Deno.makeTempDir();
 * const t = fileTransport(dir);
 * await t.put("cas/ab", new Uint8Array([1, 2]));
 * (await t.head("cas/ab")).ok; // true
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export function fileTransport(dir: string): Transport {
  const root = dir.replace(/\/+$/, "");
  const fail = (what: string, e: unknown): TransportError => ({
    kind: e instanceof Deno.errors.PermissionDenied ? "denied" : "failed",
    detail: `${what}: ${oneLine(e)}`,
  });
  return {
    url: `file://${root}`,
    async get(path) {
      try {
        return ok(await Deno.readFile(`${root}/${path}`));
      } catch (e) {
        if (e instanceof Deno.errors.NotFound) return ok(undefined);
        return err(fail(`reading ${path}`, e));
      }
    },
    async head(path) {
      try {
        const info = await Deno.stat(`${root}/${path}`);
        return ok(info.isFile ? info.size : undefined);
      } catch (e) {
        if (e instanceof Deno.errors.NotFound) return ok(undefined);
        return err(fail(`reading ${path}`, e));
      }
    },
    async put(path, body): Promise<Result<void, TransportError>> {
      const target = `${root}/${path}`;
      const tmp = tempName(target);
      try {
        await Deno.mkdir(target.slice(0, target.lastIndexOf("/")), { recursive: true });
        const f = await Deno.open(tmp, { write: true, createNew: true });
        try {
          let written = 0;
          while (written < body.length) written += await f.write(body.subarray(written));
          await f.sync();
        } finally {
          f.close();
        }
        await Deno.rename(tmp, target);
        return ok(undefined);
      } catch (e) {
        await Deno.remove(tmp).catch(() => {});
        return err(fail(`writing ${path}`, e));
      }
    },
  };
}
