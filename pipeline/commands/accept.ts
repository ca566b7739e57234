/**
 * `accept`: after a cosmetic edit that still changes tokens (renaming a local), re-key a stage's
 * latest stored result to the current code without rerunning it. Comments and formatting need no
 * `accept`: the code hash does not see them. This trusts the user: the engine cannot tell a
 * renaming from a real change, so it only allows it when the code is the *only* change. Stage
 * arguments may be patterns (`evaluate/*`), expanded by `run/stage_pattern.ts`.
 *
 * @module
 */
import { type CodeFingerprint, stageKey } from "../key/mod.ts";
import { type Change, type Emit, err, type Failure, ok, type Result } from "../core/mod.ts";
import { fingerprintOf, type Plan } from "../run/mod.ts";
import type { Store } from "../store/mod.ts";
import { stageStates } from "./status.ts";

/** Options of {@linkcode acceptStages}. */
export interface AcceptOptions {
  readonly plan: Plan;
  /** The named stages and everything upstream, topological order. */
  readonly ids: readonly string[];
  /** The stages to accept. */
  readonly named: ReadonlySet<string>;
  readonly code: ReadonlyMap<string, CodeFingerprint>;
  readonly store: Store;
  readonly emit: Emit;
  /** The clock (ms since the epoch). */
  readonly now: () => number;
}

/**
 * Accepts the named stages in topological order (so accepting a stage and then one that reads
 * it works in one command). Refuses, with the reason, a stage that is missing, waits on a stage
 * that is not fresh, or has changes besides its code.
 */
export async function acceptStages(opts: AcceptOptions): Promise<Result<void, Failure>> {
  const { plan, store } = opts;
  for (const id of opts.ids.filter((i) => opts.named.has(i))) {
    const states = await stageStates({ plan, ids: opts.ids, code: opts.code, store });
    const s = states.get(id)!;
    if (s.state.state === "fresh") {
      opts.emit({ kind: "accept-unneeded", stage: id });
      continue;
    }
    const waits = Object.entries(s.state.waiting);
    if (waits.length > 0) {
      const [name, from] = waits[0]!;
      return refuse(
        id,
        `its input "${name}" (stage "${from}") is not fresh`,
        `run "reproduce" first, or accept "${from}" too`,
      );
    }
    if (!s.latest) return refuse(id, "it has no stored result to accept", `run "reproduce"`);
    if (!s.state.codeOnly) {
      const other = s.state.changes.filter((c) => c.kind !== "code").map(describe).join(", ");
      return refuse(
        id,
        `more than its code changed (${other || "its stored result is damaged"})`,
        `run "reproduce" to recompute it`,
      );
    }
    const old = await store.get(s.latest.key);
    if (old.kind !== "hit") {
      return refuse(id, "its stored result is damaged or gone", `run "reproduce" to recompute it`);
    }
    const decl = plan.graph.byId.get(id)!;
    const code = opts.code.get(decl.module)!;
    const fingerprint = fingerprintOf(decl, plan.params.get(id)!, s.inputs ?? {}, code.hash);
    const key = await stageKey(fingerprint);
    const put = await store.put({
      stage: id,
      fingerprint,
      key,
      dir: old.dir,
      outputs: Object.keys(old.manifest.files),
      seconds: old.manifest.seconds,
      created: new Date(opts.now()).toISOString(),
      code,
      ...(old.manifest.ran ? { ran: old.manifest.ran } : {}),
    });
    if (!put.ok) return put;
    const files = s.state.changes.flatMap((c) => (c.kind === "code" ? c.files : []));
    opts.emit({ kind: "accepted", stage: id, from: s.latest.key, to: key, files });
  }
  return ok(undefined);
}

function describe(c: Change): string {
  switch (c.kind) {
    case "param":
      return `parameter "${c.path}"`;
    case "input":
      return `input "${c.name}"`;
    case "code":
      return "code";
    case "version":
      return "version";
    case "format":
      return "engine format";
  }
}

function refuse(id: string, why: string, hint: string): Result<never, Failure> {
  return err({ reason: "usage", detail: `Cannot accept "${id}": ${why}`, hint });
}
