import assert from "node:assert/strict";
import { validate } from "../../stages/validation.ts";
import { claimedRows } from "../../stages/claimed_design.ts";
import { designRuns } from "../../stages/design.ts";
import { sweepScenario } from "./sweep.ts";

const doc = JSON.parse(
  await Deno.readTextFile(new URL("../../params.json", import.meta.url)),
) as Record<string, unknown>;

Deno.test("the sweep scenario's parameters, made from params.json as it is, pass the pipeline's validation", () => {
  const checked = validate(sweepScenario(doc, 100));
  assert.ok(checked.ok, JSON.stringify(!checked.ok && checked.issues));
});

Deno.test("the sweep scenario declares the trainings it is asked for: five λ = μ rows, a fifth of them each", () => {
  const checked = validate(sweepScenario(doc, 100));
  assert.ok(checked.ok);
  // The rows as the pipeline declares them, with the seeds the claims may add.
  const { rows } = claimedRows(checked.value);
  assert.deepEqual(rows.map((r) => r.lambda), [0.01, 0.1, 1, 10, 100]);
  assert.equal(designRuns(rows).length, 100);
  assert.throws(() => sweepScenario(doc, 12), /multiple of 5/);
});
