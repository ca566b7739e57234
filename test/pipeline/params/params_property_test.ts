import assert from "node:assert/strict";
import fc from "fast-check";
import { applyOverride, parseOverride } from "../../../pipeline/params/params.ts";
import { validateWith } from "../../../pipeline/params/validate.ts";
import { paramsSchema } from "../../../stages/params_schema.ts";

const base: unknown = JSON.parse(
  await Deno.readTextFile(new URL("../../../params.json", import.meta.url)),
);
const validate = validateWith(paramsSchema);

/** Every leaf or inner path of a JSON value, as key lists. */
function paths(v: unknown, prefix: string[] = []): string[][] {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return [prefix];
  return [prefix, ...Object.entries(v).flatMap(([k, x]) => paths(x, [...prefix, k]))];
}

function isClear(issues: readonly { path: string; message: string }[]): boolean {
  return issues.length > 0 &&
    issues.every((i) =>
      typeof i.path === "string" && i.message.length > 0 && !/\n/.test(i.message)
    );
}

Deno.test("validateWith() answers any JSON document with ok or clear issues, never a throw", () => {
  fc.assert(
    fc.property(fc.jsonValue(), (doc) => {
      const r = validate(doc);
      return r.ok || isClear(r.issues);
    }),
    { numRuns: 400 },
  );
});

const allPaths = paths(base).filter((p) => p.length > 0);
const mutation = fc.record({
  path: fc.constantFrom(...allPaths),
  kind: fc.constantFrom("delete", "replace", "rename"),
  value: fc.jsonValue({ maxDepth: 2 }),
  char: fc.string({ minLength: 1, maxLength: 1 }),
});

Deno.test("validateWith() points at or above the mutated place of params.json", () => {
  fc.assert(
    fc.property(mutation, ({ path, kind, value, char }) => {
      const doc = structuredClone(base) as Record<string, unknown>;
      const parent = path.slice(0, -1).reduce(
        (o, k) => o[k] as Record<string, unknown>,
        doc,
      );
      const key = path.at(-1)!;
      let touched = path;
      if (kind === "delete") delete parent[key];
      else if (kind === "replace") parent[key] = value;
      else {
        const renamed = key + char;
        parent[renamed] = parent[key];
        delete parent[key];
        touched = [...path.slice(0, -1)];
      }
      const r = validate(doc);
      if (r.ok) return true;
      assert.ok(isClear(r.issues), JSON.stringify(r.issues));
      const near = touched.join(".");
      // The schema also checks cross-field rules: batchSize against data.n, and that a search's
      // compared sweep exists.
      const related = (p: string) =>
        p === "" || near.startsWith(p) || p.startsWith(near) || p === "training.batchSize" ||
        (p.startsWith("searches.") && p.endsWith(".compare") && near.startsWith("sweeps"));
      assert.ok(r.issues.some((i) => related(i.path)), `${near}: ${JSON.stringify(r.issues)}`);
      return true;
    }),
    { numRuns: 400 },
  );
});

Deno.test("parseOverride() and applyOverride() never throw on arbitrary arguments", () => {
  fc.assert(
    fc.property(fc.string(), fc.jsonValue(), (arg, doc) => {
      const o = parseOverride(arg);
      if (!o.ok) return o.error.reason === "override-invalid";
      const r = applyOverride(doc, o.value.path, o.value.value, arg);
      return r.ok || r.error.reason === "override-invalid";
    }),
    { numRuns: 500 },
  );
});
