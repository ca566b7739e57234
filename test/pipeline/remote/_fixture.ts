/**
 * What the remote tests share: signing keys in a temporary folder, trusted-key lists, two local
 * stores (a writer's and a reader's), and a remote over either transport.
 *
 * @module
 */
import { loadOrCreateSigningKey, type SigningKey } from "../../../pipeline/remote/signing_key.ts";
import type { TrustedKeys } from "../../../pipeline/remote/trusted_keys.ts";
import type { Transport } from "../../../pipeline/remote/transport/transport.ts";
import { fileTransport } from "../../../pipeline/remote/transport/file_transport.ts";
import { httpTransport } from "../../../pipeline/remote/transport/http_transport.ts";
import { openStore, type Store } from "../../../pipeline/store/store.ts";
import { type Nginx, skipNginx, startNginx } from "./_nginx.ts";

/** A fresh Ed25519 signing key (its file in a temporary folder, removed at once). */
export async function newKey(): Promise<SigningKey> {
  const dir = await Deno.makeTempDir({ prefix: "psinv-key-" });
  try {
    const r = await loadOrCreateSigningKey(`${dir}/key.json`);
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    return r.value.key;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Trusted keys listing `keys`. */
export function trusting(...keys: SigningKey[]): TrustedKeys {
  return { file: "trusted_keys.json", keys: keys.map((k, i) => ({ key: k.id, name: `k${i}` })) };
}

/** A remote to test against: its transport and where its objects lie on disk. */
export interface TestRemote {
  readonly transport: Transport;
  /** The folder holding `ac/` and `cas/`. */
  readonly dir: string;
  readonly server?: Nginx;
  dispose(): Promise<void>;
}

/** The two transports: a folder, and nginx over HTTP (skipped without nginx, outside CI). */
export const KINDS = ["file", "nginx"] as const;

/** Whether tests of this kind of remote are skipped here. */
export function skipped(kind: (typeof KINDS)[number]): boolean {
  return kind === "nginx" && skipNginx;
}

/** A fresh, empty remote of `kind`. */
export async function testRemote(kind: (typeof KINDS)[number]): Promise<TestRemote> {
  if (kind === "file") {
    const dir = await Deno.makeTempDir({ prefix: "psinv-remote-" });
    return {
      transport: fileTransport(dir),
      dir,
      dispose: () => Deno.remove(dir, { recursive: true }),
    };
  }
  const server = await startNginx();
  const url = server.url;
  return {
    transport: httpTransport({ base: `${url}/`, url, retryDelaysMs: [] }),
    dir: server.data,
    server,
    dispose: () => server.dispose(),
  };
}

/** Runs `fn` with two stores in fresh project folders (a writer's and a reader's). */
export async function withStores(fn: (a: Store, b: Store) => Promise<void>): Promise<void> {
  const roots = [
    await Deno.makeTempDir({ prefix: "psinv-a-" }),
    await Deno.makeTempDir({ prefix: "psinv-b-" }),
  ];
  try {
    await fn(await openStore(roots[0]!), await openStore(roots[1]!));
  } finally {
    for (const r of roots) await Deno.remove(r, { recursive: true });
  }
}

/** Flips one bit of the byte at `at` (from the end when negative) of a file. */
export async function flipByte(path: string, at: number): Promise<void> {
  const bytes = await Deno.readFile(path);
  const i = at < 0 ? bytes.length + at : at;
  bytes[i] = bytes[i]! ^ 1;
  await Deno.writeFile(path, bytes);
}

/** The only file in `dir`. */
export async function onlyFile(dir: string): Promise<string> {
  const names = (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name).filter((n) =>
    !n.startsWith(".")
  );
  if (names.length !== 1) throw new Error(`expected one file in ${dir}, found ${names.join(", ")}`);
  return `${dir}/${names[0]}`;
}
