/**
 * Parses a policy file's YAML into a plain value plus the source position of every key and
 * value (by JSON pointer, the path ajv reports), refusing inputs that would exhaust the process
 * before the parser composes them.
 */
import { Composer, LineCounter, Parser, isMap, isScalar, isSeq, type CST, type Document, type Node } from "yaml";
import type { Range } from "../findings";
import type { PolicyProblem } from "./model";
import { maxPolicyBytes } from "./host";

/** Deeper collections are refused: the policy format needs about six levels, and the YAML composer recurses per level (a few thousand crash the process). */
export const maxNesting = 64;
/** More aliases, or more alias expansions, than this: an alias bomb (`a: &a [x, x]`, `b: &b [*a, *a]`, …) or a document yaml would take seconds to resolve. */
export const maxAliasCount = 100;

interface Offsets {
  start: number;
  end: number;
}

interface Entry {
  /** Dotted path for messages: `rules.no-explicit-any.autofix`, `protected[0].paths[1]`. */
  display: string;
  key?: Offsets;
  value?: Offsets;
}

export interface PolicySource {
  file: string;
  text: string;
  /** The document as plain data (mappings are objects with own keys only, sequences arrays). */
  value: unknown;
  document: Document.Parsed;
  lineCounter: LineCounter;
  /** The dotted path of a JSON pointer, for messages; `""` is the whole file. */
  displayOf(pointer: string): string;
  /** The range of the key of a mapping entry (undefined for list items and the root). */
  keyRange(pointer: string): Range | undefined;
  /** The range of the value at the pointer, or of the nearest enclosing node that has one. */
  valueRange(pointer: string): Range;
  /** Where to put a message about a whole entry: its key, or the first line of its value. */
  headRange(pointer: string): Range;
  rangeOf(start: number, end: number): Range;
}

export type ParseResult = { source: PolicySource; problems: [] } | { source?: undefined; problems: PolicyProblem[] };

export function pointerOf(segments: readonly (string | number)[]): string {
  return segments.map((segment) => "/" + String(segment).replace(/~/g, "~0").replace(/\//g, "~1")).join("");
}

export function segmentsOf(pointer: string): string[] {
  return pointer === "" ? [] : pointer.slice(1).split("/").map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** Parses the text; any YAML error, an oversized or too deeply nested file, or an alias bomb gives problems and no source. Never throws. */
export function parsePolicySource(file: string, text: string): ParseResult {
  const lineCounter = new LineCounter();
  const problem = (id: PolicyProblem["id"], start: number, end: number, message: string): PolicyProblem => ({
    id,
    file,
    range: rangeFromOffsets(lineCounter, text, start, end),
    severity: "error",
    message,
  });
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > maxPolicyBytes) {
    return { problems: [{ id: "policy-too-large", file, range: lineZero(), severity: "error", message: `the policy file is over the ${maxPolicyBytes / 1024} KiB limit (at least ${Math.floor(bytes / 1024)} KiB); it was not read` }] };
  }
  try {
    const composition = composeYaml(text, lineCounter);
    if (composition.refusedAt !== undefined) return { problems: [problem("policy-too-large", composition.refusedAt, composition.refusedAt + 1, composition.refusal)] };
    const { document, secondDocumentAt } = composition;
    const problems: PolicyProblem[] = [];
    if (secondDocumentAt !== undefined) problems.push(problem("policy-syntax", secondDocumentAt, secondDocumentAt + 3, "a policy file holds one YAML document; remove the second one (after '---')"));
    // Past the first few, YAML errors are echoes of the first (one unclosed bracket, hundreds of errors).
    for (const error of document.errors.slice(0, 20)) {
      const [start, end] = error.pos;
      const id = error.code === "RESOURCE_EXHAUSTION" ? "policy-too-large" : "policy-syntax";
      problems.unshift(problem(id, start, Math.max(end, start + 1), yamlMessage(error.code, error.message)));
    }
    if (problems.length > 0) return { problems: sortByPosition(problems) };
    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (/alias/i.test(message)) return { problems: [problem("policy-too-large", 0, 0, `the policy expands YAML aliases more than ${maxAliasCount} times (an alias bomb?); it was not read`)] };
      return { problems: [problem("policy-syntax", 0, 0, `the policy could not be read as data: ${message}`)] };
    }
    const { entries, duplicateKeys } = collectEntries(document);
    if (duplicateKeys.length > 0) return { problems: duplicateKeys.slice(0, 20).map((key) => problem("policy-syntax", key.start, key.end, "this key appears twice in the same mapping; keep one")) };
    return { source: makeSource(file, text, value, document, lineCounter, entries), problems: [] };
  } catch (error) {
    // The parser is not supposed to throw; if it does, the file is unreadable, not the server.
    const message = error instanceof Error ? error.message : String(error);
    return { problems: [{ id: "policy-syntax", file, range: lineZero(), severity: "error", message: `the policy file could not be parsed: ${message}` }] };
  }
}

export type Composition = { document: Document.Parsed; secondDocumentAt?: number; refusedAt?: undefined } | { document?: undefined; refusedAt: number; refusal: string };

/**
 * The YAML composed into a document, unless collections nest deeper than `maxNesting` (checked
 * on the parser's tokens first: the parser is iterative, the composer is not). Syntax errors
 * are left on `document.errors`.
 */
export function composeYaml(text: string, lineCounter: LineCounter): Composition {
  const tokens = Array.from(new Parser(lineCounter.addNewLine).parse(text));
  const refusal = firstRefusal(tokens);
  if (refusal !== undefined) return { refusedAt: refusal.offset, refusal: refusal.message };
  // logLevel "error": yaml's warnings would go to process.emitWarning (stderr), and none of them matters here.
  // uniqueKeys off: yaml compares every key with every other (seconds for a large mapping); collectEntries finds duplicates with a set.
  const composer = new Composer({ schema: "core", uniqueKeys: false, prettyErrors: false, version: "1.2", logLevel: "error" });
  let document: Document.Parsed | undefined;
  for (const composed of composer.compose(tokens, true, text.length)) {
    if (document !== undefined) return { document, secondDocumentAt: composed.range[0] };
    document = composed;
  }
  // compose(…, forceDoc = true) always yields a document, if only an empty one.
  return { document: document! };
}

function lineZero(): Range {
  return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
}

function sortByPosition(problems: PolicyProblem[]): PolicyProblem[] {
  return problems.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

/** yaml's messages, with the codes users meet most reworded; every other one is yaml's own sentence. */
function yamlMessage(code: string, message: string): string {
  if (code === "TAB_AS_INDENT") return "tabs cannot indent YAML; use spaces";
  if (code === "RESOURCE_EXHAUSTION") return `the policy is too large or too deeply nested to read (${message})`;
  return `YAML syntax: ${message.replace(/\s+at line \d+, column \d+[\s\S]*$/, "")}`;
}

/**
 * Where the parser's tokens show a document the composer must not see: collections nested
 * deeper than `maxNesting`, or more than `maxAliasCount` aliases (yaml resolves each alias by
 * walking the whole document). Walked with an explicit stack: the tokens may nest 100,000 deep.
 */
function firstRefusal(tokens: readonly CST.Token[]): { offset: number; message: string } | undefined {
  const stack: Array<{ token: CST.Token; depth: number }> = tokens.map((token) => ({ token, depth: 0 }));
  const aliases: number[] = [];
  while (stack.length > 0) {
    const { token, depth } = stack.pop()!;
    if (token.type === "document") {
      if (token.value) stack.push({ token: token.value, depth });
    } else if (token.type === "alias") {
      aliases.push(token.offset);
    } else if (token.type === "block-map" || token.type === "block-seq" || token.type === "flow-collection") {
      if (depth + 1 > maxNesting) return { offset: token.offset, message: `the policy nests collections more than ${maxNesting} levels deep here; it was not read` };
      for (const item of token.items as Array<{ key?: CST.Token | null; value?: CST.Token }>) {
        if (item.key) stack.push({ token: item.key, depth: depth + 1 });
        if (item.value) stack.push({ token: item.value, depth: depth + 1 });
      }
    }
  }
  if (aliases.length > maxAliasCount) return { offset: aliases.sort((a, b) => a - b)[maxAliasCount], message: `the policy uses more than ${maxAliasCount} YAML aliases; it was not read` };
  return undefined;
}

export function rangeFromOffsets(lineCounter: LineCounter, text: string, start: number, end: number): Range {
  const clamp = (offset: number) => Math.max(0, Math.min(offset, text.length));
  return { start: positionOf(lineCounter, clamp(start)), end: positionOf(lineCounter, clamp(end)) };
}

function positionOf(lineCounter: LineCounter, offset: number): Range["start"] {
  const { line, col } = lineCounter.linePos(offset);
  return { line: line - 1, character: col - 1 };
}

function makeSource(file: string, text: string, value: unknown, document: Document.Parsed, lineCounter: LineCounter, entries: Map<string, Entry>): PolicySource {
  const rangeOf = (start: number, end: number) => rangeFromOffsets(lineCounter, text, start, end);
  const nearest = (pointer: string): Entry | undefined => {
    for (let current = pointer; ; current = current.slice(0, current.lastIndexOf("/"))) {
      const entry = entries.get(current);
      if (entry?.value || entry?.key || current === "") return entry;
    }
  };
  const valueRange = (pointer: string): Range => {
    const entry = nearest(pointer);
    const offsets = entry?.value && entry.value.end > entry.value.start ? entry.value : (entry?.key ?? entry?.value);
    return offsets ? rangeOf(offsets.start, offsets.end) : lineZeroRange(text);
  };
  const displayOf = (pointer: string): string => {
    const known = entries.get(pointer);
    if (known) return known.display;
    const segments = segmentsOf(pointer);
    const last = segments[segments.length - 1] ?? "";
    const parentDisplay = segments.length > 1 ? displayOf(pointerOf(segments.slice(0, -1))) : "";
    if (/^\d+$/.test(last) && Array.isArray(valueAt(value, segments.slice(0, -1)))) return `${parentDisplay}[${last}]`;
    return parentDisplay === "" ? last : `${parentDisplay}.${last}`;
  };
  return {
    file,
    text,
    value,
    document,
    lineCounter,
    rangeOf,
    displayOf,
    keyRange(pointer) {
      const key = entries.get(pointer)?.key;
      return key ? rangeOf(key.start, key.end) : undefined;
    },
    valueRange,
    headRange(pointer) {
      const key = entries.get(pointer)?.key;
      if (key) return rangeOf(key.start, key.end);
      const range = valueRange(pointer);
      if (range.end.line === range.start.line) return range;
      const lineEnd = text.indexOf("\n", lineCounter.lineStarts[range.start.line] ?? 0);
      return { start: range.start, end: positionOf(lineCounter, (lineEnd < 0 ? text.length : lineEnd) - (text[lineEnd - 1] === "\r" ? 1 : 0)) };
    },
  };
}

/** The first line with content, for messages about the whole file. */
function lineZeroRange(text: string): Range {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? "";
  return { start: { line: 0, character: 0 }, end: { line: 0, character: firstLine.length } };
}

export function valueAt(value: unknown, segments: readonly string[]): unknown {
  let current = value;
  for (const segment of segments) {
    if (Array.isArray(current)) current = /^\d+$/.test(segment) ? current[Number(segment)] : undefined;
    else if (current !== null && typeof current === "object" && Object.prototype.hasOwnProperty.call(current, segment)) current = (current as Record<string, unknown>)[segment];
    else return undefined;
  }
  return current;
}

/**
 * Key and value offsets by JSON pointer, and every key that repeats one before it in the same
 * mapping (compared as the plain data sees them: `1` and `"1"` are the same key there).
 * Aliases are leaves: what they expand to has no place of its own in the file.
 */
function collectEntries(document: Document.Parsed): { entries: Map<string, Entry>; duplicateKeys: Offsets[] } {
  const entries = new Map<string, Entry>();
  const duplicateKeys: Offsets[] = [];
  const root = document.contents as Node | null;
  entries.set("", { display: "", value: root?.range ? { start: root.range[0], end: root.range[1] } : undefined });
  const stack: Array<{ node: Node | null; pointer: string; display: string }> = [{ node: root, pointer: "", display: "" }];
  while (stack.length > 0) {
    const { node, pointer, display } = stack.pop()!;
    if (isMap(node)) {
      const names = new Set<string>();
      for (const pair of node.items) {
        if (!isScalar(pair.key)) continue;
        const name = String(pair.key.value ?? "");
        if (names.has(name)) {
          if (pair.key.range) duplicateKeys.push({ start: pair.key.range[0], end: pair.key.range[1] });
          continue;
        }
        names.add(name);
        const childPointer = `${pointer}/${name.replace(/~/g, "~0").replace(/\//g, "~1")}`;
        const childDisplay = display === "" ? name : `${display}.${name}`;
        const valueNode = pair.value as Node | null;
        const key = pair.key.range ? { start: pair.key.range[0], end: pair.key.range[1] } : undefined;
        entries.set(childPointer, { display: childDisplay, key, value: valueNode?.range ? { start: valueNode.range[0], end: valueNode.range[1] } : undefined });
        stack.push({ node: valueNode, pointer: childPointer, display: childDisplay });
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        const itemNode = item as Node | null;
        const childPointer = `${pointer}/${index}`;
        const childDisplay = `${display}[${index}]`;
        entries.set(childPointer, { display: childDisplay, value: itemNode?.range ? { start: itemNode.range[0], end: itemNode.range[1] } : undefined });
        stack.push({ node: itemNode, pointer: childPointer, display: childDisplay });
      });
    }
  }
  return { entries, duplicateKeys: duplicateKeys.sort((a, b) => a.start - b.start) };
}
