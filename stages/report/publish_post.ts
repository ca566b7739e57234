/**
 * `deno task publish --post <file.md> --to <dir>`: renders a Markdown post whose numbers and
 * figures are references into `artifacts/` (syntax in `post_refs.ts`): writes `<dir>/<name>.md`
 * and `<dir>/<name>.html` with every value filled in and a note per value naming its file, cell,
 * and the stage and key that made it (from `artifacts/provenance.json`), and copies the figures it
 * shows under their stable names. Parameters are those the results were computed with, as the
 * provenance record keeps them. Reads only `artifacts/`, never the store.
 *
 * @module
 */
import { basename, extname, join } from "node:path";
import type { ProvenanceRecord } from "../../pipeline/core/provenance.ts";
import { err, ok, type Result } from "../../pipeline/core/result.ts";
import { readStats } from "../figures/summary_inputs.ts";
import { allFigures, type FigureList } from "./figure_list.ts";
import { leafPaths, postHtml, valueAt } from "./post.ts";
import { readClaims, readMetrics } from "./report.ts";
import { type PostValue, renderPost, type UnknownReference } from "./post_refs.ts";

/** Why a post could not be published (all exit with status 2 but `sources-missing`). */
export type PostFailure =
  | { readonly reason: "post-unreadable"; readonly file: string; readonly detail: string }
  | { readonly reason: "post-reference"; readonly file: string; readonly error: UnknownReference }
  | { readonly reason: "sources-missing"; readonly detail: string };

/** What {@linkcode publishPost} wrote. */
export interface PublishedPost {
  /** The Markdown file written. */
  readonly file: string;
  readonly values: number;
  readonly figures: number;
}

/** Options of {@linkcode publishPost}. */
export interface PublishPostOptions {
  /** `artifacts/` of the project. */
  readonly artifacts: string;
  /** The post's Markdown file. */
  readonly post: string;
  /** The folder to write into (already checked to be outside `artifacts/` and the store). */
  readonly target: string;
  /** Prefix of the figure links (e.g. `/assets/psinv/`). */
  readonly base: string;
  /** The figure list of `artifacts/` (`figures/figures.json`). */
  readonly list: FigureList;
}

/**
 * The value of a parameter as the results were computed with it: the first stage of the record
 * whose declared parameters hold that path (or an object containing it).
 */
function recordedParam(record: ProvenanceRecord | undefined, path: string): unknown {
  for (const stage of Object.values(record?.stages ?? {})) {
    for (const [declared, value] of Object.entries(stage.params)) {
      if (path === declared) return value;
      if (path.startsWith(`${declared}.`)) {
        const v = valueAt(value, path.slice(declared.length + 1));
        if (v !== undefined) return v;
      }
    }
  }
  return undefined;
}

/** Renders the post against `artifacts/` into the target folder. */
export async function publishPost(
  opts: PublishPostOptions,
): Promise<Result<PublishedPost, PostFailure>> {
  let text: string;
  try {
    text = await Deno.readTextFile(opts.post);
  } catch (e) {
    return err({
      reason: "post-unreadable",
      file: opts.post,
      detail: e instanceof Deno.errors.NotFound ? "no such file" : String(e),
    });
  }
  let record: ProvenanceRecord | undefined;
  try {
    record = JSON.parse(await Deno.readTextFile(join(opts.artifacts, "provenance.json")));
  } catch {
    record = undefined; // Values then carry their file and cell, without a key.
  }
  let claims, stats, metrics;
  try {
    [claims, stats, metrics] = await Promise.all([
      readClaims(opts.artifacts),
      readStats(opts.artifacts),
      readMetrics(opts.artifacts),
    ]);
  } catch (e) {
    return err({ reason: "sources-missing", detail: e instanceof Error ? e.message : String(e) });
  }
  const figures = allFigures(opts.list);
  const nameOf = new Map(figures.map((f) => [f.path, f.name]));
  const paramPaths = [
    ...new Set(
      Object.values(record?.stages ?? {}).flatMap((s) =>
        Object.entries(s.params).flatMap(([p, v]) => leafPaths(v, p))
      ),
    ),
  ];
  const producer = (file: string) => {
    const a = record?.artifacts[file];
    const s = a && record?.stages[a.stage];
    return a && s ? `; stage ${a.stage}, key ${s.key.slice(0, 12)}, ${s.started}` : "";
  };
  const note = (v: PostValue) =>
    v.source.file === "params"
      ? `the parameter ${v.source.cell}, as recorded in provenance.json`
      : `${v.source.file}, ${v.source.cell}${producer(v.source.file)}`;
  const rendered = renderPost(
    text,
    {
      claims,
      stats,
      metrics,
      figures: figures.map((f) => f.path),
      param: (path) => recordedParam(record, path),
      paramPaths,
    },
    { figureLink: (path) => `${opts.base}${nameOf.get(path)}`, note },
  );
  if (!rendered.ok) {
    return err({ reason: "post-reference", file: opts.post, error: rendered.error });
  }
  await Deno.mkdir(opts.target, { recursive: true });
  for (const path of rendered.value.figures) {
    await Deno.copyFile(join(opts.artifacts, path), join(opts.target, nameOf.get(path)!));
  }
  const name = basename(opts.post, extname(opts.post));
  const file = join(opts.target, `${name}.md`);
  await Deno.writeTextFile(file, rendered.value.markdown);
  await Deno.writeTextFile(join(opts.target, `${name}.html`), postHtml(rendered.value.markdown));
  return ok({
    file,
    values: rendered.value.values.length,
    figures: rendered.value.figures.length,
  });
}
