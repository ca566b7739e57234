/**
 * A post that cannot go stale: Markdown whose numbers and figures are references into the
 * reproduced results, filled in at render time.
 *
 * - `{{claims.<claim id>.<field>}}` — `estimate`, `ci` (`[low, high]`), `ci_low`, `ci_high`,
 *   `verdict`, `n`, `claim`; and `{{claims.seeds}}`, `{{claims.draws}}`, `{{claims.runs}}`,
 *   `{{claims.flipped}}` (how many runs came out flipped).
 * - `{{stats.<row id>.<metric>.<column>}}` — a cell of `stats.csv`: `mean`, `median`, `std`,
 *   `ci_low`, `ci_high`, `ci`, `n` (row ids may hold `/` and `.`, as `grid/l0.1-m10-relu`).
 * - `{{metrics.<config>.<column>}}` — a cell of `metrics.csv` (the post's runs, seed 0, draw 0).
 * - `{{params.<dotted path>}}` — a parameter the results were computed with.
 * - `![alt](psinv:<figure path>)` — a figure of the figure list, e.g. `figures/lam1/fit.svg`.
 *
 * Numbers are written with 3 significant digits, as everywhere in the report. Each value gets a
 * numbered note saying where it came from; a reference that does not exist is an error naming
 * the nearest one that does.
 *
 * @module
 */
import { editDistance } from "../../pipeline/core/render_failure.ts";
import type { ClaimsFile } from "../claims/claims_format.ts";
import { flipText, intervalText } from "../claims/claims_markdown.ts";
import { formatNumber } from "../stats/number_format.ts";
import type { StatsRow } from "../stats/stats_format.ts";
import { METRICS_COLUMNS, type MetricsRow } from "../stats/summary_format.ts";

/** What references resolve against. */
export interface PostSources {
  readonly claims: ClaimsFile;
  readonly stats: readonly StatsRow[];
  readonly metrics: readonly MetricsRow[];
  /** Paths of the figures (relative to `artifacts/`). */
  readonly figures: readonly string[];
  /** Parameter values by dotted path; undefined for a path that does not exist. */
  readonly param: (path: string) => unknown;
  /** Every parameter path a reference may name (for suggestions). */
  readonly paramPaths: readonly string[];
}

/** Where a value came from: the file and cell, for the value's note. */
export interface ValueSource {
  /** File under `artifacts/` (`stats.csv`, `claims.json`, …; `params` for a parameter). */
  readonly file: string;
  /** The cell, in words: `row lam1, metric fit, column mean`. */
  readonly cell: string;
}

/** One filled-in value of a rendered post. */
export interface PostValue {
  /** The reference as written, without braces. */
  readonly ref: string;
  readonly text: string;
  readonly source: ValueSource;
}

/** A reference that names nothing, with where it is and the nearest valid one. */
export interface UnknownReference {
  readonly reason: "unknown-reference";
  readonly ref: string;
  readonly line: number;
  readonly column: number;
  readonly nearest: string | undefined;
}

/** A rendered post: the Markdown with values and figure links filled in, and its values. */
export interface RenderedPost {
  readonly markdown: string;
  /** References that named nothing, when rendered with `missing: "mark"`. */
  readonly missing: readonly UnknownReference[];
  /** Distinct values in order of first use; note n is `values[n - 1]`. */
  readonly values: readonly PostValue[];
  /** Figure paths the post shows, in order of first use. */
  readonly figures: readonly string[];
}

/** Options of {@linkcode renderPost}. */
export interface RenderOptions {
  /** The link a figure path becomes (e.g. the path itself, or a published file name). */
  readonly figureLink: (path: string) => string;
  /** The note of a value (e.g. its file and cell, plus its stage key when known). */
  readonly note: (v: PostValue) => string;
  /**
   * What a reference to nothing does: `fail` (the default) makes it the error; `mark` writes it
   * as a visible "missing" marker and lists it in `missing` (for a post rendered as a stage, so
   * that trimming the configurations does not fail a whole run).
   */
  readonly missing?: "fail" | "mark";
}

const STATS_COLUMNS = [
  "mean",
  "median",
  "std",
  "ci_low",
  "ci_high",
  "ci",
  "n",
  "flipped",
  "flipped_ci",
] as const;
const CLAIM_FIELDS = [
  "estimate",
  "ci",
  "ci_low",
  "ci_high",
  "verdict",
  "n",
  "claim",
  "level",
  "flips",
] as const;
const CLAIM_TOTALS = ["seeds", "draws", "runs", "flipped"] as const;

/** A value as link text: brackets and backslashes escaped, so `[0.49, 0.51]` stays text. */
function escapeLinkText(text: string): string {
  return text.replace(/[\\[\]]/g, (c) => `\\${c}`);
}

/** Resolves one reference (without braces); undefined when it names nothing. */
export function resolveRef(ref: string, s: PostSources): PostValue | undefined {
  const [space, ...rest] = ref.split(".");
  const tail = rest.join(".");
  const value = (text: string, file: string, cell: string): PostValue => ({
    ref,
    text,
    source: { file, cell },
  });
  if (space === "claims") {
    if ((CLAIM_TOTALS as readonly string[]).includes(tail)) {
      const n = tail === "flipped" ? s.claims.flipped.length : s.claims[tail as "runs"];
      return value(String(n), "claims.json", tail);
    }
    const field = rest.at(-1)!;
    const claim = s.claims.claims.find((c) => c.id === rest.slice(0, -1).join("."));
    if (claim === undefined || !(CLAIM_FIELDS as readonly string[]).includes(field)) return;
    const text = field === "estimate"
      ? formatNumber(claim.estimate)
      : field === "ci"
      ? intervalText(claim.ci)
      : field === "ci_low" || field === "ci_high"
      ? formatNumber(claim.ci?.[field === "ci_low" ? 0 : 1] ?? null)
      : field === "level"
      ? `${Number((100 * claim.level).toPrecision(6))} %`
      : field === "flips"
      ? (claim.flips === undefined ? "none measured" : flipText(claim.flips, s.claims.confidence))
      : String(claim[field as "verdict" | "n" | "claim"]);
    return value(text, "claims.json", `claim ${claim.id}, ${field}`);
  }
  if (space === "stats" && rest.length >= 3) {
    const [metric, column] = rest.slice(-2) as [string, string];
    const id = rest.slice(0, -2).join(".");
    const row = s.stats.find((r) => r.id === id && r.metric === metric);
    if (row === undefined || !(STATS_COLUMNS as readonly string[]).includes(column)) return;
    const text = column === "ci"
      ? intervalText([row.ci_low, row.ci_high])
      : column === "flipped_ci"
      ? intervalText([row.flipped_ci_low, row.flipped_ci_high])
      : column === "n"
      ? String(row.n)
      : formatNumber(row[column as "mean"]);
    return value(text, "stats.csv", `row ${id}, metric ${metric}, column ${column}`);
  }
  if (space === "metrics" && rest.length >= 2) {
    const column = rest.at(-1)!;
    const config = rest.slice(0, -1).join(".");
    const row = s.metrics.find((r) => r.config === config);
    if (row === undefined || !(METRICS_COLUMNS as readonly string[]).includes(column)) return;
    const v = row[column as keyof MetricsRow];
    const text = typeof v === "number" ? formatNumber(v) : String(v);
    return value(text, "metrics.csv", `row ${config}, column ${column}`);
  }
  if (space === "params" && tail !== "") {
    const v = s.param(tail);
    // A list of plain values (hidden widths) reads as written: [30, 30].
    if (Array.isArray(v) && v.every((x) => typeof x !== "object")) {
      return value(`[${v.join(", ")}]`, "params", tail);
    }
    if (v === undefined || (typeof v === "object" && v !== null)) return;
    return value(String(v), "params", tail);
  }
  return undefined;
}

/** Every reference the sources answer, for suggestions. */
export function validRefs(s: PostSources): string[] {
  return [
    ...CLAIM_TOTALS.map((t) => `claims.${t}`),
    ...s.claims.claims.flatMap((c) => CLAIM_FIELDS.map((f) => `claims.${c.id}.${f}`)),
    ...s.stats.flatMap((r) => STATS_COLUMNS.map((c) => `stats.${r.id}.${r.metric}.${c}`)),
    ...s.metrics.flatMap((r) =>
      METRICS_COLUMNS.filter((c) => c !== "config").map((c) => `metrics.${r.config}.${c}`)
    ),
    ...s.paramPaths.map((p) => `params.${p}`),
  ];
}

const VALUE = /\{\{\s*([^{}]*?)\s*\}\}/g;
/** A figure: `![alt](psinv:figures/…)`, or the plain `![alt](figures/…)`, which means the same. */
const FIGURE = /!\[([^\]]*)\]\((psinv:)?((?:figures\/)?[^)\s]+)\)/g;

/**
 * Fills in a post's references; the first one that names nothing is the error.
 *
 * @example
 * ```ts
 * import { renderPost } from "./post_refs.ts";
 * const sources = {
 *   claims: { confidence: 0.95, resamples: 1, seed: 0, seeds: 5, draws: 3, minRuns: 15,
 *     fewestRuns: 10, maxSeeds: 40, claims: [], flipped: [], runs: 15 },
 *   stats: [], metrics: [], figures: ["figures/data.svg"], param: () => undefined, paramPaths: [],
 * };
 * const r = renderPost("![d](psinv:figures/data.svg) {{claims.seeds}} seeds", sources, {
 *   figureLink: (p) => p, note: (v) => v.source.file,
 * });
 * r.ok && r.value.markdown.split("\n")[0];
 * // '![d](figures/data.svg) [5](#psinv-value-1 "note 1: claims.json, seeds") seeds'
 * ```
 */
export function renderPost(
  text: string,
  sources: PostSources,
  opts: RenderOptions,
): { ok: true; value: RenderedPost } | { ok: false; error: UnknownReference } {
  const values: PostValue[] = [];
  const figures: string[] = [];
  const known = new Set(sources.figures);
  let error: UnknownReference | undefined;
  const missing: UnknownReference[] = [];
  const fail = (ref: string, offset: number, candidates: () => readonly string[]): string => {
    const before = text.slice(0, offset).split("\n");
    const e: UnknownReference = {
      reason: "unknown-reference",
      ref,
      line: before.length,
      column: before.at(-1)!.length + 1,
      nearest: nearest(ref.replace(/^psinv:/, ""), candidates()),
    };
    if (opts.missing === "mark") {
      missing.push(e);
      return `**[missing: ${ref}]**`;
    }
    error ??= e;
    return "";
  };
  const withFigures = text.replace(FIGURE, (...m) => {
    const [whole, alt, psinv, path, offset] = m as [
      string,
      string,
      string | undefined,
      string,
      number,
    ];
    // Other images (not psinv:, not under figures/) are the author's own: left as they are.
    if (psinv === undefined && !path.startsWith("figures/")) return whole;
    if (!known.has(path)) {
      return fail(`${psinv ?? ""}${path}`, offset, () => sources.figures) || whole;
    }
    if (!figures.includes(path)) figures.push(path);
    return `![${alt}](${opts.figureLink(path)})`;
  });
  let all: string[] | undefined;
  const body = withFigures.replace(VALUE, (whole, ref: string, offset: number) => {
    const v = resolveRef(ref, sources);
    if (v === undefined) return fail(ref, offset, () => (all ??= validRefs(sources))) || whole;
    let n = values.findIndex((x) => x.ref === ref) + 1;
    if (n === 0) n = values.push(v);
    // The number itself links to its note (a marker after it would read as an exponent: 1⁷).
    return `[${escapeLinkText(v.text)}](#psinv-value-${n} "${
      `note ${n}: ${v.source.file}, ${v.source.cell}`.replaceAll('"', "'")
    }")`;
  });
  if (error !== undefined) return { ok: false, error };
  const notes = values.length === 0 ? [] : [
    "",
    "---",
    "",
    "Every number above is read from the reproduced results when the post is rendered:",
    "",
    ...values.map((v, i) =>
      `${i + 1}. <a id="psinv-value-${i + 1}"></a>\`${v.ref}\` = ${v.text}: ${opts.note(v)}`
    ),
  ];
  return {
    ok: true,
    value: { markdown: [body.trimEnd(), ...notes, ""].join("\n"), missing, values, figures },
  };
}

/**
 * The one-line message for an unknown reference in `file`.
 *
 * @example
 * ```ts
 * import { unknownReferenceMessage } from "./post_refs.ts";
 * unknownReferenceMessage("post.md", { reason: "unknown-reference", ref: "stats.lam1.fit.maen", line: 3, column: 7, nearest: "stats.lam1.fit.mean" });
 * // 'Unknown reference "stats.lam1.fit.maen" at line 3, column 7 of "post.md": did you mean "stats.lam1.fit.mean"?'
 * ```
 */
export function unknownReferenceMessage(file: string, e: UnknownReference): string {
  const guess = e.nearest === undefined
    ? "the results hold no such value or figure"
    : `did you mean "${e.nearest}"?`;
  return `Unknown reference "${e.ref}" at line ${e.line}, column ${e.column} of "${file}": ${guess}`;
}

/** The candidate closest to `ref` by edit distance (ties: the first). */
function nearest(ref: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined, bestDistance = Infinity;
  for (const c of candidates) {
    // A length difference bounds the distance from below: skip what cannot win.
    if (Math.abs(ref.length - c.length) >= bestDistance) continue;
    const d = editDistance(ref, c);
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best;
}
