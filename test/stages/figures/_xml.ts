/**
 * A small XML reader for tests: checks well-formedness (one root, matched tags, quoted and unique
 * attributes, known entities) and returns the element tree, so that a test can count the marks
 * in an SVG without a DOM.
 *
 * @module
 */

/** An element of the tree. */
export interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  /** Text directly inside the element, entities decoded. */
  text: string;
}

const NAME = /^[A-Za-z_:][\w.:-]*/;
const ENTITIES: Readonly<Record<string, string>> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
};

function decode(text: string, at: number): string {
  return text.replace(/&([^;]*);?/g, (all, body: string) => {
    if (!all.endsWith(";")) throw new Error(`Cannot parse XML at ${at}: bare "&"`);
    if (body in ENTITIES) return ENTITIES[body] ?? "";
    const code = /^#x([0-9a-f]+)$/i.exec(body)?.[1] ?? /^#([0-9]+)$/.exec(body)?.[1];
    if (code === undefined) {
      throw new Error(`Cannot parse XML at ${at}: unknown entity "&${body};"`);
    }
    return String.fromCodePoint(parseInt(code, body.startsWith("#x") ? 16 : 10));
  });
}

/**
 * Parses an XML document; throws `Error("Cannot parse XML at <offset>: ...")` if malformed.
 *
 * @example
 * ```ts
 * import { parseXml } from "./_xml.ts";
 * parseXml('<svg a="1"><g/></svg>').children.length; // 1
 * ```
 */
export function parseXml(source: string): XmlElement {
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`Cannot parse XML at ${i}: ${why}`);
  };
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const skipProlog = (): void => {
    for (;;) {
      while (/\s/.test(source[i] ?? "")) i++;
      if (source.startsWith("<?", i)) {
        const end = source.indexOf("?>", i);
        if (end < 0) fail("unterminated declaration");
        i = end + 2;
      } else if (source.startsWith("<!--", i)) {
        const end = source.indexOf("-->", i);
        if (end < 0) fail("unterminated comment");
        i = end + 3;
      } else return;
    }
  };
  skipProlog();
  while (i < source.length) {
    if (source.startsWith("<!--", i)) {
      const end = source.indexOf("-->", i);
      if (end < 0) fail("unterminated comment");
      i = end + 3;
    } else if (source.startsWith("</", i)) {
      const name = NAME.exec(source.slice(i + 2))?.[0] ?? fail("bad closing tag");
      const open = stack.pop() ?? fail(`closing "${name}" with nothing open`);
      if (open.name !== name) fail(`closing "${name}" but "${open.name}" is open`);
      i += 2 + name.length;
      while (/\s/.test(source[i] ?? "")) i++;
      if (source[i] !== ">") fail("expected '>'");
      i++;
      if (stack.length === 0) {
        skipProlog();
        if (i < source.length) fail("content after the root element");
      }
    } else if (source[i] === "<") {
      if (root !== undefined && stack.length === 0) fail("a second root element");
      const name = NAME.exec(source.slice(i + 1))?.[0] ?? fail("bad tag name");
      i += 1 + name.length;
      const attrs: Record<string, string> = {};
      for (;;) {
        const space = /^\s*/.exec(source.slice(i))?.[0].length ?? 0;
        i += space;
        if (source.startsWith("/>", i) || source[i] === ">") break;
        if (space === 0) fail("expected whitespace before an attribute");
        const attr = NAME.exec(source.slice(i))?.[0] ?? fail("bad attribute name");
        i += attr.length;
        if (source[i] !== "=") fail(`attribute "${attr}" has no value`);
        const quote = source[i + 1];
        if (quote !== '"' && quote !== "'") return fail(`attribute "${attr}" is not quoted`);
        const end = source.indexOf(quote, i + 2);
        if (end < 0) fail(`attribute "${attr}" is not closed`);
        const raw = source.slice(i + 2, end);
        if (raw.includes("<")) fail(`"<" in attribute "${attr}"`);
        if (attr in attrs) fail(`attribute "${attr}" repeated`);
        attrs[attr] = decode(raw, i);
        i = end + 1;
      }
      const element: XmlElement = { name, attrs, children: [], text: "" };
      const parent = stack.at(-1);
      if (parent === undefined) root = element;
      else parent.children.push(element);
      if (source.startsWith("/>", i)) {
        i += 2;
        if (stack.length === 0) {
          skipProlog();
          if (i < source.length) fail("content after the root element");
        }
      } else {
        i += 1;
        stack.push(element);
      }
    } else {
      const end = source.indexOf("<", i);
      const text = source.slice(i, end < 0 ? source.length : end);
      const open = stack.at(-1);
      if (open === undefined) {
        if (text.trim() !== "") fail("text outside the root element");
      } else open.text += decode(text, i);
      i = end < 0 ? source.length : end;
    }
  }
  if (stack.length > 0) fail(`"${stack.at(-1)?.name}" is not closed`);
  return root ?? fail("no root element");
}

/**
 * Every element under `root` (itself included) for which `test` holds, in document order.
 *
 * @example
 * ```ts
 * import { findAll, parseXml } from "./_xml.ts";
 * findAll(parseXml("<a><b/><c><b/></c></a>"), (e) => e.name === "b").length; // 2
 * ```
 */
export function findAll(root: XmlElement, test: (e: XmlElement) => boolean): XmlElement[] {
  const found: XmlElement[] = [];
  const visit = (e: XmlElement): void => {
    if (test(e)) found.push(e);
    e.children.forEach(visit);
  };
  visit(root);
  return found;
}

/** Whether the element's `class` attribute lists `name`. */
export function hasClass(e: XmlElement, name: string): boolean {
  return (e.attrs["class"] ?? "").split(/\s+/).includes(name);
}
