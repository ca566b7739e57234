/**
 * `deno task publish --to <dir>`: copies the figures from `artifacts/` to `<dir>` under stable,
 * flat names (`data.svg`, `lam1-fit.svg`, …) with `metrics.md` and `claims.md`, and writes
 * `<dir>/figures.md`, the Markdown image links in the post's order. It reads only `artifacts/`
 * (the figure list `figures/figures.json` written by the `report` stage), never the store.
 * With `--post <file.md>` it renders that post instead (`publish_post.ts`).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { z } from "zod";
import { err, ok, type Result } from "../../pipeline/core/result.ts";
import type { FigureList } from "./figure_list.ts";
import { figuresMarkdown } from "./figures_markdown.ts";
import { type PostFailure, type PublishedPost, publishPost } from "./publish_post.ts";
import { unknownReferenceMessage } from "./post_refs.ts";

/** Why publishing failed; `usage` problems exit with status 2, the others with 1. */
export type PublishFailure =
  | { readonly reason: "usage"; readonly detail: string }
  | { readonly reason: "target-inside"; readonly target: string; readonly inside: string }
  | { readonly reason: "not-reproduced"; readonly file: string }
  | { readonly reason: "list-invalid"; readonly file: string; readonly detail: string }
  | { readonly reason: "copy-failed"; readonly file: string; readonly detail: string }
  | PostFailure;

/** What a publish wrote. */
export interface Published {
  readonly dir: string;
  /** Figure files written, in the post's order. */
  readonly figures: readonly string[];
  /** With `post`: the rendered post. */
  readonly post?: PublishedPost;
}

/** Where to publish from and to. */
export interface PublishOptions {
  /** Project root: holds `artifacts/` and the store `.psinv/`. */
  readonly root: string;
  /** Target folder (absolute, or relative to `cwd`). */
  readonly to: string;
  /** Folder `to` is relative to. */
  readonly cwd: string;
  /** Prefix of the image links in `figures.md` (e.g. `/assets/psinv/`); empty by default. */
  readonly base?: string;
  /** A Markdown post to render (relative to `cwd`) instead of publishing every figure. */
  readonly post?: string;
}

const USAGE = "usage: deno task publish --to <dir> [--base <link prefix>] [--post <file.md>]";

/** A flat file name: what `figures.json` may ask us to write into the target. */
const fileName = z.string().regex(/^[A-Za-z0-9_.-]+$/).refine((s) => !s.startsWith("."));
/** A path inside `artifacts/`: relative, no `..`. */
const artifactPath = z.string().min(1).refine(
  (p) => !isAbsolute(p) && !p.split(/[\\/]/).includes(".."),
  "a relative path inside artifacts/",
);
const figureListSchema = z.object({
  sections: z.array(z.object({
    title: z.string(),
    parts: z.array(z.object({
      config: z.string().optional(),
      label: z.string().optional(),
      intro: z.string().optional(),
      figures: z.array(z.object({
        path: artifactPath,
        name: fileName,
        caption: z.string(),
        alt: z.string(),
      })),
    })),
  })),
});

function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${"/"}`) && !isAbsolute(rel));
}

/** The real path of `path`, following symlinks of the part that exists. */
async function realTarget(path: string): Promise<string> {
  const missing: string[] = [];
  let existing = path;
  for (;;) {
    try {
      return join(await Deno.realPath(existing), ...missing.reverse());
    } catch {
      const parent = dirname(existing);
      if (parent === existing) return path;
      missing.push(existing.slice(parent.length).replace(/^[\\/]/, ""));
      existing = parent;
    }
  }
}

/**
 * Publishes the figures of `artifacts/` to `options.to`.
 *
 * @example
 * ```ts
 * import { publish } from "./publish.ts";
 * const root = await Deno.makeTempDir();
 * const result = await publish({ root, to: `${root}/artifacts/out`, cwd: root });
 * result.ok; // false: the target is inside artifacts/
 * ```
 */
export async function publish(options: PublishOptions): Promise<Result<Published, PublishFailure>> {
  const target = resolve(options.cwd, options.to);
  const real = await realTarget(target);
  for (const forbidden of ["artifacts", ".psinv"]) {
    const dir = resolve(options.root, forbidden);
    if (isInside(target, dir) || isInside(real, await realTarget(dir))) {
      return err({ reason: "target-inside", target: options.to, inside: `${forbidden}/` });
    }
  }
  const artifacts = resolve(options.root, "artifacts");
  const listFile = join(artifacts, "figures", "figures.json");
  let text: string;
  try {
    text = await Deno.readTextFile(listFile);
  } catch {
    return err({ reason: "not-reproduced", file: "artifacts/figures/figures.json" });
  }
  let list: FigureList;
  try {
    const parsed = figureListSchema.safeParse(JSON.parse(text));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return err({
        reason: "list-invalid",
        file: "artifacts/figures/figures.json",
        detail: `${issue?.path.map(String).join(".") ?? ""}: ${issue?.message ?? "invalid"}`,
      });
    }
    list = parsed.data;
  } catch (e) {
    return err({
      reason: "list-invalid",
      file: "artifacts/figures/figures.json",
      detail: e instanceof Error ? e.message : String(e),
    });
  }
  if (options.post !== undefined) {
    const post = await publishPost({
      artifacts,
      post: resolve(options.cwd, options.post),
      target,
      base: options.base ?? "",
      list,
    });
    return post.ok ? ok({ dir: target, figures: [], post: post.value }) : post;
  }
  const figures = list.sections.flatMap((s) => s.parts.flatMap((p) => p.figures));
  const copies = [
    ...figures.map((f) => ({ from: f.path, name: f.name })),
    { from: "figures/metrics.md", name: "metrics.md" },
    { from: "figures/claims.md", name: "claims.md" },
  ];
  await Deno.mkdir(target, { recursive: true });
  for (const copy of copies) {
    try {
      await Deno.copyFile(join(artifacts, copy.from), join(target, copy.name));
    } catch (e) {
      return err({
        reason: "copy-failed",
        file: `artifacts/${copy.from}`,
        detail: e instanceof Deno.errors.NotFound ? "not found" : String(e),
      });
    }
  }
  await Deno.writeTextFile(join(target, "figures.md"), figuresMarkdown(list, options.base ?? ""));
  return ok({ dir: target, figures: figures.map((f) => f.name) });
}

/**
 * The one line telling the user what went wrong and what to do.
 *
 * @example
 * ```ts
 * import { failureMessage } from "./publish.ts";
 * failureMessage({ reason: "target-inside", target: "artifacts/x", inside: "artifacts/" });
 * // 'Cannot publish to "artifacts/x": it is inside artifacts/, which the pipeline rewrites; choose a folder outside it'
 * ```
 */
export function failureMessage(failure: PublishFailure): string {
  switch (failure.reason) {
    case "usage":
      return `${failure.detail} (${USAGE})`;
    case "target-inside":
      return `Cannot publish to "${failure.target}": it is inside ${failure.inside}, which the ` +
        "pipeline rewrites; choose a folder outside it";
    case "not-reproduced":
      return `Cannot publish: "${failure.file}" not found; run \`deno task reproduce\` first`;
    case "list-invalid":
      return `Cannot publish: "${failure.file}" is malformed: ${failure.detail}; run ` +
        "`deno task reproduce` again";
    case "copy-failed":
      return `Cannot publish: cannot copy "${failure.file}": ${failure.detail}; run ` +
        "`deno task reproduce` first";
    case "post-unreadable":
      return `Cannot read the post "${failure.file}": ${failure.detail}`;
    case "post-reference":
      return unknownReferenceMessage(failure.file, failure.error);
    case "sources-missing":
      return `Cannot publish the post: ${failure.detail}; run \`deno task reproduce\` first`;
  }
}

/** Where `main` writes its output; the console by default. */
export interface Console {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

/**
 * The command line: parses `args`, publishes, prints one line, returns the exit status (0 done,
 * 1 failed, 2 bad usage or forbidden target).
 */
export async function main(
  args: readonly string[],
  { root, cwd = Deno.cwd(), console: io = { out: console.log, err: console.error } }: {
    root: string;
    cwd?: string;
    console?: Console;
  },
): Promise<number> {
  let values: {
    to?: string | undefined;
    base?: string | undefined;
    post?: string | undefined;
    help?: boolean | undefined;
  };
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        to: { type: "string" },
        base: { type: "string" },
        post: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    const detail = e instanceof Error ? e.message.split("\n")[0] ?? "" : String(e);
    io.err(failureMessage({ reason: "usage", detail: `Bad arguments: ${detail}` }));
    return 2;
  }
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  if (values.to === undefined || values.to === "") {
    io.err(failureMessage({ reason: "usage", detail: "Missing --to <dir>" }));
    return 2;
  }
  const result = await publish({
    root,
    to: values.to,
    cwd,
    ...(values.base === undefined ? {} : { base: values.base }),
    ...(values.post === undefined ? {} : { post: values.post }),
  });
  if (!result.ok) {
    io.err(failureMessage(result.error));
    const bad = ["usage", "target-inside", "post-unreadable", "post-reference"];
    return bad.includes(result.error.reason) ? 2 : 1;
  }
  if (result.value.post !== undefined) {
    const p = result.value.post;
    io.out(`Rendered ${p.file} (and .html) with ${p.values} values and ${p.figures} figures`);
    return 0;
  }
  io.out(
    `Published ${result.value.figures.length} figures, metrics.md, claims.md and figures.md to ` +
      `${result.value.dir}`,
  );
  return 0;
}

if (import.meta.main) {
  // `deno task` runs in the project root; INIT_CWD is where the user typed the command, so a
  // relative --to means what they expect.
  Deno.exit(
    await main(Deno.args, {
      root: new URL("../..", import.meta.url).pathname,
      cwd: Deno.env.get("INIT_CWD") ?? Deno.cwd(),
    }),
  );
}
