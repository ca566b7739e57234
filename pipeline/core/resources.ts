/**
 * What a stage asks of the machine that runs it (time, memory, CPUs), in SLURM's notation, and
 * how a run's overrides (flags, environment, `--resource stage:field=value`) resolve it per stage.
 * None of it enters a stage's key: a larger time limit computes the same result.
 *
 * @module
 */
import { err, ok, type Result } from "./result.ts";
import type { StageResources } from "./stage.ts";

/** The fields a `--resource` override can set. */
export const RESOURCE_FIELDS = ["time", "mem", "cpus"] as const;

/** One `--resource <stage-glob>:<field>=<value>` override. */
export interface ResourceOverride {
  /** Stage id, `*` matching any run of characters (`train/*`). */
  readonly stage: string;
  readonly field: (typeof RESOURCE_FIELDS)[number];
  readonly value: string;
}

/** Accepted time formats, as the messages name them. */
export const TIME_FORMATS = "MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS";

/**
 * Seconds of a SLURM time limit, or `undefined` if the text is not one (or is zero).
 *
 * @example
 * ```ts
 * import { parseTimeLimit } from "./resources.ts";
 * parseTimeLimit("1-02:00:30"); // 93630
 * parseTimeLimit("90"); // 5400 (minutes)
 * ```
 */
export function parseTimeLimit(text: string): number | undefined {
  const m =
    /^(?:(\d{1,4})-(\d{1,2})(?::(\d{1,2})(?::(\d{1,2}))?)?|(\d{1,7})(?::(\d{1,2})(?::(\d{1,2}))?)?)$/
      .exec(text.trim());
  if (!m) return undefined;
  const n = (s: string | undefined): number => (s === undefined ? 0 : Number(s));
  let seconds: number;
  if (m[1] !== undefined) {
    seconds = n(m[1]) * 86400 + n(m[2]) * 3600 + n(m[3]) * 60 + n(m[4]);
  } else if (m[7] !== undefined) {
    seconds = n(m[5]) * 3600 + n(m[6]) * 60 + n(m[7]);
  } else {
    seconds = n(m[5]) * 60 + n(m[6]);
  }
  return seconds > 0 ? seconds : undefined;
}

/**
 * A number of seconds in SLURM's `D-HH:MM:SS` (or `H:MM:SS` under a day) notation.
 *
 * @example
 * ```ts
 * import { formatTimeLimit } from "./resources.ts";
 * formatTimeLimit(93630); // "1-02:00:30"
 * formatTimeLimit(2); // "0:00:02"
 * ```
 */
export function formatTimeLimit(seconds: number): string {
  const s = Math.ceil(seconds);
  const two = (v: number): string => String(v).padStart(2, "0");
  const days = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600);
  const rest = `${two(Math.floor((s % 3600) / 60))}:${two(s % 60)}`;
  return days > 0 ? `${days}-${two(h)}:${rest}` : `${h}:${rest}`;
}

/**
 * Megabytes of a SLURM memory request, or `undefined` if the text is not one.
 *
 * @example
 * ```ts
 * import { parseMemory } from "./resources.ts";
 * parseMemory("2G"); // 2048
 * parseMemory("500"); // 500
 * ```
 */
export function parseMemory(text: string): number | undefined {
  const m = /^(\d{1,9})([KMGT]?)$/i.exec(text.trim());
  if (!m) return undefined;
  const scale = { K: 1 / 1024, M: 1, G: 1024, T: 1024 * 1024 }[(m[2] || "M").toUpperCase()]!;
  const mb = Math.ceil(Number(m[1]) * scale);
  return mb > 0 ? mb : undefined;
}

/** Why one resource value is invalid, or `undefined` when it is fine. */
export function checkResource(field: ResourceOverride["field"], value: string): string | undefined {
  switch (field) {
    case "time":
      return parseTimeLimit(value) === undefined
        ? `time must be SLURM's format (${TIME_FORMATS}), got "${value}"`
        : undefined;
    case "mem":
      return parseMemory(value) === undefined
        ? `mem must be a whole number with an optional unit K, M, G or T (e.g. 4G), got "${value}"`
        : undefined;
    case "cpus":
      return /^\d{1,4}$/.test(value.trim()) && Number(value) >= 1
        ? undefined
        : `cpus must be a whole number of at least 1, got "${value}"`;
  }
}

/**
 * Parses `<stage-glob>:<field>=<value>` (e.g. `train/*:time=2:00:00`).
 *
 * @example
 * ```ts
 * import { parseResourceOverride } from "./resources.ts";
 * parseResourceOverride("train/*:mem=4G");
 * // { ok: true, value: { stage: "train/*", field: "mem", value: "4G" } }
 * ```
 */
export function parseResourceOverride(arg: string): Result<ResourceOverride, string> {
  const eq = arg.indexOf("=");
  const left = eq < 0 ? arg : arg.slice(0, eq);
  const colon = left.lastIndexOf(":");
  const field = left.slice(colon + 1);
  if (eq < 0 || colon <= 0 || !(RESOURCE_FIELDS as readonly string[]).includes(field)) {
    return err(`expected <stage>:<field>=<value> with field one of ${RESOURCE_FIELDS.join(", ")}`);
  }
  const value = arg.slice(eq + 1);
  const f = field as ResourceOverride["field"];
  const bad = checkResource(f, value);
  return bad === undefined ? ok({ stage: left.slice(0, colon), field: f, value }) : err(bad);
}

/**
 * A stage's resources for this run: its declaration, then the run-wide values (flags or
 * environment), then the `--resource` overrides whose glob matches its id, later ones winning.
 *
 * @example
 * ```ts
 * import { resolveResources } from "./resources.ts";
 * resolveResources("train/a", { time: "10" }, { mem: "1G" }, [
 *   { stage: "train/*", field: "time", value: "20" },
 * ]); // { time: "20", mem: "1G" }
 * ```
 */
export function resolveResources(
  id: string,
  declared: StageResources | undefined,
  runWide: StageResources,
  overrides: readonly ResourceOverride[],
): StageResources {
  const out: { time?: string; mem?: string; cpus?: number } = { ...declared, ...runWide };
  for (const o of overrides) {
    if (!globMatches(o.stage, id)) continue;
    if (o.field === "cpus") out.cpus = Number(o.value);
    else out[o.field] = o.value;
  }
  return out;
}

function globMatches(glob: string, id: string): boolean {
  const re = glob.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*");
  return new RegExp(`^${re}$`).test(id);
}
