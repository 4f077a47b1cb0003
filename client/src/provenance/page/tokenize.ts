/**
 * Syntax colours for the diff view: turns one line of a file into tokens (keyword, string,
 * number, comment, type…), a line at a time, with what the line leaves open (a block comment, a
 * template string, a fenced block, a YAML block scalar) carried to the next in a `LineState`. A
 * hunk interleaves two versions of a file, so the diff view keeps one state per side; a
 * whole-document highlighter could not be fed that way, which is one reason this is not
 * highlight.js or Prism (docs/provenance.md has the others).
 *
 * Pure and total: no DOM, never throws, and the tokens' texts joined are always the line as
 * given, so a reviewer sees every character of the record (the page renders each token with
 * textContent). It colours for reading, it does not parse: a hunk that starts inside a construct
 * it cannot see begins from a guess.
 */
export type TokenKind = "keyword" | "string" | "number" | "comment" | "type" | "function" | "literal" | "property" | "regexp" | "tag" | "heading" | "punctuation" | "plain";

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
}

export type Language = "typescript" | "tsx" | "json" | "yaml" | "markdown" | "plain";

/** What a line leaves open for the next one. Plain data; `startState` is the state at the top of a file. */
export interface LineState {
  /** TypeScript, JSON with comments: inside a block comment. */
  readonly comment?: boolean;
  /** TypeScript: open template literals, innermost last: "text" inside the string, a number inside `${…}` (its unclosed `{`). */
  readonly templates?: readonly ("text" | number)[];
  /** Markdown: inside a fenced code block opened by this fence. */
  readonly fence?: string;
  /** YAML: inside a block scalar (`key: |`), whose lines are indented more than this. */
  readonly blockScalar?: number;
}

export const startState: LineState = {};

const extensions: Record<string, Language> = {
  ts: "typescript", mts: "typescript", cts: "typescript", js: "typescript", mjs: "typescript", cjs: "typescript",
  tsx: "tsx", jsx: "tsx", json: "json", jsonc: "json", json5: "json", yaml: "yaml", yml: "yaml", md: "markdown", markdown: "markdown",
};

/** By the file's extension (any case); anything else is plain text. */
export function languageOf(path: string | null): Language {
  const extension = /\.([A-Za-z0-9]+)$/.exec(path ?? "")?.[1]?.toLowerCase();
  return (extension !== undefined && Object.hasOwn(extensions, extension) && extensions[extension]) || "plain";
}

/** The state for a hunk's first line: a line that reads like the middle of a doc comment most likely is one. */
export function hunkStartState(language: Language, firstLine: string | undefined): LineState {
  return (language === "typescript" || language === "tsx") && firstLine !== undefined && /^\s*\*(?:\s|\/|$)/.test(firstLine) ? { comment: true } : startState;
}

/** Longer lines (a minified file, a data blob) are shown uncoloured: colouring them would cost more than it helps. */
export const longestColouredLine = 2000;

export function tokenizeLine(text: string, language: Language, state: LineState): { tokens: Token[]; state: LineState } {
  if (text.length > longestColouredLine) return { tokens: [{ kind: "plain", text }], state };
  switch (language) {
    case "typescript":
    case "tsx":
      return scanScript(text, state, language === "tsx", false);
    case "json":
      return scanScript(text, state, false, true);
    case "yaml":
      return scanYaml(text, state);
    case "markdown":
      return scanMarkdown(text, state);
    case "plain":
      return { tokens: text === "" ? [] : [{ kind: "plain", text }], state };
  }
}

/** Collects tokens, joining neighbours of one kind (fewer spans for the page). */
class Tokens {
  readonly list: Token[] = [];
  push(kind: TokenKind, text: string): void {
    if (text === "") return;
    const last = this.list[this.list.length - 1];
    if (last?.kind === kind) this.list[this.list.length - 1] = { kind, text: last.text + text };
    else this.list.push({ kind, text });
  }
}

const keywords = new Set(
  ("abstract accessor as asserts async await break case catch class const continue debugger declare default delete do else enum export extends finally for from function " +
    "get if implements import in infer instanceof interface is keyof let module namespace new of override private protected public readonly return satisfies set static " +
    "super switch this throw try type typeof unique using var void while with yield").split(" "),
);
const literals = new Set(["true", "false", "null", "undefined", "NaN", "Infinity"]);
const builtinTypes = new Set(["any", "unknown", "never", "string", "number", "boolean", "bigint", "symbol", "object"]);
/** After these a `/` starts a regular expression and a `<` a JSX tag, not a division or a comparison. */
const expressionKeywords = new Set(["return", "typeof", "instanceof", "in", "of", "new", "delete", "void", "throw", "case", "do", "else", "yield", "await"]);

const identifier = /#?[\p{L}\p{Nl}$_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}$\u200c\u200d]*/uy;
const numberLiteral = /(?:0[xX][\da-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d[\d_]*)?)n?/y;
const regexpLiteral = /\/(?![*/])(?:[^/\\[\n]|\\.|\[(?:[^\]\\\n]|\\.)*\])+\/[a-z]*/y;
const punctuation = /[{}()[\];,.<>+\-*/%=&|^!~?:@]/;
const whitespace = /\s+/y;
/** A name followed by a call, maybe with type arguments (bounded, so a long line costs linear time). */
const callFollows = /\s*(?:<[^()]{0,100}?>)?\s*\(/y;

function at(pattern: RegExp, text: string, index: number): string | undefined {
  pattern.lastIndex = index;
  return pattern.exec(text)?.[0];
}

/** TypeScript and JavaScript (JSX tags when `jsx`); JSON (with comments) is the same scan with keys as properties. */
function scanScript(text: string, state: LineState, jsx: boolean, json: boolean): { tokens: Token[]; state: LineState } {
  const out = new Tokens();
  let comment = state.comment === true;
  const templates = [...(state.templates ?? [])];
  /** The last token that was not whitespace or a comment: whether a `/` divides or starts a regular expression. */
  let previous: Token | undefined;
  const emit = (kind: TokenKind, value: string) => {
    out.push(kind, value);
    if (kind !== "comment" && kind !== "plain") previous = { kind, text: value };
    else if (kind === "plain" && value.trim() !== "") previous = { kind, text: value };
  };
  const expressionMayStart = () =>
    previous === undefined ||
    (previous.kind === "punctuation" && !/[)\]}]$/.test(previous.text)) ||
    (previous.kind === "keyword" && expressionKeywords.has(previous.text));
  let index = 0;
  while (index < text.length) {
    if (comment) {
      const end = text.indexOf("*/", index);
      const stop = end === -1 ? text.length : end + 2;
      emit("comment", text.slice(index, stop));
      comment = end === -1;
      index = stop;
      continue;
    }
    if (templates[templates.length - 1] === "text") {
      let stop = index;
      while (stop < text.length && text[stop] !== "`" && !text.startsWith("${", stop)) stop += text[stop] === "\\" ? 2 : 1;
      stop = Math.min(stop, text.length);
      if (text[stop] === "`") {
        emit("string", text.slice(index, stop + 1));
        templates.pop();
        index = stop + 1;
      } else if (stop < text.length) {
        emit("string", text.slice(index, stop));
        emit("punctuation", "${");
        templates.push(0);
        index = stop + 2;
      } else {
        emit("string", text.slice(index));
        index = text.length;
      }
      continue;
    }
    const char = text[index];
    const space = at(whitespace, text, index);
    if (space) {
      emit("plain", space);
      index += space.length;
    } else if (text.startsWith("//", index)) {
      emit("comment", text.slice(index));
      index = text.length;
    } else if (text.startsWith("/*", index)) {
      const end = text.indexOf("*/", index + 2);
      const stop = end === -1 ? text.length : end + 2;
      emit("comment", text.slice(index, stop));
      comment = end === -1;
      index = stop;
    } else if (char === '"' || char === "'") {
      let stop = index + 1;
      while (stop < text.length && text[stop] !== char) stop += text[stop] === "\\" ? 2 : 1;
      const literal = text.slice(index, Math.min(stop + 1, text.length));
      const isKey = json && at(/\s*:/y, text, index + literal.length) !== undefined;
      emit(isKey ? "property" : "string", literal);
      index += literal.length;
    } else if (char === "`" && !json) {
      emit("string", "`");
      templates.push("text");
      index++;
    } else if (/[\d.]/.test(char) && at(numberLiteral, text, index)) {
      const literal = at(numberLiteral, text, index)!;
      emit("number", literal);
      index += literal.length;
    } else if (at(identifier, text, index)) {
      const word = at(identifier, text, index)!;
      const afterDot = previous?.kind === "punctuation" && previous.text.endsWith(".");
      const called = at(callFollows, text, index + word.length) !== undefined;
      let kind: TokenKind = "plain";
      if (afterDot) kind = called ? "function" : "plain";
      else if (literals.has(word)) kind = "literal";
      else if (json) kind = "plain";
      else if (keywords.has(word)) kind = "keyword";
      else if (builtinTypes.has(word)) kind = "type";
      else if (called) kind = "function";
      else if (/^#?[A-Z]/.test(word)) kind = "type";
      emit(kind, word);
      index += word.length;
    } else if (char === "/" && expressionMayStart() && at(regexpLiteral, text, index)) {
      const literal = at(regexpLiteral, text, index)!;
      emit("regexp", literal);
      index += literal.length;
    } else if (jsx && char === "<" && (expressionMayStart() || text[index + 1] === "/") && at(/<\/?[\p{L}_$]/uy, text, index) !== undefined) {
      const close = text[index + 1] === "/";
      emit("punctuation", close ? "</" : "<");
      index += close ? 2 : 1;
      const name = at(/[\p{L}_$][\p{L}\p{Nd}_$.:-]*/uy, text, index)!;
      emit("tag", name);
      index += name.length;
    } else if (char === "{" || char === "}") {
      const depth = templates[templates.length - 1];
      if (typeof depth === "number") {
        if (char === "{") templates[templates.length - 1] = depth + 1;
        else if (depth === 0) templates.pop();
        else templates[templates.length - 1] = depth - 1;
      }
      emit("punctuation", char);
      index++;
    } else if (punctuation.test(char)) {
      emit("punctuation", char);
      index++;
    } else {
      // Anything else (a backslash, a stray symbol) is shown as it is.
      emit("plain", char);
      index++;
    }
  }
  return { tokens: out.list, state: stateOf({ comment, templates }) };
}

function stateOf(state: { comment?: boolean; templates?: readonly ("text" | number)[]; fence?: string; blockScalar?: number }): LineState {
  const result: { -readonly [Key in keyof LineState]: LineState[Key] } = {};
  if (state.comment) result.comment = true;
  if (state.templates && state.templates.length > 0) result.templates = state.templates;
  if (state.fence !== undefined) result.fence = state.fence;
  if (state.blockScalar !== undefined) result.blockScalar = state.blockScalar;
  return result;
}

const yamlScalar = /^(?:[-+]?(?:\d[\d_]*(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+)|0x[\da-fA-F]+|0o[0-7]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const yamlLiterals = /^(?:true|false|True|False|TRUE|FALSE|yes|no|Yes|No|on|off|null|Null|NULL|~)$/;

/** YAML: keys, scalars (numbers, booleans and null apart), comments, anchors, tags, block scalars. */
function scanYaml(text: string, state: LineState): { tokens: Token[]; state: LineState } {
  const out = new Tokens();
  const indent = /^ */.exec(text)![0].length;
  if (state.blockScalar !== undefined && (text.trim() === "" || indent > state.blockScalar)) {
    out.push("string", text);
    return { tokens: out.list, state };
  }
  if (/^(?:---|\.\.\.)(?:\s|$)/.test(text)) {
    out.push("punctuation", text.slice(0, 3));
    return { tokens: [...out.list, ...scanYaml(text.slice(3), startState).tokens], state: startState };
  }
  let blockScalar: number | undefined;
  let index = 0;
  let valueStart = true;
  while (index < text.length) {
    const rest = text.slice(index);
    const space = /^\s+/.exec(rest)?.[0];
    if (space) {
      out.push("plain", space);
      index += space.length;
      continue;
    }
    if (rest.startsWith("#") && (index === 0 || /\s/.test(text[index - 1]))) {
      out.push("comment", rest);
      break;
    }
    if (valueStart && /^[-?](?:\s|$)/.test(rest)) {
      out.push("punctuation", rest[0]);
      index++;
      continue;
    }
    const blockIndicator = valueStart ? /^[|>][-+]?\d?(?=\s*(?:#.*)?$)/.exec(rest)?.[0] : undefined;
    if (blockIndicator) {
      out.push("punctuation", blockIndicator);
      blockScalar = indent;
      index += blockIndicator.length;
      continue;
    }
    const quoted = /^"(?:[^"\\]|\\.)*"?|^'(?:[^']|'')*'?/.exec(rest)?.[0];
    const special = /^[&*!][^\s,[\]{}]*/.exec(rest)?.[0];
    const flow = /^[[\]{},]/.exec(rest)?.[0];
    const colon = /^:(?=\s|$)/.exec(rest)?.[0];
    const scalar = quoted ?? special ?? flow ?? colon ?? /^(?:[^\s,[\]{}:]|:(?!\s|$)|\s+(?=[^\s#,[\]{}]))+/.exec(rest)?.[0] ?? rest[0];
    const isKey = /^\s*:(?:\s|$)/.test(text.slice(index + scalar.length)) && !flow && !colon;
    let kind: TokenKind;
    if (isKey) kind = "property";
    else if (quoted) kind = "string";
    else if (special) kind = "type";
    else if (flow || colon) kind = "punctuation";
    else if (yamlScalar.test(scalar)) kind = "number";
    else if (yamlLiterals.test(scalar)) kind = "literal";
    else kind = "string";
    out.push(kind, scalar);
    index += scalar.length;
    valueStart = colon !== undefined || flow !== undefined;
  }
  return { tokens: out.list, state: stateOf({ blockScalar }) };
}

/** Markdown, minimal: headings, fenced and inline code, list and quote markers, links, HTML comments. */
function scanMarkdown(text: string, state: LineState): { tokens: Token[]; state: LineState } {
  const out = new Tokens();
  const fence = /^\s{0,3}(`{3,}|~{3,})/.exec(text)?.[1];
  if (state.fence !== undefined) {
    const closes = fence !== undefined && fence[0] === state.fence[0] && fence.length >= state.fence.length && text.trim() === fence;
    out.push(closes ? "punctuation" : "string", text);
    return { tokens: out.list, state: closes ? startState : state };
  }
  if (fence !== undefined) {
    const start = text.indexOf(fence);
    out.push("plain", text.slice(0, start));
    out.push("punctuation", fence);
    out.push("type", text.slice(start + fence.length));
    return { tokens: out.list, state: stateOf({ fence }) };
  }
  if (/^\s{0,3}#{1,6}(?:\s|$)/.test(text)) {
    out.push("heading", text);
    return { tokens: out.list, state: startState };
  }
  const marker = /^\s*(?:>\s?)*(?:(?:[-*+]|\d+[.)])(?=\s|$))?/.exec(text)![0];
  out.push(/\S/.test(marker) ? "punctuation" : "plain", marker);
  let index = marker.length;
  while (index < text.length) {
    const rest = text.slice(index);
    const code = /^(`+)[^`]+?\1/.exec(rest)?.[0];
    const link = /^\[[^\]]*\]\([^)\s]*\)/.exec(rest)?.[0];
    // Spelled -{2} so that the bundle, which the HTML report inlines in a <script> element, holds no comment opener.
    const htmlComment = /^<!-{2}.*?(?:-{2}>|$)/.exec(rest)?.[0];
    if (code) {
      out.push("string", code);
      index += code.length;
    } else if (link) {
      const label = link.indexOf("](") + 1;
      out.push("punctuation", "[");
      out.push("tag", link.slice(1, label - 1));
      out.push("punctuation", "](");
      out.push("string", link.slice(label + 1, -1));
      out.push("punctuation", ")");
      index += link.length;
    } else if (htmlComment) {
      out.push("comment", htmlComment);
      index += htmlComment.length;
    } else {
      const plain = /^[^`[<]+|^[`[<]/.exec(rest)![0];
      out.push("plain", plain);
      index += plain.length;
    }
  }
  return { tokens: out.list, state: startState };
}
