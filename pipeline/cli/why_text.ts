/**
 * The text of a `why` answer: the artifact's stage in full (key, parameters, inputs, code, where
 * and when it ran), then the stages upstream one line each, a few of each family unless `--all`.
 *
 * @module
 */
import {
  type CodeProvenance,
  stageFamily,
  type StageProvenance,
  type WhyAnswer,
  type WhyStage,
} from "../core/mod.ts";
import { secondsText } from "./status_text.ts";

/** Upstream stages of one family listed before the rest are counted (without `--all`). */
const PER_FAMILY = 3;

/**
 * The answer as lines of text.
 *
 * @example
 * ```ts
 * import { whyLines } from "./why_text.ts";
 * const key = "ab".repeat(32), code = "cd".repeat(32);
 * const record = { key, params: { x: 1 }, inputs: {}, code, version: 0, started: "2026-01-01T00:00:00.000Z", finished: "2026-01-01T00:00:01.500Z", seconds: 1.5 };
 * const lines = whyLines({ kind: "why", path: "a.txt", hash: key, stages: [{ id: "a", depth: 0, record, stored: true }], code: {}, all: false } as never);
 * lines[1]; // "  made by  a"
 * ```
 */
export function whyLines(e: WhyAnswer): string[] {
  const [head, ...upstream] = e.stages;
  const lines = [`${e.path}  (sha256 ${short(e.hash)})`];
  if (head === undefined) return lines;
  const r = head.record;
  const label = (name: string) => `  ${name.padEnd(8)} `;
  lines.push(`${label("made by")}${head.id}${r.producedBy ? ` (result of ${r.producedBy})` : ""}`);
  lines.push(`${label("key")}${r.key}  ${stored(head)}`);
  const params = Object.entries(r.params);
  if (params.length === 0) lines.push(`${label("params")}(none)`);
  params.forEach(([path, v], i) =>
    lines.push(`${i === 0 ? label("params") : " ".repeat(11)}${path} = ${JSON.stringify(v)}`)
  );
  const inputs = Object.entries(r.inputs);
  if (inputs.length === 0) lines.push(`${label("inputs")}(none: a source)`);
  inputs.slice(0, e.all ? inputs.length : 8).forEach(([name, i], n) =>
    lines.push(
      `${n === 0 ? label("inputs") : " ".repeat(11)}${
        name === i.stage ? "" : `${name} ← `
      }${i.stage}  ${short(i.key)}`,
    )
  );
  if (!e.all && inputs.length > 8) {
    lines.push(`${" ".repeat(11)}… and ${inputs.length - 8} more (--all lists them)`);
  }
  if (r.after) lines.push(`${label("after")}${r.after.join(", ")} (decided that it exists)`);
  lines.push(`${label("code")}${codeText(r.code, e.code[r.code])}`);
  lines.push(`${label("ran")}${ranText(r)}`);
  if (r.resumed) {
    lines.push(`${label("resumed")}from ${r.resumed.key} at ${r.resumed.progress}`);
  }
  if (upstream.length === 0) return lines;
  lines.push(`Upstream, back to the sources (${upstream.length} stages):`);
  const width = Math.min(40, Math.max(...upstream.map((s) => s.id.length)));
  const shownOfFamily = new Map<string, number>();
  const hidden = new Map<string, number>();
  for (const s of upstream) {
    const family = stageFamily(s.id);
    const n = shownOfFamily.get(family) ?? 0;
    if (!e.all && n >= PER_FAMILY) {
      hidden.set(family, (hidden.get(family) ?? 0) + 1);
      continue;
    }
    shownOfFamily.set(family, n + 1);
    lines.push(
      `  ${s.id.padEnd(width)}  ${short(s.record.key)}  ${ranText(s.record)}  ${
        paramsText(s.record)
      }${s.record.after ? `  after ${s.record.after.join(", ")}` : ""}${
        s.stored ? "" : "  [not in .psinv/]"
      }`.trimEnd(),
    );
  }
  for (const [family, n] of hidden) {
    lines.push(`  … and ${n} more ${family} stages (--all lists them)`);
  }
  return lines;
}

function stored(s: WhyStage): string {
  return s.stored ? "(in .psinv/store)" : "(no longer in .psinv/: dropped by gc?)";
}

function short(hash: string): string {
  return hash.slice(0, 12);
}

function codeText(hash: string, c: CodeProvenance | undefined): string {
  if (c === undefined) return short(hash);
  const npm = Object.entries(c.npm).map(([p, v]) => `${p} ${v}`);
  const shownNpm = npm.length > 4 ? [...npm.slice(0, 4), `+${npm.length - 4}`] : npm;
  const modules = Object.keys(c.files).length;
  return `${short(hash)}: ${modules} module${modules === 1 ? "" : "s"}, Deno ${c.deno}${
    npm.length > 0 ? `; npm ${shownNpm.join(", ")}` : ""
  }`;
}

function ranText(r: StageProvenance): string {
  const where = r.ran
    ? `${r.ran.executor} on ${r.ran.host}${r.ran.job ? ` (job ${r.ran.job})` : ""}`
    : "executor and host not recorded";
  return `${where}, ${r.started.replace("T", " ").replace(/\.\d+Z$/, "Z")} (${
    secondsText(r.seconds)
  })`;
}

function paramsText(r: StageProvenance): string {
  const text = Object.entries(r.params).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(" ");
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}
