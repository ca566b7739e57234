import assert from "node:assert/strict";
import { join } from "node:path";
import { timeline } from "../../../pipeline/record/mod.ts";
import type { RunReport, StageReport } from "../../../pipeline/record/mod.ts";
import { artifactsDir, timelineSvgFile } from "../../../pipeline/core/layout.ts";
import { toyProject } from "../../testdata/toy/harness.ts";
import { toyStages } from "../../testdata/toy/pipeline.ts";

const T0 = Date.parse("2024-05-01T12:00:00.000Z");
const iso = (s: number): string => new Date(T0 + s * 1000).toISOString();

/** A stage of a made-up run: executed on `lane` from `from` to `to` seconds, or cached. */
function stage(id: string, lane: string | null, from = 0, to = 0): StageReport {
  return {
    id,
    status: lane === null ? "cached" : "executed",
    key: id,
    seconds: to - from,
    started: iso(from),
    finished: iso(to),
    ...(lane === null ? {} : { execution: { lane, started: iso(from), finished: iso(to) } }),
  };
}

const report = (seconds: number, stages: StageReport[]): RunReport => ({
  started: iso(0),
  seconds,
  stages,
});

Deno.test("timeline() marks the chain whose executed durations add up to the most", async (t) => {
  // a → b (4 s) → e and a → c (1 s) → d (3.5 s) → e: the chain through c is the longer one,
  // though e's longest input is b.
  const edges: Record<string, string[]> = { b: ["a"], c: ["a"], d: ["c"], e: ["b", "d"] };
  const inputs = (id: string) => edges[id] ?? [];
  await t.step("through a short stage to a long one", () => {
    const tl = timeline(
      report(6.5, [
        stage("a", "worker 1", 0, 1),
        stage("b", "worker 1", 1, 5),
        stage("c", "worker 2", 1, 2),
        stage("d", "worker 2", 2, 5.5),
        stage("e", "worker 1", 5.5, 6.5),
      ]),
      inputs,
    );
    assert.deepEqual(tl.critical, { stages: ["a", "c", "d", "e"], seconds: 6.5 });
    assert.deepEqual(tl.bars.filter((b) => b.critical).map((b) => b.stage), ["a", "c", "d", "e"]);
    assert.equal(tl.work, 10.5);
  });
  await t.step("a cached stage counts nothing and is left out of the chain and the bars", () => {
    const tl = timeline(
      report(6, [
        stage("a", null),
        stage("b", "worker 1", 0, 3),
        stage("c", "worker 2", 0, 1),
        stage("d", "worker 2", 1, 2),
        stage("e", "worker 1", 3, 6),
      ]),
      inputs,
    );
    assert.deepEqual(tl.critical, { stages: ["b", "e"], seconds: 6 });
    assert.equal(tl.cached, 1);
    assert.deepEqual(tl.bars.map((b) => b.stage), ["b", "c", "d", "e"]);
  });
});

Deno.test("timeline() lays out lanes in natural order and families by first start", () => {
  const tl = timeline(
    report(3, [
      stage("train/a", "worker 10", 0, 2),
      stage("train/b", "worker 2", 0, 1),
      stage("data", "worker 1", 0.5, 1),
      stage("report", "worker 2", 2, 3),
    ]),
    () => [],
  );
  assert.deepEqual(tl.lanes, ["worker 1", "worker 2", "worker 10"]);
  assert.deepEqual(tl.families, ["train/*", "data", "report"]);
});

Deno.test("timeline() puts stages whose executor named no lane on `other` lanes that never overlap", () => {
  const bare = (id: string, from: number, to: number): StageReport => {
    const { execution: _, ...s } = stage(id, "x", from, to);
    return s;
  };
  const tl = timeline(report(4, [bare("a", 0, 2), bare("b", 1, 3), bare("c", 2, 4)]), () => []);
  assert.deepEqual(tl.bars.map((b) => [b.stage, b.lane]), [
    ["a", "other 1"],
    ["b", "other 2"],
    ["c", "other 1"],
  ]);
});

/** The bars of a timeline.svg, as its attributes say. */
function barsOf(svg: string) {
  return [...svg.matchAll(/<g class="bar" ([^>]*)>/g)].map((m) => {
    const attr = (name: string) => new RegExp(`data-${name}="([^"]*)"`).exec(m[1]!)?.[1];
    return {
      stage: attr("stage")!,
      lane: attr("lane")!,
      start: Number(attr("start")),
      end: Number(attr("end")),
      critical: attr("critical") === "true",
    };
  });
}

Deno.test("reproduce draws timeline.svg: a bar per executed stage, lanes that never overlap, the longest chain marked", async () => {
  await using p = await toyProject();
  // busy/one alone outlasts every chain of the toy (source → step → total, flaky → after).
  await p.editParams((doc) => {
    doc.busy = { one: 900, two: 300 };
    doc.configs = Object.fromEntries([..."abcdef"].map((c, i) => [c, { k: i }]));
  });
  const first = await p.run("reproduce", "--jobs", "2");
  assert.equal(first.code, 0, first.err);
  const path = timelineSvgFile(artifactsDir(p.root));
  const bars = barsOf(await Deno.readTextFile(path));
  const run = await p.report();
  const executed = run.stages.filter((s) => s.status === "executed").map((s) => s.id);
  assert.deepEqual(bars.map((b) => b.stage).sort(), executed.sort());
  assert.equal(new Set(bars.map((b) => b.lane)).size, 2);
  for (const lane of new Set(bars.map((b) => b.lane))) {
    const on = bars.filter((b) => b.lane === lane).sort((a, b) => a.start - b.start);
    for (let i = 1; i < on.length; i++) {
      assert.ok(on[i]!.start >= on[i - 1]!.end, `${on[i - 1]!.stage} and ${on[i]!.stage} overlap`);
    }
  }
  // Every chain's bars add up to at most the marked one's.
  const took = new Map(bars.map((b) => [b.stage, b.end - b.start]));
  const decls = toyStages(JSON.parse(await Deno.readTextFile(join(p.root, "params.json"))));
  const longest = new Map<string, number>();
  for (const d of decls) {
    const ups = Object.values(d.inputs).map((i) => longest.get(i)!);
    longest.set(d.id, (took.get(d.id) ?? 0) + Math.max(0, ...ups));
  }
  const critical = bars.filter((b) => b.critical);
  assert.deepEqual(critical.map((b) => b.stage), ["busy/one"]);
  assert.ok(Math.max(...longest.values()) <= took.get("busy/one")! + 1e-9);

  // A warm rerun executes nothing: no bars, and the header says what was cached.
  const warm = await p.run("reproduce");
  assert.equal(warm.code, 0, warm.err);
  const svg = await Deno.readTextFile(path);
  assert.deepEqual(barsOf(svg), []);
  assert.match(svg, new RegExp(`\\(${executed.length} cached\\)`));
});
