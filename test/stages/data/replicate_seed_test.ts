import assert from "node:assert/strict";
import { replicateSeed } from "../../../stages/data/random.ts";
import { initialParameters } from "../../../stages/model/train.ts";
import { declareStages } from "../../../stages/pipeline.ts";
import { paramsSchema } from "../../../stages/params_schema.ts";

const shipped = paramsSchema.parse(
  JSON.parse(await Deno.readTextFile(new URL("../../../params.json", import.meta.url))),
);

Deno.test("replicateSeed() keeps draw 0 as it was: replicate i trains with training.seed + i", () => {
  assert.equal(replicateSeed(0, 0, 0), 0, "the post's run");
  assert.equal(replicateSeed(7, 3, 0), 10);
  assert.notEqual(replicateSeed(0, 3, 1), replicateSeed(0, 3, 0));
});

Deno.test("no two runs of one row share initial weights: each (seed, draw) pair starts its own", () => {
  // Every train stage of lam100 as params.json declares it, read back to its seed and draw.
  const stages = declareStages(shipped).filter((d) => d.id.startsWith("train/lam100/"));
  assert.equal(stages.length, shipped.replicates.seeds * shipped.replicates.draws);
  const initial = stages.map((d) => {
    const value = (name: string) => (d.params[name] as { value: number }).value;
    const seed = replicateSeed(shipped.training.seed, value("replicate"), value("draw"));
    return initialParameters({
      training: { ...shipped.training, seed },
      lambda: 100,
      mu: 100,
      layers: [30, 30],
      activation: "relu",
    }).values.join(",");
  });
  assert.equal(new Set(initial).size, initial.length, "some runs start from the same weights");
});
