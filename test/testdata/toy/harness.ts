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
} from "../../../pipeline/core/layout.ts";
import { toy, type ToyParams } from "./pipeline.ts";
import type { Pipeline } from "../../../pipeline/core/stage.ts";

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
  /** Files under `artifacts/` (but the run report and provenance, which hold times). */
  artifacts(): Promise<Record<string, string>>;
  /** Stage id → status in the last run report. */
  statuses(): Promise<Record<string, string>>;
  dispose(): Promise<void>;
}

const HERE = new URL(".", import.meta.url).pathname;

/** Creates a toy project (params.json copied in); its stages count their runs in `count.txt`. */
export async function toyProject(): Promise<ToyProject> {
  const root = await Deno.makeTempDir({ prefix: "psinv-toy-" });
  await Deno.copyFile(`${HERE}/params.json`, `${root}/params.json`);
  const counter = `${root}/count.txt`;
  const project: ToyProject = {
    root,
    run: (...args) => project.runWith({}, ...args),
    async runWith(opts, ...args) {
      let out = "", err = "";
      const code = await main(args, opts.pipeline ?? toy, {
        root,
        out: (t) => (out += t),
        err: (t) => (err += t),
        terminal: false,
        env: (name) => opts.env?.[name],
        ...(opts.remoteTransport ? { remoteTransport: opts.remoteTransport } : {}),
      });
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
  };
  return project;
}

async function artifactsOf(root: string, dir = ""): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for await (const e of Deno.readDir(`${artifactsDir(root)}/${dir}`)) {
    const rel = dir === "" ? e.name : `${dir}/${e.name}`;
    if (e.isDirectory) Object.assign(out, await artifactsOf(root, rel));
    else if (![runReportFile(""), provenanceFile(""), provenanceScriptFile("")].includes(rel)) {
      out[rel] = await Deno.readTextFile(`${artifactsDir(root)}/${rel}`);
    }
  }
  return out;
}
