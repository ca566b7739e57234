import assert from "node:assert/strict";
const assertEquals = (a: unknown, b: unknown, m?: string) => assert.deepEqual(a, b, m);
import {
  ACTIVATION_TABLE,
  activationLabel,
  ACTIVATIONS,
  isActivation,
} from "../../stages/activations.ts";
import { paramsSchema } from "../../stages/params_schema.ts";
import params from "../../params.json" with { type: "json" };

Deno.test("ACTIVATION_TABLE numbers the activations 0, 1, … in table order", () => {
  assertEquals(ACTIVATIONS.map((a) => ACTIVATION_TABLE[a].code), ACTIVATIONS.map((_, i) => i));
});

Deno.test("activationLabel() writes each activation as the post does", () => {
  assertEquals(ACTIVATIONS.map(activationLabel).slice(0, 3), ["ReLU", "SiLU", "tanh"]);
  assertEquals(activationLabel("gelu"), "gelu");
  assertEquals(isActivation("constructor"), false);
});

Deno.test("paramsSchema takes every activation of the table, and only those", () => {
  for (const a of ACTIVATIONS) {
    const doc = { ...params, training: { ...params.training, activation: a } };
    assertEquals(paramsSchema.safeParse(doc).success, true, a);
  }
  const bad = { ...params, training: { ...params.training, activation: "gelu" } };
  assertEquals(paramsSchema.safeParse(bad).success, false);
});

Deno.test("paramsSchema gives an activation without a colour the table's colour", () => {
  const { tanh: _, ...colors } = params.style.colors;
  const doc = { ...params, style: { ...params.style, colors } };
  const parsed = paramsSchema.parse(doc);
  assertEquals(parsed.style.colors.tanh, ACTIVATION_TABLE.tanh.colour);
  assertEquals(parsed.style.colors.relu, params.style.colors.relu);
});
