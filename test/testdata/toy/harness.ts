/**
 * A toy project in a temporary folder, with helpers to run the CLI in this process and to count
 * how often each toy stage really executed.
 *
 * @module
 */
import { main, type MainOptions } from "../../../pipeline/cli/cli.ts";
import {
  artifactsDir,
  provenanceFile,
  provenanceScriptFile,
  runReportFile,
  timelineSvgFile,
} from "../../../pipeline/core/layout.ts";
import type { Pipeline } from "../../../pipeline/core/stage.ts";
import { toy, type ToyParams } from "./pipeline.ts";

/** What one in-process CLI run produced. */
export interface RunResult {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** A toy project on disk. */
export interface ToyProject {
  readonly root: string;
  /** Runs the CLI in this process with `args`. */
  run(...args: string[]): Promise<RunResult>;
  /**
   * Runs the CLI in this process with `args`, an environment, a remote transport, and another
   * pipeline over the toy's stages (e.g. one with a decide hook).
   */
  runWith(
    opts: {
      readonly env?: Record<string, string>;
      readonly remoteTransport?: MainOptions["remoteTransport"];
      readonly pipeline?: Pipeline<ToyParams>;
    },
    ...args: string[]
  ): Promise<RunResult>;
  /** Lines of the counter file (one per stage execution), optionally only those of `name`. */
  executions(name?: string): Promise<string[]>;
  /** Forgets the executions counted so far. */
  resetCount(): Promise<void>;
  /** Parsed `artifacts/run.json`. */
  report(): Promise<
    {
      stages: {
        id: string;
        status: string;
        key: string | null;
        started: string;
        finished: string;
      }[];
    }
  >;
  /** Edits params.json in place. */
  editParams(change: (doc: Record<string, unknown>) => void): Promise<void>;
  /** Files under `artifacts/` (but the run report, timeline and provenance, which hold times). */
  artifacts(): Promise<Record<string, string>>;
  /** Stage id → status in the last run report. */
  statuses(): Promise<Record<string, string>>;
  dispose(): Promise<void>;
  /** The same as `dispose`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/** Another pipeline than the toy's, and its parameters (written as the project's params.json). */
export interface ToyOptions<P> {
  readonly pipeline: Pipeline<P>;
  readonly params: unknown;
}

const HERE = new URL(".", import.meta.url).pathname;

/**
 * Creates a toy project (params.json copied in), or one of another pipeline; its stages count
 * their runs in `count.txt`.
 */
export async function toyProject<P>(other?: ToyOptions<P>): Promise<ToyProject> {
  const root = await Deno.makeTempDir({ prefix: "psinv-toy-" });
  if (other) await Deno.writeTextFile(`${root}/params.json`, JSON.stringify(other.params));
  else await Deno.copyFile(`${HERE}/params.json`, `${root}/params.json`);
  const counter = `${root}/count.txt`;
  const project: ToyProject = {
    root,
    run: (...args) => project.runWith({}, ...args),
    async runWith(opts, ...args) {
      let out = "", err = "";
      const options: MainOptions = {
        root,
        out: (t) => (out += t),
        err: (t) => (err += t),
        terminal: false,
        env: (name) => opts.env?.[name],
        ...(opts.remoteTransport ? { remoteTransport: opts.remoteTransport } : {}),
      };
      const code = opts.pipeline
        ? await main(args, opts.pipeline, options)
        : other
        ? await main(args, other.pipeline, options)
        : await main(args, toy, options);
      return { code, out, err };
    },
    async executions(name) {
      let text = "";
      try {
        text = await Deno.readTextFile(counter);
      } catch (e) {
        if (!(e instanceof Deno.errors.NotFound)) throw e;
      }
      const lines = text.split("\n").filter((l) => l !== "");
      return name === undefined ? lines : lines.filter((l) => l.startsWith(`${name} `));
    },
    async resetCount() {
      await Deno.remove(counter).catch(() => {});
    },
    async report() {
      return JSON.parse(await Deno.readTextFile(runReportFile(artifactsDir(root))));
    },
    async editParams(change) {
      const doc = JSON.parse(await Deno.readTextFile(`${root}/params.json`));
      change(doc);
      await Deno.writeTextFile(`${root}/params.json`, JSON.stringify(doc, null, 2));
    },
    artifacts: () => artifactsOf(root),
    async statuses() {
      const r = await project.report();
      return Object.fromEntries(r.stages.map((s) => [s.id, s.status]));
    },
    async dispose() {
      await Deno.remove(root, { recursive: true });
    },
    [Symbol.asyncDispose]: () => project.dispose(),
  };
  return project;
}

async function artifactsOf(root: string, dir = ""): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for await (const e of Deno.readDir(`${artifactsDir(root)}/${dir}`)) {
    const rel = dir === "" ? e.name : `${dir}/${e.name}`;
    if (e.isDirectory) Object.assign(out, await artifactsOf(root, rel));
    else if (
      ![runReportFile(""), timelineSvgFile(""), provenanceFile(""), provenanceScriptFile("")]
        .includes(rel)
    ) {
      out[rel] = await Deno.readTextFile(`${artifactsDir(root)}/${rel}`);
    }
  }
  return out;
}
