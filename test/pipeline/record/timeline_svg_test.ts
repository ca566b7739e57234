import assert from "node:assert/strict";
import { type Timeline, timelineSvg } from "../../../pipeline/record/mod.ts";

const base: Timeline = {
  started: "2024-05-01T12:00:00.000Z",
  seconds: 3,
  lanes: ["worker 1", "worker 2"],
  families: ["a", "b/*"],
  bars: [
    {
      stage: "a",
      family: "a",
      lane: "worker 1",
      start: 0,
      end: 1,
      status: "executed",
      critical: true,
    },
    {
      stage: "b/<x&y>",
      family: "b/*",
      lane: "worker 2",
      start: 0,
      end: 2,
      status: "failed",
      critical: false,
    },
    {
      stage: "b/z",
      family: "b/*",
      lane: "worker 1",
      start: 1,
      end: 3,
      status: "executed",
      critical: true,
    },
  ],
  critical: { stages: ["a", "b/z"], seconds: 3 },
  work: 5,
  cached: 4,
};

Deno.test("timelineSvg() draws what the timeline says", async (t) => {
  const svg = timelineSvg(base);
  await t.step("every bar once, its id escaped in its attributes and tooltip", () => {
    assert.equal([...svg.matchAll(/<g class="bar" /g)].length, 3);
    assert.match(svg, /data-stage="b\/&lt;x&amp;y&gt;"/);
    assert.match(
      svg,
      /<title>b\/&lt;x&amp;y&gt; \(worker 2\): 2 s, from 0 s to 2 s, failed<\/title>/,
    );
    assert.doesNotMatch(svg, /<x&y>/);
  });
  await t.step(
    "a failed stage's bar pale with a red outline; critical bars outlined in black",
    () => {
      const barOf = (id: string) =>
        new RegExp(`data-stage="${id}"[^]*?<rect ([^>]*)/>`).exec(svg)![1]!;
      assert.match(barOf("b/&lt;x&amp;y&gt;"), /fill-opacity="0.4" stroke="#c62828"/);
      assert.match(barOf("a"), /stroke="#111"/);
    },
  );
  await t.step("the critical path joined from bar to bar, and said in the header", () => {
    const line = /<polyline points="([^"]*)"[^>]*class="critical-path"/.exec(svg);
    assert.equal(line?.[1]?.split(" ").length, 4);
    assert.match(svg, /critical path 3 s: a → b\/z/);
    assert.match(svg, /3 s wall, 5 s of work in 3 stages on 2 lanes \(4 cached\)/);
  });
  await t.step("one legend entry per family, with its count", () => {
    assert.match(svg, />a \(1\)</);
    assert.match(svg, />b\/\* \(2\)</);
  });
});
