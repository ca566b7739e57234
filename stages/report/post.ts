/**
 * The `post` stage: the example post (`example_post.ts`) rendered with this reproduction's
 * numbers into `post.md` (Markdown, figure links relative to `artifacts/`) and `post.html` (the
 * same, readable from `file://`). Its inputs are the files its references read, so a new number
 * anywhere re-renders it. A reference to nothing (a configuration removed from `params.json`) is
 * written as a visible "missing" marker rather than failing the run; `deno task publish --post`
 * refuses it instead.
 *
 * @module
 */
import { join } from "node:path";
import { marked } from "marked";
import { type StageContext } from "../../pipeline/core/stage.ts";
import { stageError } from "../stage_codes.ts";
import { inputDir } from "../figures/figure_inputs.ts";
import { readStats } from "../figures/summary_inputs.ts";
import type { SearchParams } from "../search_schema.ts";
import type { ConfigParams, DataParams, SweepParams, TrainingParams } from "../params_schema.ts";
import { EXAMPLE_POST } from "./example_post.ts";
import { readClaims, readMetrics } from "./report.ts";
import { allFigures, figureList } from "./figure_list.ts";
import { escapeHtml } from "./metrics_table.ts";
import { type PostSources, renderPost, unknownReferenceMessage } from "./post_refs.ts";

/** The parameters `post` reads (see stages/pipeline.ts): those its references may name. */
export interface PostParams {
  readonly configs: Readonly<Record<string, ConfigParams>>;
  readonly sweeps: Readonly<Record<string, SweepParams>>;
  readonly data: DataParams;
  readonly training: TrainingParams;
  readonly replicates: Readonly<Record<string, number>>;
  readonly statistics: Readonly<Record<string, number>>;
  readonly searches: Readonly<Record<string, SearchParams>>;
}

/** Every dotted path to a leaf (a number, string or boolean) of `doc`. */
export function leafPaths(doc: unknown, prefix = ""): string[] {
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
    return prefix === "" ? [] : [prefix];
  }
  return Object.entries(doc).flatMap(([k, v]) =>
    leafPaths(v, prefix === "" ? k : `${prefix}.${k}`)
  );
}

/** The value at a dotted path of `doc`, or undefined. */
export function valueAt(doc: unknown, path: string): unknown {
  let at: unknown = doc;
  for (const part of path.split(".")) {
    if (typeof at !== "object" || at === null || !Object.hasOwn(at, part)) return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return at;
}

/**
 * A rendered post as a standalone page (style inline, no script), its title from the first
 * heading.
 *
 * @example
 * ```ts
 * import { postHtml } from "./post.ts";
 * postHtml("# Hello\n\nworld").includes("<title>Hello</title>"); // true
 * ```
 */
export function postHtml(markdown: string): string {
  const title = /^#\s+(.+)$/m.exec(markdown)?.[1] ?? "Post";
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    "<style>body { font-family: Helvetica, Arial, sans-serif; color: #222; max-width: 760px; " +
    "margin: 0 auto; padding: 24px 32px 64px; line-height: 1.5; } img { max-width: 100%; } " +
    'a[href^="#psinv-value-"] { color: inherit; text-decoration: underline dotted #888; } ' +
    "ol { font-size: 0.85em; " +
    "color: #555; }</style>",
    "</head>",
    "<body>",
    marked.parse(markdown, { async: false }),
    "</body>",
    "</html>",
    "",
  ].join("\n");
}

/** Renders the example post from the claims, statistics and metrics of this reproduction. */
export async function run(ctx: StageContext<PostParams>): Promise<void> {
  const [claims, stats, metrics] = await Promise.all([
    readClaims(inputDir(ctx.inputs, "claims")),
    readStats(inputDir(ctx.inputs, "stats")),
    readMetrics(inputDir(ctx.inputs, "metrics")),
  ]);
  const sources: PostSources = {
    claims,
    stats,
    metrics,
    figures: allFigures(
      figureList(ctx.params.configs, {
        sweeps: ctx.params.sweeps,
        layers: ctx.params.training.layers,
        activation: ctx.params.training.activation,
        searches: ctx.params.searches,
      }),
    ).map((f) => f.path),
    param: (path) => valueAt(ctx.params, path),
    paramPaths: leafPaths(ctx.params),
  };
  const rendered = renderPost(EXAMPLE_POST, sources, {
    missing: "mark",
    figureLink: (path) => path,
    note: (v) =>
      v.source.file === "params"
        ? `the parameter ${v.source.cell} of this reproduction`
        : `${v.source.file}, ${v.source.cell} (\`deno task why ${v.source.file}\`)`,
  });
  if (!rendered.ok) {
    const message = unknownReferenceMessage("example_post.ts", rendered.error);
    throw stageError("post-reference", message, "fix the reference in the post");
  }
  await Deno.writeTextFile(join(ctx.outDir, "post.md"), rendered.value.markdown);
  await Deno.writeTextFile(join(ctx.outDir, "post.html"), postHtml(rendered.value.markdown));
}
