/**
 * Reading the parameters document: parse (with line and column on a syntax error), apply the
 * command line's `--set` overrides in order, validate — all before any stage runs, all failures
 * as values. The file itself is never written.
 *
 * @module
 */
import { err, type Failure, ok, type Pipeline, type Result } from "../core/mod.ts";
import { findJsonError } from "./json_position.ts";

/** One `--set key.path=value` argument, parsed. */
export interface Override {
  readonly path: readonly string[];
  readonly value: unknown;
}

/** Options of {@linkcode loadParams}. */
export interface LoadOptions<P> {
  /** Project root; `file` is relative to it. */
  readonly root: string;
  readonly file: string;
  /** `--set` arguments (`a.b.c=value`), applied in order. */
  readonly overrides: readonly string[];
  readonly validate: Pipeline<P>["validate"];
}

/**
 * Reads, overrides and validates the parameters; returns the raw document and the typed one.
 *
 * @example
 * ```ts
 * import { loadParams } from "./params.ts";
 * const root = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${root}/p.json`, '{"n": 1}');
 * const r = await loadParams({
 *   root, file: "p.json", overrides: ["n=2"],
 *   validate: (doc) => ({ ok: true, value: doc }),
 * });
 * r.ok && r.value.doc; // { n: 2 }
 * ```
 */
export async function loadParams<P>(
  opts: LoadOptions<P>,
): Promise<Result<{ doc: unknown; params: P }, Failure>> {
  let text: string;
  try {
    text = await Deno.readTextFile(`${opts.root}/${opts.file}`);
  } catch (e) {
    const detail = e instanceof Deno.errors.NotFound
      ? "no such file"
      : e instanceof Error
      ? e.message
      : String(e);
    return err({ reason: "params-unreadable", file: opts.file, detail });
  }
  const parsed = parseJson(text, opts.file);
  if (!parsed.ok) return parsed;
  let doc = parsed.value;
  for (const arg of opts.overrides) {
    const o = parseOverride(arg);
    if (!o.ok) return o;
    const applied = applyOverride(doc, o.value.path, o.value.value, arg);
    if (!applied.ok) return applied;
    doc = applied.value;
  }
  let checked: ReturnType<Pipeline<P>["validate"]>;
  try {
    checked = opts.validate(doc);
  } catch (e) {
    // A validator is not supposed to throw; if it does, it is still reported as bad input.
    return err({
      reason: "param-invalid",
      issues: [{ path: "", message: `validation failed: ${e instanceof Error ? e.message : e}` }],
    });
  }
  if (!checked.ok) return err({ reason: "param-invalid", issues: checked.issues });
  return ok({ doc, params: checked.value });
}

/**
 * Parses a JSON text, locating a syntax error by line and column. A UTF-8 byte-order mark at the
 * start (as some Windows editors save) is not JSON, but means nothing: it is dropped.
 *
 * @example
 * ```ts
 * import { parseJson } from "./params.ts";
 * parseJson('\uFEFF{"a": 1}', "params.json"); // ok: { a: 1 }
 * ```
 */
export function parseJson(text: string, file: string): Result<unknown, Failure> {
  if (text.startsWith("\uFEFF")) text = text.slice(1);
  try {
    return ok(JSON.parse(text));
  } catch (e) {
    const where = findJsonError(text) ??
      { line: 1, column: 1, detail: e instanceof Error ? e.message : String(e) };
    return err({ reason: "params-syntax", file, ...where });
  }
}

/**
 * Parses `a.b.c=value`; the value is JSON when it parses as JSON, else the raw string.
 *
 * @example
 * ```ts
 * import { parseOverride } from "./params.ts";
 * parseOverride("configs.lam1.lambda=10"); // ok: { path: ["configs", "lam1", "lambda"], value: 10 }
 * parseOverride("configs.lam1.activation=silu"); // ok: value "silu"
 * ```
 */
export function parseOverride(arg: string): Result<Override, Failure> {
  const eq = arg.indexOf("=");
  const bad = (detail: string) => err({ reason: "override-invalid" as const, arg, detail });
  if (eq < 0) return bad("no '=' in it: use --set key.path=value");
  const key = arg.slice(0, eq).trim();
  const path = key.split(".");
  if (key === "" || path.some((p) => p === "")) {
    return bad(
      "the key path has an empty part: use --set key.path=value, e.g. configs.lam1.lambda=10",
    );
  }
  if (path.some((p) => p === "__proto__" || p === "constructor" || p === "prototype")) {
    return bad(`"${key}" is not a parameter path`);
  }
  const raw = arg.slice(eq + 1);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    value = raw;
  }
  return ok({ path, value });
}

/**
 * Returns a copy of `doc` with `value` set at `path`; the input is not mutated. Keys that do not
 * exist yet are created (the schema then reports an unknown key, with a suggestion).
 */
export function applyOverride(
  doc: unknown,
  path: readonly string[],
  value: unknown,
  arg = `${path.join(".")}=…`,
): Result<unknown, Failure> {
  if (path.length === 0) return ok(value);
  if (!isPlainObject(doc)) {
    return err({
      reason: "override-invalid",
      arg,
      detail: `cannot set "${path[0]}" inside a ${describeKind(doc)}`,
    });
  }
  const [head, ...rest] = path as [string, ...string[]];
  const inner = applyOverride(Object.hasOwn(doc, head) ? doc[head] : {}, rest, value, arg);
  if (!inner.ok) return inner;
  return ok({ ...doc, [head]: inner.value });
}

/**
 * The value at a dotted path, or `undefined` where there is none.
 *
 * @example
 * ```ts
 * import { getPath } from "./params.ts";
 * getPath({ configs: { a: { lambda: 1 } } }, "configs.a.lambda"); // 1
 * ```
 */
export function getPath(doc: unknown, dotted: string): unknown {
  let cur = doc;
  for (const part of dotted.split(".")) {
    if (!isPlainObject(cur) || !Object.hasOwn(cur, part)) return undefined;
    cur = cur[part];
  }
  return cur;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function describeKind(v: unknown): string {
  return Array.isArray(v) ? "list" : v === null ? "null" : typeof v;
}
