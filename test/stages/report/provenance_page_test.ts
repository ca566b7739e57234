/**
 * The index page of a real (tiny) reproduction, opened from `file://` in headless Chromium: every
 * image and table has a provenance panel, each panel is filled from `provenance.js`, and the key
 * it shows is a result in `.psinv/` holding exactly the file the panel is about; the run's
 * timeline loads.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { sha256 } from "../../../pipeline/core/hash.ts";
import { entryDir, psinvDir } from "../../../pipeline/core/layout.ts";
import { loadedImages, runChromium } from "./_chromium.ts";
import { tinyParams, tinyProject } from "./_tiny.ts";

/** The page after its scripts ran, as Chromium's DOM dump. */
async function loadedPage(root: string): Promise<string> {
  return await runChromium(
    join(root, "profile"),
    ["--virtual-time-budget=10000", "--dump-dom"],
    `file://${join(root, "artifacts", "index.html")}`,
  );
}

Deno.test("index.html of a reproduction shows, per image and table, the stage key stored in .psinv/", async () => {
  const p = await tinyProject(await tinyParams(["lam1", "free-relu"]));
  const root = p.root;
  try {
    const { code, err } = await p.run("reproduce");
    assert.equal(code, 0, err);
    const dom = await loadedPage(root);
    const panels = [...dom.matchAll(/<details class="provenance" ([^>]*)>/g)].map((m) => {
      const attr = (name: string) => new RegExp(`data-${name}="([^"]*)"`).exec(m[1]!)?.[1];
      return { artifact: attr("artifact")!, key: attr("key"), stage: attr("stage") };
    });
    // Each <img> of a result and each <table> (but those inside the panels) is followed by its
    // panel; the engine's timeline (`<img id="timeline" …>`) is no stage's result and has none.
    const shown = [...dom.matchAll(/<img src="([^"]+)"|<table class="(claims|metrics)"/g)].map(
      (m) => m[1] ?? (m[2] === "claims" ? "claims.json" : "metrics.csv"),
    );
    assert.ok(shown.length > 10, `${shown.length} images and tables`);
    const named = new Set(panels.map((p) => p.artifact));
    for (const s of shown) assert.ok(named.has(s), `${s} has no provenance panel`);

    for (const p of panels) {
      assert.ok(p.key !== undefined, `the panel of ${p.artifact} was not filled`);
      const manifest = JSON.parse(
        await Deno.readTextFile(join(entryDir(psinvDir(root), p.key), "manifest.json")),
      );
      const bytes = await Deno.readFile(join(root, "artifacts", p.artifact));
      const hash = await sha256(bytes);
      const files = Object.values(manifest.files as Record<string, { hash: string }>);
      assert.ok(
        files.some((f) => f.hash === hash),
        `${p.artifact}: result ${p.key.slice(0, 12)} of ${p.stage} does not hold this file`,
      );
    }
    // The run's timeline, drawn after the report was written, loads in the page.
    const images = await loadedImages(join(root, "artifacts"), join(root, "profile"));
    const timeline = images.filter(([src]) => src === "timeline.svg");
    assert.equal(timeline.length, 1, JSON.stringify(images.map(([src]) => src)));
    assert.ok(timeline[0]![1] > 0, "timeline.svg did not load");
  } finally {
    await p.dispose();
  }
});
