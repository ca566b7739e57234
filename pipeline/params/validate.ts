/**
 * Zod issues turned into one-line {@linkcode ParamIssue}s that name the field, say what is allowed
 * and show what was given; unknown keys get the nearest known key as a suggestion. Generic over
 * any zod schema, so it knows nothing of the experiment.
 *
 * @module
 */
import type { z } from "zod";
import type { ParamIssue, Pipeline } from "../core/mod.ts";

/**
 * Builds a pipeline's `validate` from a zod schema. The returned function never throws.
 *
 * @example
 * ```ts
 * import { z } from "zod";
 * import { validateWith } from "./validate.ts";
 * const validate = validateWith(z.strictObject({ lambda: z.number().nonnegative() }));
 * validate({ lamda: 1 });
 * // { ok: false, issues: [{ path: "lambda", message: "is missing: expected a number" },
 * //   { path: "lamda", message: 'unknown key "lamda": did you mean "lambda"?' }] }
 * ```
 */
export function validateWith<P>(schema: z.ZodType<P>): Pipeline<P>["validate"] {
  return (doc) => {
    try {
      const r = schema.safeParse(doc);
      if (r.success) return { ok: true, value: r.data };
      const issues = r.error.issues.flatMap((i) => describeIssue(schema, doc, i));
      return { ok: false, issues: dedupe(issues) };
    } catch (e) {
      return {
        ok: false,
        issues: [{
          path: "",
          message: oneLine(`cannot be checked: ${e instanceof Error ? e.message : e}`),
        }],
      };
    }
  };
}

/**
 * One line for the terminal: `configs.lam1.lambda: must be ≥ 0, got -1`.
 *
 * @example
 * ```ts
 * import { formatParamIssue } from "./validate.ts";
 * formatParamIssue({ path: "", message: "expected an object" }); // "(document): expected an object"
 * ```
 */
export function formatParamIssue(issue: ParamIssue): string {
  return `${issue.path === "" ? "(document)" : issue.path}: ${issue.message}`;
}

type Issue = z.core.$ZodIssue;

function describeIssue(schema: unknown, doc: unknown, issue: Issue): ParamIssue[] {
  const path = issue.path.map(String);
  const at = path.join(".");
  const got = valueAt(doc, path);
  switch (issue.code) {
    case "unrecognized_keys": {
      const known = keysAt(schema, issue.path) ?? [];
      return issue.keys.map((k) => ({
        path: [...path, k].join("."),
        message: oneLine(`unknown key "${k}": ${suggest(k, known)}`),
      }));
    }
    case "invalid_type": {
      const expected = issue.expected === "int" ? "an integer" : article(String(issue.expected));
      if (got.missing) return [{ path: at, message: `is missing: expected ${expected}` }];
      if (issue.expected === "number" && typeof got.value === "number") {
        return [{ path: at, message: `must be a finite number, got ${show(got.value)}` }];
      }
      return [{ path: at, message: oneLine(`must be ${expected}, got ${show(got.value)}`) }];
    }
    case "too_small":
    case "too_big": {
      const bound = issue.code === "too_small" ? issue.minimum : issue.maximum;
      const op = issue.code === "too_small"
        ? (issue.inclusive ? "≥" : ">")
        : (issue.inclusive ? "≤" : "<");
      const what = issue.origin === "string"
        ? `at ${issue.code === "too_small" ? "least" : "most"} ${bound} characters long`
        : issue.origin === "number" || issue.origin === "int"
        ? `${op} ${bound}`
        : `${op} ${bound} entries`;
      return [{ path: at, message: oneLine(`must be ${what}, got ${show(got.value)}`) }];
    }
    case "invalid_value": {
      const allowed = issue.values.map((v) => JSON.stringify(v)).join(", ");
      return [{ path: at, message: oneLine(`must be one of ${allowed}, got ${show(got.value)}`) }];
    }
    case "invalid_format":
      return [{ path: at, message: oneLine(`must be ${issue.message}, got ${show(got.value)}`) }];
    case "invalid_key": {
      const key = path.at(-1) ?? "";
      const inner = issue.issues[0]?.message ?? issue.message;
      return [{ path: at, message: oneLine(`the name "${key}" is not allowed: ${inner}`) }];
    }
    default:
      return [{ path: at, message: oneLine(`${issue.message}, got ${show(got.value)}`) }];
  }
}

function valueAt(doc: unknown, path: readonly string[]): { missing: boolean; value: unknown } {
  if (path.length === 0) return { missing: doc === undefined, value: doc };
  // Walks lists too: an issue inside a list of lists (`a.b.0.1`) shows the value given.
  let parent = doc;
  for (const part of path.slice(0, -1)) {
    const ok = typeof parent === "object" && parent !== null && Object.hasOwn(parent, part);
    parent = ok ? (parent as Record<string, unknown>)[part] : undefined;
  }
  const last = path.at(-1)!;
  const present = typeof parent === "object" && parent !== null && Object.hasOwn(parent, last);
  return {
    missing: !present,
    value: present ? (parent as Record<string, unknown>)[last] : undefined,
  };
}

interface Def {
  type?: string;
  shape?: Record<string, unknown>;
  valueType?: unknown;
  innerType?: unknown;
  in?: unknown;
}

function defOf(s: unknown): Def | undefined {
  return (s as { _zod?: { def?: Def } } | undefined)?._zod?.def;
}

/** Peels wrappers (optional, default, refine pipes) off a schema. */
function unwrap(s: unknown): unknown {
  for (let d = defOf(s); d && (d.innerType !== undefined || d.type === "pipe"); d = defOf(s)) {
    s = d.innerType ?? d.in;
  }
  return s;
}

/** The keys an object schema allows at `path`, when the schema there is an object. */
function keysAt(schema: unknown, path: readonly PropertyKey[]): string[] | undefined {
  let s = unwrap(schema);
  for (const seg of path) {
    const d = defOf(s);
    if (d?.type === "object" && d.shape) s = unwrap(d.shape[String(seg)]);
    else if (d?.type === "record") s = unwrap(d.valueType);
    else return undefined;
  }
  const d = defOf(s);
  return d?.type === "object" && d.shape ? Object.keys(d.shape) : undefined;
}

function suggest(key: string, known: readonly string[]): string {
  if (known.length === 0) return "remove it";
  const scored = known.map((k) => ({ k, d: editDistance(key.toLowerCase(), k.toLowerCase()) }))
    .sort((a, b) => a.d - b.d || a.k.localeCompare(b.k));
  const best = scored[0]!;
  if (best.d <= Math.max(2, Math.floor(best.k.length / 3))) return `did you mean "${best.k}"?`;
  return `allowed keys are ${known.map((k) => `"${k}"`).join(", ")}`;
}

/** Levenshtein distance, with adjacent transpositions counted as one edit. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from(
    { length: a.length + 1 },
    (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, d[i - 2]![j - 2]! + 1);
      }
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function show(v: unknown): string {
  if (typeof v === "number" && !Number.isFinite(v)) return String(v);
  if (v === undefined) return "nothing";
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, " ").trim();
}

function dedupe(issues: ParamIssue[]): ParamIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${i.path}\u0000${i.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
