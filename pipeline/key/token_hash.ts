/**
 * A module's code hash taken over its syntax rather than its bytes, so comments, whitespace and
 * formatting (`deno fmt`) do not change it and every token that reaches the running program does.
 *
 * The module is parsed by TypeScript's own parser (`npm:typescript`, the version Deno itself
 * ships) and serialised as its syntax tree: every node bracketed by its kind, every token by its
 * kind and value. The tree makes the positions where a newline matters explicit (`return\nx` is a
 * `return` without operand followed by a statement `x`; `a\n(b)` is a call), so no newline marker
 * is needed. What is left out, and why that is exact:
 *
 * - trivia: whitespace, newlines, comments and JSDoc;
 * - tokens the tree already implies: a statement's closing `;` (written or inserted by ASI), list
 *   commas (array holes stay, as `OmittedExpression` nodes), parentheses around an expression
 *   (the tree keeps the grouping; the optional-chain boundary that `(a?.b).c` draws is kept as a
 *   flag on the node) and around an arrow function's parameters, braces around the single
 *   non-declaration statement of an `if`/loop body (no binding can live in such a block), a stray
 *   `;` in a class body or a statement list;
 * - literal spelling: strings by value (`'a'` ≡ `"a"`) except a string standing alone as a
 *   statement, a possible directive such as `"use strict"`, which is kept as written; numbers by
 *   TypeScript's normalised value text (`0x10` ≡ `16`); template pieces by their raw text (tagged
 *   templates see it); regular expressions as written; identifiers by name;
 * - type-only syntax, which TypeScript and Deno erase before running: `import type` / `export type`
 *   declarations; the bodies of interfaces and type aliases (their names stay, since a name decides
 *   whether an `export { Name }` is erased); `declare` statements (names stay) and `declare`
 *   fields; overload and abstract signatures without a body; class index signatures; `this`
 *   parameters; `implements` clauses; type annotations (`: T` of variables, parameters, properties
 *   and return types), type parameters and type arguments; `as T`, `satisfies T`, `<T>x` and `x!`
 *   (only the expression stays). Inline `type` specifiers (`import { type A, b }`), modifiers
 *   (`private`, `readonly`, `abstract`, …), enums and namespaces are kept as tokens. In a module
 *   using decorators nothing type-only is dropped (`emitDecoratorMetadata` turns types into code).
 *
 * A module TypeScript cannot parse without errors is hashed by its raw bytes.
 *
 * @module
 */
import type * as TS from "typescript";
import { type Hash, sha256 } from "../core/mod.ts";

/**
 * Names the serialisation and the parser that produced it. Memoised hashes are only reused under
 * the same value; change it whenever the stream of some source changes (and pin `typescript`).
 */
export const TOKEN_FORMAT = "psinv-syntax/1 typescript@6.0.3";

/** How a module is parsed: TypeScript (`.ts`, `.mts`) or JavaScript (`.js`, `.mjs`). */
export type SourceLanguage = "ts" | "js";

/** Hashes a module's source by its syntax (see the module documentation). */
export type TokenHasher = (source: string, language: SourceLanguage) => Promise<Hash>;

/** A {@linkcode TokenHasher} holding resources (a worker) until `close()`. */
export type ClosableTokenHasher = TokenHasher & { close(): void };

/** The TypeScript compiler API (the `typescript` package's default export). */
export type TypeScriptApi = (typeof TS)["default"];

let loading: Promise<TypeScriptApi> | undefined;

/**
 * Loads the `typescript` package once, on first use: it is large, and a run
 * whose modules are all memoised never needs it.
 *
 * @example
 * ```ts ignore
 * import { loadTypeScript } from "./token_hash.ts";
 * const ts = await loadTypeScript();
 * ts.version; // "6.0.3"
 * ```
 */
export function loadTypeScript(): Promise<TypeScriptApi> {
  return loading ??= import("typescript").then((m) => m.default);
}

/**
 * The default {@linkcode TokenHasher} factory: loads TypeScript, then hashes with it.
 *
 * @example
 * ```ts
 * import { loadTokenHasher } from "./token_hash.ts";
 * const hash = await loadTokenHasher();
 * const a = await hash("const x = 'a' // one\n", "ts");
 * const b = await hash('const x = "a";\n', "ts");
 * a === b; // true
 * ```
 */
export async function loadTokenHasher(): Promise<TokenHasher> {
  const ts = await loadTypeScript();
  return (source, language) => tokenHash(ts, source, language);
}

/**
 * SHA-256 over {@linkcode syntaxStream} of `source`, or over its raw bytes (with a distinct prefix)
 * when it does not parse cleanly.
 *
 * @example
 * ```ts
 * import { loadTypeScript, tokenHash } from "./token_hash.ts";
 * const ts = await loadTypeScript();
 * const a = await tokenHash(ts, "return\nx", "js");
 * const b = await tokenHash(ts, "return x", "js");
 * a === b; // false
 * ```
 */
export async function tokenHash(
  ts: TypeScriptApi,
  source: string,
  language: SourceLanguage,
): Promise<Hash> {
  const stream = syntaxStream(ts, source, language);
  return await sha256(
    stream === undefined
      ? `${TOKEN_FORMAT}\nraw\n${source}`
      : `${TOKEN_FORMAT}\n${JSON.stringify(stream)}`,
  );
}

/**
 * The serialised syntax tree of `source` (see the module documentation), or `undefined` when
 * TypeScript reports a syntax error. Each element is one bracket (`(<kind>`, `)`) or one token.
 *
 * @example
 * ```ts
 * import { loadTypeScript, syntaxStream } from "./token_hash.ts";
 * const ts = await loadTypeScript();
 * const a = syntaxStream(ts, "let n: number = (1) // one\n", "ts");
 * const b = syntaxStream(ts, "let n = 1;", "ts");
 * JSON.stringify(a) === JSON.stringify(b); // true
 * ```
 */
export function syntaxStream(
  ts: TypeScriptApi,
  source: string,
  language: SourceLanguage,
): string[] | undefined {
  const sf = ts.createSourceFile(
    language === "ts" ? "module.ts" : "module.js",
    source,
    ts.ScriptTarget.Latest,
    true,
    language === "ts" ? ts.ScriptKind.TS : ts.ScriptKind.JS,
  );
  // Not in the public typings, but stable across TypeScript versions: the parser's errors.
  const diagnostics = (sf as unknown as { parseDiagnostics?: readonly unknown[] }).parseDiagnostics;
  if (diagnostics === undefined || diagnostics.length > 0) return undefined;
  const erased = new Serialiser(ts, sf, true);
  if (!erased.sawDecorator) return erased.out;
  return new Serialiser(ts, sf, false).out;
}

class Serialiser {
  readonly out: string[] = [];
  sawDecorator = false;
  readonly #ts: TypeScriptApi;
  readonly #sf: TS.SourceFile;
  readonly #eraseTypes: boolean;
  readonly #K: typeof TS.SyntaxKind;

  constructor(ts: TypeScriptApi, sf: TS.SourceFile, eraseTypes: boolean) {
    this.#ts = ts;
    this.#sf = sf;
    this.#eraseTypes = eraseTypes;
    this.#K = ts.SyntaxKind;
    for (const statement of sf.statements) this.#node(statement);
  }

  #node(node: TS.Node): void {
    const ts = this.#ts, K = this.#K;
    const kind = node.kind;
    if (kind >= K.FirstJSDocNode && kind <= K.LastJSDocNode) return;
    if (kind <= K.LastToken) return this.#token(node);
    if (kind === K.Decorator) this.sawDecorator = true;

    // Grouping is in the tree; parentheses add nothing (see the module documentation).
    if (ts.isParenthesizedExpression(node)) return this.#node(node.expression);
    if (kind === K.SemicolonClassElement) return;
    if (kind === K.EmptyStatement && isStatementList(ts, node.parent)) return;
    const single = this.#singleStatementBody(node);
    if (single !== undefined) return this.#node(single);
    if (this.#eraseTypes && this.#eraseType(node)) return;

    const optional = (node.flags & ts.NodeFlags.OptionalChain) !== 0 ? "?" : "";
    const start = this.out.length;
    this.out.push(`(${kind}${optional}`);
    const children = node.getChildren(this.#sf);
    const dropped = this.#droppedChildren(node);
    for (let i = 0; i < children.length; i++) {
      const child = children[i]!;
      if (dropped.has(child)) continue;
      const k = child.kind;
      if (k === K.CommaToken && kind === K.SyntaxList) continue;
      // A statement's or member's closing `;` (or a type member's `,`), written or inserted.
      if ((k === K.SemicolonToken || k === K.CommaToken) && i === children.length - 1 && i > 0) {
        continue;
      }
      if ((k === K.OpenParenToken || k === K.CloseParenToken) && ts.isArrowFunction(node)) continue;
      this.#node(child);
    }
    // A list left empty (`implements B` erased) is no list: its place is fixed by the tokens around it.
    if (kind === K.SyntaxList && this.out.length === start + 1) this.out.pop();
    else this.out.push(")");
  }

  #token(node: TS.Node): void {
    const ts = this.#ts, K = this.#K;
    switch (node.kind) {
      case K.EndOfFileToken:
        return;
      case K.Identifier:
        this.out.push(`i${ts.idText(node as TS.Identifier)}`);
        return;
      case K.PrivateIdentifier:
        this.out.push(`#${ts.idText(node as TS.PrivateIdentifier)}`);
        return;
      case K.StringLiteral: {
        if (node.parent !== undefined && ts.isExpressionStatement(node.parent)) {
          // A possible directive: "use strict" is one, "use\x20strict" is not.
          this.out.push(`d${node.getText(this.#sf).slice(1, -1)}`);
        } else {
          this.out.push(`s${(node as TS.StringLiteral).text}`);
        }
        return;
      }
      case K.NumericLiteral:
        this.out.push(`n${(node as TS.NumericLiteral).text}`);
        return;
      case K.BigIntLiteral:
        this.out.push(`b${(node as TS.BigIntLiteral).text}`);
        return;
      case K.NoSubstitutionTemplateLiteral:
      case K.TemplateHead:
      case K.TemplateMiddle:
      case K.TemplateTail: {
        const t = node as TS.TemplateLiteralLikeNode;
        this.out.push(`t${node.kind}:${t.rawText ?? node.getText(this.#sf)}`);
        return;
      }
      case K.RegularExpressionLiteral:
        this.out.push(`r${(node as TS.RegularExpressionLiteral).text}`);
        return;
      default:
        // Keywords and punctuation: the kind says it all.
        this.out.push(`k${node.kind}`);
    }
  }

  /**
   * The statement inside `{ … }` when the block is the body of an `if`/loop and holds exactly one
   * statement that declares nothing: `if (a) { b(); }` and `if (a) b();` are the same program
   * (`deno fmt` turns one into the other), while a block holding a `let` scopes it.
   */
  #singleStatementBody(node: TS.Node): TS.Statement | undefined {
    const ts = this.#ts;
    if (!ts.isBlock(node) || !isControlStatement(ts, node.parent)) return undefined;
    const statements = node.statements.filter((s) => !ts.isEmptyStatement(s));
    if (statements.length !== 1) return undefined;
    const only = statements[0]!;
    if (ts.isVariableStatement(only)) {
      return (only.declarationList.flags & ts.NodeFlags.BlockScoped) === 0 ? only : undefined;
    }
    return isPlainStatement(ts, only) ? only : undefined;
  }

  /** Handles a type-only construct (writing what of it remains); `false` when `node` is not one. */
  #eraseType(node: TS.Node): boolean {
    const ts = this.#ts, K = this.#K;
    if (ts.isImportDeclaration(node) && node.importClause !== undefined) {
      if (ts.isTypeOnlyImportOrExportDeclaration(node.importClause)) return true;
    }
    if ((ts.isExportDeclaration(node) || ts.isImportEqualsDeclaration(node)) && node.isTypeOnly) {
      return true;
    }
    if (ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) {
      this.out.push(`T${node.kind}:${node.name.text}`);
      return true;
    }
    if (hasModifier(ts, node, K.DeclareKeyword)) {
      if (!ts.isClassElement(node)) this.out.push(`D${node.kind}:${declaredNames(ts, node)}`);
      return true;
    }
    if (
      (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) ||
        ts.isConstructorDeclaration(node) || ts.isGetAccessorDeclaration(node) ||
        ts.isSetAccessorDeclaration(node)) && node.body === undefined
    ) return true;
    if (ts.isIndexSignatureDeclaration(node) && ts.isClassLike(node.parent)) return true;
    if (ts.isParameter(node) && ts.isIdentifier(node.name) && node.name.text === "this") {
      return true;
    }
    if (ts.isHeritageClause(node) && node.token === K.ImplementsKeyword) return true;
    if (
      ts.isAsExpression(node) || ts.isSatisfiesExpression(node) ||
      ts.isTypeAssertionExpression(node) || ts.isNonNullExpression(node) ||
      ts.isExpressionWithTypeArguments(node)
    ) {
      this.#node(node.expression);
      return true;
    }
    return false;
  }

  /** Children of `node` that are type annotations, parameters or arguments (when erasing types). */
  #droppedChildren(node: TS.Node): ReadonlySet<TS.Node> {
    const dropped = new Set<TS.Node>();
    if (!this.#eraseTypes) return dropped;
    const ts = this.#ts, K = this.#K;
    const n = node as {
      type?: TS.Node;
      typeParameters?: TS.NodeArray<TS.Node>;
      typeArguments?: TS.NodeArray<TS.Node>;
    };
    const annotated = ts.isVariableDeclaration(node) || ts.isParameter(node) ||
      ts.isPropertyDeclaration(node) || ts.isFunctionLike(node);
    const generic = ts.isFunctionLike(node) || ts.isClassLike(node) || ts.isCallExpression(node) ||
      ts.isNewExpression(node) || ts.isTaggedTemplateExpression(node);
    if (!annotated && !generic) return dropped;
    const lists = [n.typeParameters, n.typeArguments].filter((l) => l !== undefined);
    for (const child of node.getChildren(this.#sf)) {
      if (annotated && n.type !== undefined && (child === n.type || child.kind === K.ColonToken)) {
        dropped.add(child);
      }
      if (generic && lists.length > 0) {
        if (child.kind === K.LessThanToken || child.kind === K.GreaterThanToken) dropped.add(child);
        if (
          child.kind === K.SyntaxList &&
          lists.some((l) => l.pos === child.pos && l.end === child.end)
        ) dropped.add(child);
      }
    }
    return dropped;
  }
}

function isStatementList(ts: TypeScriptApi, parent: TS.Node | undefined): boolean {
  return parent !== undefined &&
    (ts.isSourceFile(parent) || ts.isBlock(parent) || ts.isModuleBlock(parent) ||
      ts.isCaseOrDefaultClause(parent));
}

function isControlStatement(ts: TypeScriptApi, node: TS.Node | undefined): boolean {
  return node !== undefined &&
    (ts.isIfStatement(node) || ts.isForStatement(node) || ts.isForInStatement(node) ||
      ts.isForOfStatement(node) || ts.isWhileStatement(node) || ts.isDoStatement(node));
}

/** Statements that bind no name in the block around them. */
function isPlainStatement(ts: TypeScriptApi, s: TS.Statement): boolean {
  return ts.isExpressionStatement(s) || ts.isReturnStatement(s) || ts.isThrowStatement(s) ||
    ts.isBreakOrContinueStatement(s) || ts.isIfStatement(s) || ts.isIterationStatement(s, false) ||
    ts.isSwitchStatement(s) || ts.isTryStatement(s) || ts.isDebuggerStatement(s) ||
    (ts.isLabeledStatement(s) && isPlainStatement(ts, s.statement));
}

function hasModifier(ts: TypeScriptApi, node: TS.Node, kind: TS.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === kind);
}

/** The names a `declare` statement introduces (they decide which `export { … }` are erased). */
function declaredNames(ts: TypeScriptApi, node: TS.Node): string {
  if (ts.isVariableStatement(node)) {
    return node.declarationList.declarations.map((d) => d.name.getText()).join(",");
  }
  const name = (node as { name?: TS.Node }).name;
  return name === undefined ? "" : name.getText();
}
