import assert from "node:assert/strict";
import { join } from "node:path";
import type { Metrics } from "../../../stages/model/evaluation_format.ts";
import { run } from "../../../stages/stats/summarise.ts";

const metrics = (k: number): Metrics => ({
  fit_mse_f: k,
  fit_mse_g: k + 0.5,
  inv_mse_x: k / 10,
  inv_mse_y: k / 100,
  inv_mse_x_margin: k === 2 ? null : k * 3,
  inv_mse_y_margin: k * 4,
});

Deno.test("summarise writes one row per configuration in parameters-file order", async () => {
  const root = await Deno.makeTempDir();
  try {
    const configs = {
      lam1: {
        lambda: 1,
        mu: 1,
        activation: "relu" as const,
        layers: [30],
        group: "equal" as const,
      },
      "free-silu": {
        lambda: 0,
        mu: 0,
        activation: "silu" as const,
        layers: [30],
        group: "unconstrained" as const,
      },
      lam0p1: {
        lambda: 0.1,
        mu: 0.2,
        activation: "relu" as const,
        layers: [30],
        group: "fit" as const,
      },
    };
    const inputs: Record<string, string> = {};
    for (const [i, name] of Object.keys(configs).entries()) {
      inputs[name] = join(root, name);
      await Deno.mkdir(inputs[name]!);
      await Deno.writeTextFile(join(inputs[name]!, "metrics.json"), JSON.stringify(metrics(i + 1)));
    }
    const outDir = join(root, "out");
    await Deno.mkdir(outDir);
    await run({ params: { configs }, inputs, outDir, progress: () => {} });
    assert.equal(
      await Deno.readTextFile(join(outDir, "metrics.csv")),
      [
        "config,lambda,mu,activation,fit_mse_f,fit_mse_g,inv_mse_x,inv_mse_y,inv_mse_x_margin,inv_mse_y_margin",
        "lam1,1,1,relu,1,1.5,0.1,0.01,3,4",
        "free-silu,0,0,silu,2,2.5,0.2,0.02,,8",
        "lam0p1,0.1,0.2,relu,3,3.5,0.3,0.03,9,12",
        "",
      ].join("\n"),
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
