/**
 * The remote as a folder (a mounted share named by `file:///…`). Objects are files under it;
 * each is written to a temporary file beside its target, flushed, and renamed over it, so a
 * reader on another machine sees a whole object or none. Times are the files' modification
 * times, by the clock of the machine serving the share.
 *
 * @module
 */
import { err, ok, type Result, tempName } from "../../core/mod.ts";
import {
  type ListedObject,
  oneLine,
  type StreamBody,
  type Transport,
  type TransportError,
} from "./transport.ts";

/**
 * A transport storing objects as files under `dir`.
 *
 * @example
 * ```ts
 * import { fileTransport } from "./file_transport.ts";
 * const dir = await Deno.makeTempDir();
 * const t = fileTransport(dir);
 * await t.put("cas/ab", new Uint8Array([1, 2]));
 * const info = await t.head("cas/ab");
 * info.ok && info.value?.size; // 2
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export function fileTransport(dir: string): Transport {
  const root = dir.replace(/\/+$/, "");
  const fail = (what: string, e: unknown): TransportError => ({
    kind: e instanceof Deno.errors.PermissionDenied ? "denied" : "failed",
    detail: `${what}: ${oneLine(e)}`,
  });
  const seconds = (d: Date | null) => Math.floor((d?.getTime() ?? 0) / 1000) * 1000;

  /** Writes `body` to a temporary file beside `target` and renames it into place. */
  async function write(target: string, body: Uint8Array<ArrayBuffer> | StreamBody): Promise<void> {
    const tmp = tempName(target);
    try {
      await Deno.mkdir(target.slice(0, target.lastIndexOf("/")), { recursive: true });
      const f = await Deno.open(tmp, { write: true, createNew: true });
      try {
        const chunks = body instanceof Uint8Array ? [body] : body.open();
        for await (const chunk of chunks) {
          let written = 0;
          while (written < chunk.length) written += await f.write(chunk.subarray(written));
        }
        await f.sync();
      } finally {
        f.close();
      }
      await Deno.rename(tmp, target);
    } catch (e) {
      await Deno.remove(tmp).catch(() => {});
      throw e;
    }
  }

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
    async read(path) {
      try {
        return ok((await Deno.open(`${root}/${path}`, { read: true })).readable);
      } catch (e) {
        if (e instanceof Deno.errors.NotFound) return ok(undefined);
        return err(fail(`reading ${path}`, e));
      }
    },
    async head(path) {
      try {
        const info = await Deno.stat(`${root}/${path}`);
        return ok(info.isFile ? { size: info.size, modified: seconds(info.mtime) } : undefined);
      } catch (e) {
        if (e instanceof Deno.errors.NotFound) return ok(undefined);
        return err(fail(`reading ${path}`, e));
      }
    },
    async put(path, body): Promise<Result<void, TransportError>> {
      try {
        await write(`${root}/${path}`, body);
        return ok(undefined);
      } catch (e) {
        return err(fail(`writing ${path}`, e));
      }
    },
    async delete(path) {
      try {
        await Deno.remove(`${root}/${path}`);
        return ok(true);
      } catch (e) {
        if (e instanceof Deno.errors.NotFound) return ok(false);
        return err(fail(`deleting ${path}`, e));
      }
    },
    async list(folder) {
      const out: ListedObject[] = [];
      try {
        for await (const e of Deno.readDir(`${root}/${folder}`)) {
          if (!e.isFile) continue;
          const info = await Deno.stat(`${root}/${folder}/${e.name}`).catch(() => undefined);
          if (info) out.push({ name: e.name, size: info.size, modified: seconds(info.mtime) });
        }
      } catch (e) {
        if (e instanceof Deno.errors.NotFound) return ok([]);
        return err(fail(`listing ${folder}`, e));
      }
      return ok(out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)));
    },
    async now() {
      // The share's clock, not ours: the time a file written now gets.
      const probe = tempName(`${root}/clock`);
      try {
        await Deno.writeFile(probe, new Uint8Array(), { createNew: true });
        return ok(seconds((await Deno.stat(probe)).mtime));
      } catch (e) {
        return err(fail("writing a file to read the share's clock", e));
      } finally {
        await Deno.remove(probe).catch(() => {});
      }
    },
  };
}
