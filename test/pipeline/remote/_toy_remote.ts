/**
 * Two toy projects sharing a remote, as a cluster and a laptop would: each signs with its own
 * key (kept outside the project), and both trust both keys.
 *
 * @module
 */
import type { RemoteLocation, Transport } from "../../../pipeline/remote/mod.ts";
import { fileTransport } from "../../../pipeline/remote/transport/file_transport.ts";
import { httpTransport } from "../../../pipeline/remote/transport/http_transport.ts";
import { loadOrCreateSigningKey } from "../../../pipeline/remote/signing_key.ts";
import { type RunResult, type ToyProject, toyProject } from "../../testdata/toy/harness.ts";
import type { ToyParams } from "../../testdata/toy/pipeline.ts";
import type { Pipeline } from "../../../pipeline/core/stage.ts";
import { type TestRemote, testRemote } from "./_fixture.ts";

/** A toy project with its signing key. */
export interface Clone {
  readonly project: ToyProject;
  /** Its public key id. */
  readonly key: string;
  /** Where its signing key is (for a CLI in another process). */
  readonly keyFile: string;
  /** Runs the CLI with this clone's signing key and the given remote transport wrapper. */
  run(...args: string[]): Promise<RunResult>;
  /** Like `run`, with a transport wrapper (to inject faults) and extra environment. */
  runWith(
    opts: {
      readonly wrap?: (t: Transport, l: RemoteLocation) => Transport;
      readonly env?: Record<string, string>;
      /** Another pipeline over the toy's stages. */
      readonly pipeline?: Pipeline<ToyParams>;
    },
    ...args: string[]
  ): Promise<RunResult>;
}

/** Two clones and their remote. */
export interface ToyPair {
  readonly a: Clone;
  readonly b: Clone;
  readonly remote: TestRemote;
  /** The remote's URL. */
  readonly url: string;
  /** A third clone of the project, trusting the same keys. */
  clone(): Promise<Clone>;
  dispose(): Promise<void>;
}

/** Two toy clones trusting each other's keys, and a fresh remote of `kind`. */
export async function toyPair(kind: "file" | "nginx"): Promise<ToyPair> {
  const remote = await testRemote(kind);
  const url = remote.server ? remote.server.url : `file://${remote.dir}`;
  const keys = await Deno.makeTempDir({ prefix: "psinv-keys-" });
  const made: Clone[] = [];
  const ids: string[] = [];
  for (const name of ["a", "b"]) {
    const r = await loadOrCreateSigningKey(`${keys}/${name}.json`);
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    ids.push(r.value.key.id);
  }
  const trusted = JSON.stringify({ keys: ids.map((key, i) => ({ key, name: `clone${i}` })) });
  const clone = async (keyFile: string, key: string): Promise<Clone> => {
    const project = await toyProject();
    await Deno.writeTextFile(`${project.root}/trusted_keys.json`, trusted);
    const c: Clone = {
      project,
      key,
      keyFile,
      run: (...args) => c.runWith({}, ...args),
      runWith: (opts, ...args) =>
        project.runWith({
          env: { PSINV_SIGNING_KEY: keyFile, ...opts.env },
          ...(opts.pipeline ? { pipeline: opts.pipeline } : {}),
          ...(opts.wrap
            ? { remoteTransport: (l: RemoteLocation) => opts.wrap!(defaultTransport(l), l) }
            : {}),
        }, ...args),
    };
    made.push(c);
    return c;
  };
  const a = await clone(`${keys}/a.json`, ids[0]!);
  const b = await clone(`${keys}/b.json`, ids[1]!);
  return {
    a,
    b,
    remote,
    url,
    clone: () => clone(`${keys}/b.json`, ids[1]!),
    async dispose() {
      for (const c of made) await c.project.dispose();
      await remote.dispose();
      await Deno.remove(keys, { recursive: true });
    },
  };
}

/** Runs `fn` with a fresh pair of clones and remote of `kind`, disposed of after. */
export async function withToyPair(
  kind: "file" | "nginx",
  fn: (p: ToyPair) => Promise<void>,
): Promise<void> {
  const p = await toyPair(kind);
  try {
    await fn(p);
  } finally {
    await p.dispose();
  }
}

/** The transport the CLI would make, so wrappers can delegate to it. */
function defaultTransport(l: RemoteLocation): Transport {
  return l.kind === "file"
    ? fileTransport(l.dir)
    : httpTransport({ base: l.base, url: l.url, retryDelaysMs: [] });
}

/** Lines of `text` that contain `part`. */
export function linesWith(text: string, part: string): string[] {
  return text.split("\n").filter((l) => l.includes(part));
}
