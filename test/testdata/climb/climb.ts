/**
 * Toy stage with progress: walks a seeded integer recurrence for `steps` steps, writing one line
 * per step to `walk.txt`, and keeps its state (the current value and the lines so far) where the
 * engine asks. Continued from a kept state it writes the same bytes as a walk from the start.
 * Each execution appends `climb {"from":…,"to":…}` to the project's counter, so tests see how
 * many steps really ran. `ms` spins that long per step (for time limits and interrupts).
 *
 * @module
 */
import type { StageContext } from "../../../pipeline/core/stage.ts";
import { count } from "../toy/_count.ts";

/** The state a walk keeps: the step it reached, the value there, and the lines so far. */
interface WalkState {
  readonly step: number;
  readonly value: number;
  readonly lines: readonly string[];
}

/** Walks from the kept state or from the seed, keeping the states asked for. */
export async function run(
  ctx: StageContext<{ steps: number; seed: number; keep: number[]; ms: number }>,
): Promise<void> {
  const { steps, seed, ms } = ctx.params;
  let state: WalkState = { step: 0, value: seed, lines: [] };
  if (ctx.resume) {
    state = JSON.parse(await Deno.readTextFile(ctx.resume.file)) as WalkState;
    if (state.step !== ctx.resume.progress) throw new Error("kept state at the wrong step");
  }
  await count("climb", { from: state.step, to: steps }, ctx.outDir);
  const keep = async (s: WalkState): Promise<void> => {
    for (const c of ctx.checkpoints ?? []) {
      if (c.progress !== s.step) continue;
      await Deno.mkdir(c.file.slice(0, c.file.lastIndexOf("/")), { recursive: true });
      await Deno.writeTextFile(c.file, JSON.stringify(s));
    }
  };
  await keep(state);
  let { value } = state;
  const lines = [...state.lines];
  for (let step = state.step + 1; step <= steps; step++) {
    const until = performance.now() + ms;
    while (performance.now() < until) { /* spin, as training holds its thread */ }
    value = (value * 48271) % 2147483647;
    lines.push(`${step} ${value}`);
    await keep({ step, value, lines });
    ctx.progress(step, steps);
  }
  await Deno.writeTextFile(`${ctx.outDir}/walk.txt`, lines.join("\n") + "\n");
}
