/**
 * Synthetic inputs for the render stages, in the formats the earlier stages write, and helpers
 * to run the render stages into an `artifacts/`-shaped folder. Small (40 points) so that tests
 * stay fast and snapshots stay readable.
 *
 * @module
 */
import { join } from "node:path";
import type { StageContext } from "../../../pipeline/core/stage.ts";
import type { ConfigParams, StyleParams } from "../../../stages/params_schema.ts";
import params from "../../../params.json" with { type: "json" };

/** The style of params.json, typed. */
export const STYLE: StyleParams = params.style as StyleParams;

/** A few configurations covering every group kind the figures name differently. */
export const CONFIGS: Readonly<Record<string, ConfigParams>> = {
  lam1: { lambda: 1, mu: 1, activation: "relu", group: "equal" },
  "lam0p1": { lambda: 0.1, mu: 0.1, activation: "relu", group: "fit" },
  "free-silu": { lambda: 0, mu: 0, activation: "silu", group: "unconstrained" },
};

/** Number of data points in the fixture. */
export const N = 40;

/** Epochs in the fixture's history. */
export const EPOCHS = 30;

/** A deterministic stream of numbers in [0, 1) (Park–Miller). */
function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
}

const h = (x: number): number => Math.tanh(1.5 * x) * 1.3 + 0.2 * x;
const f = (x: number): number => 1.1 * Math.tanh(1.2 * x) + 0.1 * x;
const g = (y: number): number => 0.9 * y + 0.2 * Math.sin(2 * y);

const csv = (header: string, rows: readonly (readonly (string | number)[])[]): string =>
  `${header}\n${rows.map((r) => r.map(String).join(",")).join("\n")}\n`;

/** Writes the inputs of every render stage into `dir`; returns each input folder. */
export async function writeInputs(dir: string): Promise<{
  data: string;
  model: string;
  evaluation: string;
  metrics: string;
}> {
  const folders = {
    data: join(dir, "generate"),
    model: join(dir, "train"),
    evaluation: join(dir, "evaluate"),
    metrics: join(dir, "summarise"),
  };
  await Promise.all(Object.values(folders).map((d) => Deno.mkdir(d, { recursive: true })));
  const rnd = lcg(7);
  const points = Array.from({ length: N }, () => {
    const x = (rnd() * 2 - 1) * 1.7;
    return [x, h(x + (rnd() - 0.5) * 0.4)] as const;
  });
  const curve = Array.from({ length: 25 }, (_, i) => {
    const x = -1.7 + (3.4 * i) / 24;
    return [x, h(x)] as const;
  });
  await Deno.writeTextFile(join(folders.data, "points.csv"), csv("x,y", points));
  await Deno.writeTextFile(join(folders.data, "curve.csv"), csv("x,y", curve));

  const history = Array.from({ length: EPOCHS }, (_, i) => {
    const e = i + 1;
    const terms = [
      0.1 + Math.exp(-e / 8),
      0.15 + Math.exp(-e / 6),
      0.02 + Math.exp(-e / 4) / 2,
      0.03 + Math.exp(-e / 5) / 2,
    ];
    return [e, ...terms, terms.reduce((a, b) => a + b, 0)];
  });
  await Deno.writeTextFile(
    join(folders.model, "history.csv"),
    csv("epoch,fit_f,fit_g,cyc_y,cyc_x,total", history),
  );

  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const grid = (lo: number, hi: number) =>
    Array.from({ length: 41 }, (_, i) => lo - 0.5 + ((hi - lo + 1) * i) / 40).map((v) => ({
      v,
      region: v < lo || v > hi ? "margin" : "data",
    }));
  const fCurve = grid(Math.min(...xs), Math.max(...xs)).map(({ v, region }) =>
    [v, f(v), g(f(v)), region] as const
  );
  const gCurve = grid(Math.min(...ys), Math.max(...ys)).map(({ v, region }) =>
    [v, g(v), f(g(v)), region] as const
  );
  await Deno.writeTextFile(
    join(folders.evaluation, "f_curve.csv"),
    csv("x,f,g_of_f,region", fCurve),
  );
  await Deno.writeTextFile(
    join(folders.evaluation, "g_curve.csv"),
    csv("y,g,f_of_g,region", gCurve),
  );

  const metrics = Object.entries(CONFIGS).map(([name, c], i) => [
    name,
    c.lambda,
    c.mu,
    c.activation,
    0.05 * (i + 1),
    0.06 * (i + 1),
    0.2 / (i + 1) ** 2,
    0.25 / (i + 1) ** 2,
    1.5 / (i + 1),
    2 / (i + 1),
  ]);
  await Deno.writeTextFile(
    join(folders.metrics, "metrics.csv"),
    csv(
      "config,lambda,mu,activation,fit_mse_f,fit_mse_g,inv_mse_x,inv_mse_y,inv_mse_x_margin," +
        "inv_mse_y_margin",
      metrics,
    ),
  );
  return folders;
}

/** A stage context as the engine would build it (progress ignored). */
export function context<P>(
  params: P,
  inputs: Readonly<Record<string, string>>,
  outDir: string,
): StageContext<P> {
  return { params, inputs, outDir, progress: () => {} };
}

/**
 * Runs every render stage on the fixture inputs and lays their outputs out as the engine
 * publishes them (`figures/...`, `index.html`) under `artifacts`.
 */
export async function buildArtifacts(scratch: string, artifacts: string): Promise<void> {
  const { run: renderData } = await import("../../../stages/figures/render_data.ts");
  const { run: renderConfig } = await import("../../../stages/figures/render_config.ts");
  const { run: renderSummary } = await import("../../../stages/figures/render_summary.ts");
  const inputs = await writeInputs(scratch);
  const figures = join(artifacts, "figures");
  await Deno.mkdir(figures, { recursive: true });
  await renderData(context({ style: STYLE }, { data: inputs.data }, figures));
  for (const [name, config] of Object.entries(CONFIGS)) {
    const out = join(figures, name);
    await Deno.mkdir(out, { recursive: true });
    await renderConfig(context({ config, style: STYLE }, inputs, out));
  }
  await renderSummary(context({ configs: CONFIGS, style: STYLE }, inputs, figures));
  // The engine publishes index.html at the root of artifacts/, the rest under figures/.
  await Deno.rename(join(figures, "index.html"), join(artifacts, "index.html"));
}
