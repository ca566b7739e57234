import assert from "node:assert/strict";
import fc from "fast-check";
import {
  loadTypeScript,
  type SourceLanguage,
  syntaxStream,
  TOKEN_FORMAT,
  tokenHash,
  type TypeScriptApi,
} from "../../../pipeline/key/token_hash.ts";

const ts = await loadTypeScript();
const hash = (source: string, language: SourceLanguage = "ts") => tokenHash(ts, source, language);
const root = new URL("../../../", import.meta.url);

/** Asserts each pair hashes equal (`same`) or different, naming the pair that does not. */
async function pairs(same: boolean, cases: readonly (readonly [string, string])[]) {
  for (const [a, b] of cases) {
    assert.equal(
      await hash(a) === await hash(b),
      same,
      `${JSON.stringify(a)} vs ${JSON.stringify(b)}`,
    );
  }
}

/** Every `.ts` file under the given folders of the repo, relative to its root. */
async function repoFiles(...dirs: string[]): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string) => {
    for await (const e of Deno.readDir(new URL(dir, root))) {
      const path = `${dir}/${e.name}`;
      if (e.isDirectory) await walk(path);
      else if (e.name.endsWith(".ts")) out.push(path);
    }
  };
  for (const d of dirs) await walk(d);
  return out.sort();
}

Deno.test("tokenHash() ignores comments, whitespace and formatting", async (t) => {
  await t.step("in hand-made cases", () =>
    pairs(true, [
      ["const a = 1 // one\n", "/** doc */ const a = 1;"],
      ["f(a,b,)", "f(\n  a,\n  b,\n);"],
      ["const f = x => x+1", "const f = (x) => x + 1;"],
      ["if (a) { b() }", "if (a) b();"],
      ["for (const x of y) { f(x) }", "for (const x of y) f(x);"],
      ["const r = ( (a) ), v = !(a)", "const r = a, v = !a;"],
      ["class C { m(){}; }", "class C {\n  m() {}\n}"],
      ["let s = 'it\\'s'", 'let s = "it\'s";'],
      ["let n = 0x10, m = 1_000", "let n = 16, m = 1000;"],
      ["function f(){};", "function f() {}"],
      ["const arr = [ , 1, , ]", "const arr = [, 1, ,];"],
      ["export { a, b, }", "export { a, b };"],
    ]));

  await t.step(
    "when every module of the repo is reprinted without comments, then `deno fmt`ed",
    async () => {
      const files = await repoFiles("pipeline", "stages", "test");
      const dir = await Deno.makeTempDir({ prefix: "psinv_token_hash_" });
      try {
        const printer = ts.createPrinter({ removeComments: true });
        for (const [i, f] of files.entries()) {
          const source = await Deno.readTextFile(new URL(f, root));
          const sf = ts.createSourceFile(f, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
          const printed = printer.printFile(sf);
          assert.notEqual(printed, source);
          assert.equal(await hash(printed), await hash(source), `${f}, reprinted`);
          await Deno.writeTextFile(`${dir}/${i}.ts`, printed);
        }
        const fmt = await new Deno.Command(Deno.execPath(), {
          args: ["fmt", "--no-config", dir],
          stdout: "null",
          stderr: "piped",
        }).output();
        assert.ok(fmt.success, new TextDecoder().decode(fmt.stderr));
        for (const [i, f] of files.entries()) {
          const source = await Deno.readTextFile(new URL(f, root));
          const formatted = await Deno.readTextFile(`${dir}/${i}.ts`);
          assert.equal(await hash(formatted), await hash(source), `${f}, reprinted and formatted`);
        }
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },
  );
});

Deno.test("tokenHash() tells apart programs that differ only where a newline matters", () =>
  pairs(false, [
    ["function f() { return\nx }", "function f() { return x }"],
    ["a\n++b", "a++\nb"],
    ["let x = a\n(b)", "let x = a;\n(b)"],
    ["let x = a\n[1]", "let x = a;\n[1]"],
    ["let x = a\n`t`", "let x = a;\n`t`"],
    ["a = b\n/c/g.test(d)", "a = b;\n/c/g.test(d)"],
    ["async\nfunction f() {}", "async function f() {}"],
    ["l: for (;;) { break\nl }", "l: for (;;) { break l }"],
    ["function* g() { yield\nx }", "function* g() { yield x }"],
    ["declare\nconst x = 1", "declare const x = 1"],
    ["type\nT = 1", "type T = 1"],
  ]));

Deno.test("tokenHash() keeps what parentheses, braces and literals mean", async (t) => {
  await t.step("grouping, optional chains, blocks that scope, directives", () =>
    pairs(false, [
      ["(a + b) * c", "a + b * c"],
      ["(a?.b).c", "a?.b.c"],
      ["(a?.b)()", "a?.b()"],
      ["(0, o.f)()", "o.f()"],
      ["if (a) { let x = 1 }", "if (a) let\nx = 1"],
      ["if (a) { if (b) c() } else d()", "if (a) if (b) c(); else d()"],
      ['"use strict"', '("use strict")'],
      ['"use strict"', '"use\\x20strict"'],
      ["[a,,]", "[a,]"],
    ]));
  await t.step("literal values and raw template text", () =>
    pairs(false, [
      ["f('a')", "f('b')"],
      ["f(1)", "f(1.5)"],
      ["f(10n)", "f(11n)"],
      ["String.raw`\\x61`", "String.raw`a`"],
      ["/a/g", "/a/i"],
      ["`a${b}c`", "`a${b} c`"],
      ["o.#x", "o.#y"],
    ]));
});

Deno.test("tokenHash() erases type-only syntax and nothing else", async (t) => {
  await t.step(
    "annotations, type declarations' bodies, assertions and signatures are erased",
    () =>
      pairs(true, [
        ["let n: number = 1", "let n = 1"],
        ["function f<T>(x: T, this: W): T { return x }", "function f(x) { return x }"],
        ["f<string>(x as unknown as Y)!", "f(x)"],
        ["const v = x satisfies T", "const v = x"],
        ["interface I { a: number }", "interface I { b: string; c(): void }"],
        ["type A = string", "type A = number | null"],
        ['import type { A } from "./a.ts"; x()', "x()"],
        ['export type { A } from "./a.ts"; x()', "x()"],
        [
          "class C implements I { declare d: D; [k: string]: V; m(): void; m() {} }",
          "class C { m() {} }",
        ],
        ["class C<T> extends B<T> {}", "class C extends B {}"],
        ["declare const g: number; g", "declare const g: string; g"],
      ]),
  );
  await t.step("runtime syntax, and types a decorator may emit, are kept", () =>
    pairs(false, [
      ["class C { constructor(private x: number) {} }", "class C { constructor(x: number) {} }"],
      ["class C { x: number }", "class C {}"],
      ["enum E { A }", "enum E { B }"],
      ["interface I {}", "interface J {}"],
      ["declare const g: number; g", "declare const h: number; g"],
      ["@d class C { m(x: A) {} }", "@d class C { m(x: B) {} }"],
    ]));
});

Deno.test("TOKEN_FORMAT names the TypeScript version that is loaded", () => {
  // Kind numbers and parse trees may change between versions: a new one must bump the format.
  assert.ok(TOKEN_FORMAT.endsWith(` typescript@${ts.version}`), `${TOKEN_FORMAT} vs ${ts.version}`);
});

Deno.test("tokenHash() falls back to the raw bytes for a module that does not parse", async () => {
  assert.equal(syntaxStream(ts, "let = ;", "ts"), undefined);
  assert.notEqual(await hash("let = ; // a"), await hash("let = ;"));
});

/** A leaf token of the module as the parser sees it, with its place in the text. */
interface Leaf {
  readonly kind: number;
  readonly start: number;
  readonly end: number;
}

/** Every token of `source`, found by walking the syntax tree (JSDoc left out). */
function leaves(api: TypeScriptApi, source: string): Leaf[] {
  const sf = api.createSourceFile("m.ts", source, api.ScriptTarget.Latest, true, api.ScriptKind.TS);
  const out: Leaf[] = [];
  const walk = (node: import("typescript").Node): void => {
    const k = node.kind;
    if (k >= api.SyntaxKind.FirstJSDocNode && k <= api.SyntaxKind.LastJSDocNode) return;
    if (k === api.SyntaxKind.EndOfFileToken) return;
    if (k <= api.SyntaxKind.LastToken) {
      out.push({ kind: k, start: node.getStart(sf), end: node.end });
    } else for (const c of node.getChildren(sf)) walk(c);
  };
  walk(sf);
  return out;
}

const K = ts.SyntaxKind;
/** Operator and keyword swaps that keep a module parseable and change what it computes. */
const SWAPS: Record<string, string> = {
  "+": "-",
  "-": "+",
  "*": "/",
  "/": "*",
  "<": ">",
  ">": "<",
  "<=": ">=",
  ">=": "<=",
  "===": "!==",
  "!==": "===",
  "&&": "||",
  "||": "&&",
  "??": "||",
  "+=": "-=",
  "-=": "+=",
  "++": "--",
  "--": "++",
  "true": "false",
  "false": "true",
  "const": "let",
  "%": "*",
};

/** `source` with the token `leaf` changed, or `undefined` when this kind of token is not mutated. */
function mutate(source: string, leaf: Leaf): string | undefined {
  const text = source.slice(leaf.start, leaf.end);
  const at = (i: number, insert: string) =>
    source.slice(0, leaf.start) + text.slice(0, i) + insert + text.slice(i) +
    source.slice(leaf.end);
  switch (leaf.kind) {
    case K.Identifier:
      return at(text.length, "Q");
    case K.StringLiteral:
    case K.NoSubstitutionTemplateLiteral:
    case K.TemplateHead:
    case K.TemplateMiddle:
    case K.TemplateTail:
    case K.RegularExpressionLiteral:
      return at(1, "Q");
    case K.NumericLiteral: {
      const value = Number(text.replaceAll("_", ""));
      return source.slice(0, leaf.start) + String(value + 1) + source.slice(leaf.end);
    }
    default: {
      const swap = SWAPS[text];
      return swap === undefined
        ? undefined
        : source.slice(0, leaf.start) + swap + source.slice(leaf.end);
    }
  }
}

/** What runs: TypeScript's own type erasure, without comments. */
function transpiled(source: string): string {
  return ts.transpileModule(source, {
    compilerOptions: {
      target: ts.ScriptTarget.ESNext,
      module: ts.ModuleKind.ESNext,
      removeComments: true,
      useDefineForClassFields: true,
    },
    reportDiagnostics: false,
  }).outputText;
}

const STAGE_MODULES = [
  "stages/model/evaluate.ts",
  "stages/data/spline.ts",
  "stages/stats/summarise.ts",
];

Deno.test("tokenHash() changes with any one token that changes the transpiled program", async (t) => {
  for (const module of STAGE_MODULES) {
    await t.step(module, async () => {
      const source = await Deno.readTextFile(new URL(module, root));
      const original = await hash(source);
      const before = transpiled(source);
      const candidates = leaves(ts, source).filter((l) => mutate(source, l) !== undefined);
      let checked = 0;
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...candidates), async (leaf) => {
          const changed = mutate(source, leaf)!;
          if (transpiled(changed) === before) return; // a type-only token: may or may not count
          checked++;
          assert.notEqual(
            await hash(changed),
            original,
            `${module}: ${JSON.stringify(source.slice(leaf.start, leaf.end))} at ${leaf.start}`,
          );
        }),
        { numRuns: 150 },
      );
      // Most tokens of a stage module are code: the property must have been put to work.
      assert.ok(checked > 50, `only ${checked} mutations changed the program`);
    });
  }
});

Deno.test("tokenHash() keeps its value when a comment or blank is put between any two tokens", async () => {
  const source = await Deno.readTextFile(new URL(STAGE_MODULES[0]!, root));
  const original = await hash(source);
  const places = leaves(ts, source).map((l) => l.end);
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...places),
      fc.constantFrom(" ", "\t", " /* note */ ", " /** doc */ "),
      async (at, insert) => {
        const edited = source.slice(0, at) + insert + source.slice(at);
        assert.equal(await hash(edited), original, `${JSON.stringify(insert)} at ${at}`);
      },
    ),
    { numRuns: 150 },
  );
});
