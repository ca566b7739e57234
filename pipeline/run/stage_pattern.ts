/**
 * Stage ids as `accept` takes them: exact ids, or glob patterns over ids (`evaluate/*`).
 *
 * @module
 */
import { err, ok, type Result, type UnknownStage } from "../core/mod.ts";

/**
 * Expands each argument against the known stage ids, in order, without duplicates. An argument
 * holding `*` (any run of characters but `/`) or `?` (one character but `/`) is a pattern and must
 * match at least one id; any other argument is passed through as an id (checked by the caller).
 *
 * @example
 * ```ts
 * import { expandStagePatterns } from "./stage_pattern.ts";
 * const known = ["generate", "evaluate/a", "evaluate/b", "render/a"];
 * const r = expandStagePatterns(known, ["evaluate/*", "render/a"]);
 * r.ok && r.value; // ["evaluate/a", "evaluate/b", "render/a"]
 * ```
 */
export function expandStagePatterns(
  known: readonly string[],
  args: readonly string[],
): Result<string[], UnknownStage> {
  const out = new Set<string>();
  for (const arg of args) {
    if (!isPattern(arg)) {
      out.add(arg);
      continue;
    }
    const re = globRegExp(arg);
    const matched = known.filter((id) => re.test(id));
    if (matched.length === 0) {
      return err({ reason: "unknown-stage", id: arg, known, pattern: true });
    }
    for (const id of matched) out.add(id);
  }
  return ok([...out]);
}

/** Whether a stage argument is a glob pattern rather than an id. */
export function isPattern(arg: string): boolean {
  return arg.includes("*") || arg.includes("?");
}

function globRegExp(pattern: string): RegExp {
  let source = "";
  for (const c of pattern) {
    if (c === "*") source += "[^/]*";
    else if (c === "?") source += "[^/]";
    else source += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}
