/**
 * `deno task compare --set training.epochs=…` on a tiny reproduction: exactly the training stages
 * change, for the parameter named; the page shows metric changes, verdicts and changed figures
 * side by side, and loads every image in headless Chromium from `file://`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { metricDeltas } from "../../../stages/report/compare_page.ts";
import { runChromium } from "./_chromium.ts";
import { tinyParams, tinyProject } from "./_tiny.ts";

Deno.test("compare --set training.epochs lists the training stages with the parameter, and its page loads in Chromium", async () => {
  const p = await tinyProject(await tinyParams(["lam1", "free-relu"]));
  try {
    assert.equal((await p.run("reproduce")).code, 0);
    const r = await p.run("compare", "--set", "training.epochs=6", "--json");
    assert.equal(r.code, 0, r.err);
    const done = r.out.split("\n").filter((l) => l !== "").map((l) => JSON.parse(l))
      .find((e) => e.kind === "compare");
    const param = done.stages.filter((s: { changes: { kind: string }[] }) =>
      s.changes.some((c) => c.kind === "param")
    );
    // A search's trials train for their rungs' epochs, not training.epochs: they stay.
    const trains = (await p.run("dag", "--all")).out.split("\n")
      .map((l) => l.split(" ")[0]!).filter((id) =>
        id.startsWith("train/") && !id.startsWith("train/search-")
      );
    assert.deepEqual(
      param.map((s: { id: string }) => s.id).filter((id: string) => id.startsWith("train/")).sort(),
      trains.sort(),
    );
    for (const s of param.filter((s: { id: string }) => s.id.startsWith("train/"))) {
      assert.deepEqual(s.changes, [
        { kind: "param", path: "training.epochs", before: 3, after: 6 },
      ]);
    }
    assert.equal(done.page, "artifacts/compare/index.html");
    assert.ok(done.lines.some((l: string) => l.startsWith("Metric changes whose 95 % interval")));

    // Every image of the page (the changed figures, both sides) loads from file://.
    const page = join(p.root, "artifacts", "compare", "index.html");
    const html = await Deno.readTextFile(page);
    const check =
      `<script>addEventListener("load", () => { const out = document.createElement("pre");
out.id = "image-check"; out.textContent = JSON.stringify([...document.images].map((i) => [i.getAttribute("src"), i.naturalWidth]));
document.body.append(out); });</script>`;
    const probe = join(p.root, "artifacts", "compare", "probe.html");
    await Deno.writeTextFile(probe, html.replace("</body>", `${check}\n</body>`));
    const dom = await runChromium(
      join(p.root, "profile"),
      ["--virtual-time-budget=10000", "--dump-dom"],
      `file://${probe}`,
    );
    const images: [string, number][] = JSON.parse(
      /<pre id="image-check">(.*?)<\/pre>/s.exec(dom)![1]!.replaceAll("&lt;", "<")
        .replaceAll("&gt;", ">").replaceAll("&amp;", "&"),
    );
    assert.ok(images.length >= 2 && images.length % 2 === 0, `${images.length} images`);
    for (const [src, width] of images) assert.ok(width > 0, `${src} did not load`);
    assert.ok(images.some(([src]) => src === "current/figures/lam1/fit.svg"));
    assert.ok(images.some(([src]) => src === "variant/figures/lam1/fit.svg"));
  } finally {
    await p.dispose();
  }
});

Deno.test("metricDeltas() pairs runs by row, seed and draw and gives the change an interval", () => {
  const run = (id: string, seed: number, draw: number, fit: number) =>
    ({
      id,
      lambda: 1,
      mu: 1,
      activation: "relu",
      seed,
      draw,
      metrics: { fit_mse_f: fit, fit_mse_g: 0, inv_mse_x: 0.1, inv_mse_y: 0 },
    }) as never;
  const current = [run("a", 0, 0, 1), run("a", 1, 0, 5), run("a", 2, 0, 9)];
  // Each run's fit rises by exactly 0.5: the seed-to-seed spread cancels in the pairs.
  const variant = [run("a", 2, 0, 9.5), run("a", 0, 0, 1.5), run("a", 1, 0, 5.5)];
  const [fit, inv] = metricDeltas(current, variant);
  assert.equal(fit!.metric, "fit");
  assert.equal(fit!.pairs, 3);
  assert.ok(Math.abs(fit!.delta - 0.5) < 1e-12);
  assert.ok(Math.abs(fit!.ci![0] - 0.5) < 1e-12 && Math.abs(fit!.ci![1] - 0.5) < 1e-12);
  assert.equal(inv!.delta, 0);
});
