/**
 * The text of a `compare` answer: the stages whose keys differ, grouped by family and by what
 * differs (`train/* ×180: training.epochs 500 → 1000`), then what was computed, the changed
 * files, the experiment's own lines, and where the page is.
 *
 * @module
 */
import { type CompareDone, type StageDiff, stageFamily } from "../core/mod.ts";
import { changeText } from "./status_text.ts";

/** Ids of a group listed before the rest are counted. */
const IDS_SHOWN = 4;

/**
 * The answer as lines of text.
 *
 * @example
 * ```ts
 * import { compareLines } from "./compare_text.ts";
 * const lines = compareLines({
 *   kind: "compare", unchanged: 1, executed: 1, cached: 2, changed: [], lines: [],
 *   stages: [{ id: "step/a", kind: "changed", changes: [{ kind: "param", path: "k", before: 1, after: 2 }] }],
 * });
 * lines[1]; // "  step/a: k 1 → 2"
 * ```
 */
export function compareLines(e: CompareDone): string[] {
  const groups = new Map<string, { family: string; what: string; ids: string[] }>();
  for (const s of e.stages) {
    const family = stageFamily(s.id);
    const what = describe(s);
    const key = `${family}\u0000${what}`;
    const g = groups.get(key) ?? groups.set(key, { family, what, ids: [] }).get(key)!;
    g.ids.push(s.id);
  }
  const lines = [
    e.stages.length === 0
      ? "No stage differs: the variant's results are the current ones."
      : `${e.stages.length} stage${
        e.stages.length === 1 ? "" : "s"
      } differ (${e.unchanged} the same):`,
  ];
  for (const g of groups.values()) {
    const name = g.ids.length === 1 ? g.ids[0]! : `${g.family} ×${g.ids.length}`;
    lines.push(`  ${name}: ${g.what}`);
    if (g.ids.length > 1) {
      const shown = g.ids.slice(0, IDS_SHOWN).join(", ");
      const more = g.ids.length > IDS_SHOWN ? `, … (${g.ids.length - IDS_SHOWN} more)` : "";
      lines.push(`      ${shown}${more}`);
    }
  }
  lines.push(
    `Computed ${e.executed} stage${
      e.executed === 1 ? "" : "s"
    } the store lacked, reused ${e.cached}.`,
  );
  if (e.changed.length > 0) {
    const shown = e.changed.slice(0, 8).join(", ");
    lines.push(
      `${e.changed.length} published file${e.changed.length === 1 ? "" : "s"} differ: ${shown}${
        e.changed.length > 8 ? ", …" : ""
      }`,
    );
  }
  lines.push(...e.lines);
  if (e.page !== undefined) lines.push(`Wrote ${e.page}`);
  return lines;
}

/** What differs in a stage's key, in a few words. */
function describe(s: StageDiff): string {
  if (s.kind === "added") return "only in the variant";
  if (s.kind === "removed") return "only in the current parameters";
  if (s.changes.length === 0) return "no stored result on one side (failed)";
  const parts = s.changes.filter((c) => c.kind !== "input").map((c) =>
    changeText(c, undefined, "changed")
  );
  const inputs = s.changes.flatMap((c) => (c.kind === "input" ? [`"${c.name}"`] : []));
  if (inputs.length > 3) {
    parts.push(`${inputs.length} inputs changed (${inputs.slice(0, 2).join(", ")}, …)`);
  } else if (inputs.length > 0) {
    parts.push(`input${inputs.length > 1 ? "s" : ""} ${inputs.join(", ")} changed`);
  }
  return parts.join("; ");
}
