import assert from "node:assert/strict";
import { type ModuleGraph, parseDenoInfo } from "../../../pipeline/key/deno_info.ts";

/** A `code` edge as `deno info --json` prints it (the span is not read). */
function code(specifier: string, resolved = specifier) {
  return {
    specifier,
    code: {
      specifier: resolved,
      span: { start: { line: 0, character: 18 }, end: { line: 0, character: 30 } },
    },
  };
}

/** A type-only edge (`import type`): it has `type` and no `code`. */
function typeOnly(specifier: string, resolved: string) {
  return {
    specifier,
    type: {
      specifier: resolved,
      resolutionMode: "import",
      span: { start: { line: 1, character: 23 }, end: { line: 1, character: 31 } },
    },
  };
}

/** A local ES module under `/p`. */
function esm(path: string, dependencies: unknown[] = [], mediaType = "TypeScript") {
  return {
    kind: "esm",
    dependencies,
    local: `/p/${path}`,
    size: 100,
    mediaType,
    specifier: `file:///p/${path}`,
  };
}

function parsed(doc: unknown): ModuleGraph {
  const graph = parseDenoInfo(JSON.stringify(doc, null, 2));
  if (!graph.ok) throw new Error(`expected a graph, got: ${graph.error}`);
  return graph.value;
}

Deno.test("parseDenoInfo() lists the local modules the root loads, with path and media type", () => {
  const graph = parsed({
    version: 1,
    roots: ["file:///p/main.ts"],
    modules: [
      esm("lib/util.ts"),
      esm("main.ts", [code("./lib/util.ts", "file:///p/lib/util.ts")]),
    ],
    redirects: {},
    npmPackages: {},
  });
  assert.deepEqual(graph, {
    local: [
      { specifier: "file:///p/lib/util.ts", path: "/p/lib/util.ts", mediaType: "TypeScript" },
      { specifier: "file:///p/main.ts", path: "/p/main.ts", mediaType: "TypeScript" },
    ],
    remote: [],
    npm: {},
  });
});

Deno.test("parseDenoInfo() leaves out modules reached only through type-only imports", () => {
  const graph = parsed({
    version: 1,
    roots: ["file:///p/main.ts"],
    modules: [
      esm("main.ts", [
        code("./run.ts", "file:///p/run.ts"),
        typeOnly("./types.ts", "file:///p/types.ts"),
      ]),
      esm("run.ts", [typeOnly("./types.ts", "file:///p/types.ts")]),
      esm("types.ts", [code("./heavy.ts", "file:///p/heavy.ts")]),
      esm("heavy.ts"),
      esm("unrelated.ts"),
    ],
    redirects: {},
    npmPackages: {},
  });
  assert.deepEqual(graph.local.map((m) => m.path), ["/p/main.ts", "/p/run.ts"]);
});

Deno.test("parseDenoInfo() takes every module when deno info names no root", () => {
  const graph = parsed({ modules: [esm("a.ts"), esm("b.ts")] });
  assert.deepEqual(graph.local.map((m) => m.path), ["/p/a.ts", "/p/b.ts"]);
});

Deno.test("parseDenoInfo() keeps a JSON module as a local module with its media type", () => {
  const graph = parsed({
    version: 1,
    roots: ["file:///p/main.ts"],
    modules: [
      {
        kind: "asserted",
        specifier: "file:///p/d.json",
        local: "/p/d.json",
        size: 8,
        mediaType: "Json",
      },
      esm("main.ts", [{ ...code("./d.json", "file:///p/d.json"), assertionType: "json" }]),
    ],
    redirects: {},
    npmPackages: {},
  });
  assert.deepEqual(graph.local[0], {
    specifier: "file:///p/d.json",
    path: "/p/d.json",
    mediaType: "Json",
  });
});

Deno.test("parseDenoInfo() lists remote modules by URL with their cached copy, following redirects", () => {
  const remote = "https://example.com/lib@1.0.0/mod.ts";
  const graph = parsed({
    version: 1,
    roots: ["file:///p/main.ts"],
    modules: [
      {
        kind: "esm",
        local: "/cache/remote/https/example.com/3f2a",
        size: 40,
        mediaType: "TypeScript",
        specifier: remote,
      },
      esm("main.ts", [
        code("https://example.com/lib/mod.ts"),
        code("node:fs"),
      ]),
      { kind: "node", specifier: "node:fs", moduleName: "fs" },
    ],
    redirects: { "https://example.com/lib/mod.ts": remote },
    npmPackages: {},
  });
  assert.deepEqual(graph.remote, [
    { specifier: remote, path: "/cache/remote/https/example.com/3f2a", mediaType: "TypeScript" },
  ]);
  assert.deepEqual(graph.local.map((m) => m.path), ["/p/main.ts"], "node:fs is no file");
});

Deno.test("parseDenoInfo() resolves npm packages to their versions, transitively", () => {
  const graph = parsed({
    version: 1,
    roots: ["file:///p/main.ts"],
    modules: [
      esm("main.ts", [{ ...code("npm:vega@6.4.0"), npmPackage: "vega@6.4.0" }]),
      { kind: "npm", specifier: "npm:/vega@6.4.0", npmPackage: "vega@6.4.0" },
    ],
    redirects: { "npm:vega@6.4.0": "npm:/vega@6.4.0" },
    npmPackages: {
      "vega@6.4.0": {
        name: "vega",
        version: "6.4.0",
        dependencies: ["d3-dsv@3.0.1"],
        registryUrl: "https://registry.npmjs.org/",
        localPath: "/cache/npm/registry.npmjs.org/vega/6.4.0",
      },
      "d3-dsv@3.0.1": { name: "d3-dsv", version: "3.0.1", dependencies: [] },
      "unreached@1.0.0": { name: "unreached", version: "1.0.0", dependencies: [] },
    },
  });
  assert.deepEqual(graph.npm, { "d3-dsv": "3.0.1", vega: "6.4.0" });
  assert.deepEqual(graph.local.map((m) => m.path), ["/p/main.ts"]);
  assert.deepEqual(graph.remote, []);
});

Deno.test("parseDenoInfo() joins several versions of one package sorted, once each, names sorted", () => {
  const graph = parsed({
    roots: ["file:///p/main.ts"],
    modules: [
      esm("main.ts", [
        { ...code("npm:zed@1.0.0", "npm:/zed@1.0.0"), npmPackage: "zed@1.0.0" },
        { ...code("npm:alpha@1.0.0", "npm:/alpha@1.0.0"), npmPackage: "alpha@1.0.0" },
      ]),
      { kind: "npm", specifier: "npm:/zed@1.0.0", npmPackage: "zed@1.0.0" },
      { kind: "npm", specifier: "npm:/alpha@1.0.0", npmPackage: "alpha@1.0.0" },
    ],
    npmPackages: {
      "zed@1.0.0": { name: "zed", version: "1.0.0", dependencies: ["shared@2.0.0_peer@1.0.0"] },
      "alpha@1.0.0": {
        name: "alpha",
        version: "1.0.0",
        dependencies: ["shared@10.0.0", "shared@2.0.0_peer@1.0.0"],
      },
      "shared@2.0.0_peer@1.0.0": { name: "shared", version: "2.0.0", dependencies: [] },
      "shared@10.0.0": { name: "shared", version: "10.0.0", dependencies: [] },
    },
  });
  assert.deepEqual(Object.keys(graph.npm), ["alpha", "shared", "zed"]);
  assert.equal(graph.npm["shared"], "10.0.0,2.0.0");
});

Deno.test("parseDenoInfo() names an npm package missing from the package table by its id", () => {
  const npm = (id: string) => ({ kind: "npm", specifier: `npm:/${id}`, npmPackage: id });
  const graph = parsed({
    roots: ["file:///p/main.ts"],
    modules: [
      esm("main.ts", [
        code("npm:@scope/pkg@1.2.3", "npm:/@scope/pkg@1.2.3"),
        code("npm:bare", "npm:/bare"),
      ]),
      npm("@scope/pkg@1.2.3"),
      npm("bare"),
    ],
    npmPackages: {},
  });
  assert.deepEqual(graph.npm, { "@scope/pkg": "1.2.3", bare: "?" });
});

Deno.test("parseDenoInfo() fails with the message of a module that could not be loaded", () => {
  const graph = parseDenoInfo(JSON.stringify({
    version: 1,
    roots: ["file:///p/main.ts"],
    modules: [
      esm("main.ts", [code("./missing.ts", "file:///p/missing.ts")]),
      {
        specifier: "file:///p/missing.ts",
        error: 'Module not found "file:///p/missing.ts".',
      },
    ],
    redirects: {},
    npmPackages: {},
  }));
  assert.deepEqual(graph, { ok: false, error: 'Module not found "file:///p/missing.ts".' });
});

Deno.test("parseDenoInfo() fails on output that is not a deno info document", async (t) => {
  await t.step("not JSON: the parser's message", () => {
    const graph = parseDenoInfo("error: something went wrong");
    assert.equal(graph.ok, false);
    assert.ok(!graph.ok && /JSON/.test(graph.error), JSON.stringify(graph));
  });
  for (const text of ["{}", "null", '{"modules": {}}', "[]"]) {
    await t.step(`${text}: no module list`, () => {
      assert.deepEqual(parseDenoInfo(text), { ok: false, error: "deno info gave no module list" });
    });
  }
});
