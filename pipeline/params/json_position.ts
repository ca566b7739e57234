/**
 * Where a JSON text first goes wrong. V8's `JSON.parse` messages give a position for some errors
 * and none for others ("Unexpected token"), so on failure the text is re-scanned by this small
 * validator, which always names a line and column.
 *
 * @module
 */

/** The first syntax error of a JSON text, 1-based line and column. */
export interface JsonSyntaxError {
  readonly line: number;
  readonly column: number;
  readonly detail: string;
}

class Stop {
  constructor(readonly at: number, readonly detail: string) {}
}

/**
 * Scans `text` as JSON and returns its first syntax error, or `undefined` when it is valid.
 *
 * @example
 * ```ts
 * import { findJsonError } from "./json_position.ts";
 * findJsonError('{\n  "a": 1,\n}'); // { line: 3, column: 1, detail: "expected a quoted key, found '}'" }
 * ```
 */
export function findJsonError(text: string): JsonSyntaxError | undefined {
  let i = 0;
  const found = (): string => i < text.length ? `'${text[i]}'` : "the end of the file";
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  const expect = (what: string): never => {
    throw new Stop(i, `expected ${what}, found ${found()}`);
  };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else expect("a value (number, string, true, false, null, object or array)");
  };
  const string = () => {
    if (text[i] !== '"') expect("a quoted string");
    i++;
    while (i < text.length && text[i] !== '"') {
      const c = text.charCodeAt(i);
      if (c < 0x20) throw new Stop(i, "control character inside a string (end the string first)");
      if (text[i] === "\\") {
        i++;
        if (text[i] === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) {
            throw new Stop(i, "bad \\u escape");
          }
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? "")) throw new Stop(i, "bad escape");
      }
      i++;
    }
    if (i >= text.length) throw new Stop(i, "unterminated string");
    i++;
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m) expect("a value (number, string, true, false, null, object or array)");
    i += m![0].length;
  };
  /** An object or array body after its opening bracket: items separated by commas, then `close`. */
  const sequence = (close: "}" | "]", item: () => void) => {
    i++;
    ws();
    if (text[i] === close) return void i++;
    for (;;) {
      item();
      ws();
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === close) return void i++;
      expect(`',' or '${close}'`);
    }
  };
  const member = () => {
    ws();
    if (text[i] !== '"') expect("a quoted key");
    string();
    ws();
    if (text[i] !== ":") expect("':' after the key");
    i++;
    value();
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === "{") return sequence("}", member);
    if (c === "[") return sequence("]", value);
    if (c === '"') return string();
    if (c === "t") return literal("true");
    if (c === "f") return literal("false");
    if (c === "n") return literal("null");
    number();
  };
  try {
    value();
    ws();
    if (i < text.length) expect("nothing more after the document");
    return undefined;
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    const before = text.slice(0, e.at);
    const line = before.split("\n").length;
    const column = e.at - before.lastIndexOf("\n");
    return { line, column, detail: e.detail };
  }
}
