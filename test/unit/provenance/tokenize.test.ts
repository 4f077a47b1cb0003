import * as assert from "node:assert/strict";
import { splitRows } from "../../../client/src/provenance/page/diffView";
import { hunkStartState, languageOf, longestColouredLine, startState, tokenizeLine, type Language, type LineState, type Token, type TokenKind } from "../../../client/src/provenance/page/tokenize";
import type { DiffLine } from "../../../server/src/engine/ledger/view/unifiedDiff";

/** The tokens of consecutive lines, each line starting from the state the one before left. */
function tokenizeLines(language: Language, lines: readonly string[], state: LineState = startState): { tokens: Token[][]; state: LineState } {
  const tokens: Token[][] = [];
  for (const line of lines) {
    const result = tokenizeLine(line, language, state);
    tokens.push(result.tokens);
    state = result.state;
  }
  return { tokens, state };
}

/** The coloured tokens of a line as "kind:text" (plain text left out: it is whitespace and names). */
function coloured(line: string, language: Language, state: LineState = startState): string[] {
  return tokenizeLine(line, language, state)
    .tokens.filter((token) => token.kind !== "plain")
    .map((token) => `${token.kind}:${token.text}`);
}

function kindOf(tokens: readonly Token[], text: string): TokenKind | undefined {
  return tokens.find((token) => token.text === text)?.kind;
}

/** A small deterministic generator (xorshift32): the same "random" lines every run. */
function randomLines(seed: number, count: number): string[] {
  const alphabet = ["a", "Z", "0", "9", " ", "\t", '"', "'", "`", "\\", "/", "*", "${", "{", "}", "#", ":", "-", "|", ">", "<", "[", "]", "(", ")", ".", "é", "😀", "```", "~~~", "<!--", "-->", "\u2028", "&", "!", "=", "\r"];
  let x = seed;
  const next = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
  return Array.from({ length: count }, () => Array.from({ length: Math.floor(next() * 40) }, () => alphabet[Math.floor(next() * alphabet.length)]).join(""));
}

const languages: Language[] = ["typescript", "tsx", "json", "yaml", "markdown", "plain"];

describe("provenance view: syntax colours for diff lines (tokenize)", () => {
  it("never loses or adds a character: the tokens joined are the line, from any state, in every language", () => {
    const lines = [
      ...randomLines(7, 1500),
      'const t = `a ${b + `c ${d}`} e',
      "/* open",
      "key: |",
      "```ts",
      '<script>window.__pwned = "diff"</script>',
      "</script><img src=x onerror=window.__pwned=1>",
    ];
    const states: LineState[] = [startState, { comment: true }, { templates: ["text"] }, { templates: ["text", 0] }, { templates: ["text", 2] }, { fence: "```" }, { blockScalar: 0 }, { blockScalar: 4 }];
    for (const language of languages) {
      for (const start of states) {
        let state = start;
        for (const line of lines) {
          const result = tokenizeLine(line, language, state);
          assert.equal(result.tokens.map((token) => token.text).join(""), line, `${language} from ${JSON.stringify(state)}: ${JSON.stringify(line)}`);
          assert.ok(
            result.tokens.every((token) => token.text !== ""),
            `${language}: no empty token for ${JSON.stringify(line)}`,
          );
          assert.ok(
            result.tokens.every((token, index) => index === 0 || result.tokens[index - 1].kind !== token.kind),
            `${language}: neighbours of one kind are joined for ${JSON.stringify(line)}`,
          );
          // The state is plain data (the page could keep it, a test can compare it).
          assert.deepEqual(JSON.parse(JSON.stringify(result.state)) as LineState, result.state);
          state = result.state;
        }
      }
    }
  });

  it("TypeScript: keywords, strings, numbers, comments, types, functions and literals", () => {
    assert.deepEqual(coloured('import { logger } from "../infra/logger";', "typescript"), ["keyword:import", "punctuation:{", "punctuation:}", "keyword:from", 'string:"../infra/logger"', "punctuation:;"]);
    assert.deepEqual(coloured("export function logPayload(payload: any): void {", "typescript"), [
      "keyword:export",
      "keyword:function",
      "function:logPayload",
      "punctuation:(",
      "punctuation::",
      "type:any",
      "punctuation:):",
      "keyword:void",
      "punctuation:{",
    ]);
    const line = tokenizeLine("  const total: Map<string, number> = new Map(); // counts, 'quoted' too", "typescript", startState).tokens;
    assert.equal(kindOf(line, "const"), "keyword");
    assert.equal(kindOf(line, "Map"), "type");
    assert.equal(kindOf(line, "string"), "type");
    assert.equal(kindOf(line, "new"), "keyword");
    assert.equal(kindOf(line, "// counts, 'quoted' too"), "comment");
    const numbers = tokenizeLine("x = 0x1F + 1_000n + .5e3 + 2.5 + 0b1010 + 0o17;", "typescript", startState).tokens;
    for (const value of ["0x1F", "1_000n", ".5e3", "2.5", "0b1010", "0o17"]) assert.equal(kindOf(numbers, value), "number", value);
    const literals = tokenizeLine("if (a === null || b === undefined) return true;", "typescript", startState).tokens;
    for (const value of ["null", "undefined", "true"]) assert.equal(kindOf(literals, value), "literal", value);
    // After a dot a name is a property or a method, never a keyword.
    const member = tokenizeLine("logger.debug(payload); options.default = x.new;", "typescript", startState).tokens;
    assert.equal(kindOf(member, "debug"), "function");
    assert.deepEqual(
      member.filter((token) => token.kind === "keyword"),
      [],
    );
    assert.equal(kindOf(tokenizeLine("class Foo<T> extends Bar {", "typescript", startState).tokens, "Bar"), "type");
    assert.deepEqual(coloured("const s = 'it\\'s', d = \"a\\\"b\";", "typescript").filter((token) => token.startsWith("string:")), ["string:'it\\'s'", 'string:"a\\"b"']);
  });

  it("TypeScript: a slash divides after a value and starts a regular expression elsewhere", () => {
    const tokens = tokenizeLine("const re = /a\\/b[/]/g, x = a / b / c, y = (1) / 2;", "typescript", startState).tokens;
    assert.equal(kindOf(tokens, "/a\\/b[/]/g"), "regexp");
    assert.ok(!tokens.some((token) => token.kind === "regexp" && token.text !== "/a\\/b[/]/g"), JSON.stringify(tokens));
    assert.equal(kindOf(tokenizeLine("return /^\\d+$/.test(value);", "typescript", startState).tokens, "/^\\d+$/"), "regexp");
  });

  it("TypeScript: block comments and template strings carry over to the next lines", () => {
    const comment = tokenizeLines("typescript", ["let a = 1; /* starts here", " * still a comment with 'quotes' and `ticks`", " ends */ let b = 2;"]);
    assert.deepEqual(comment.tokens[1], [{ kind: "comment", text: " * still a comment with 'quotes' and `ticks`" }]);
    assert.deepEqual(comment.tokens[2].slice(0, 2), [
      { kind: "comment", text: " ends */" },
      { kind: "plain", text: " " },
    ]);
    assert.equal(kindOf(comment.tokens[2], "let"), "keyword");
    assert.deepEqual(comment.state, startState);

    const template = tokenizeLines("typescript", ["const t = `first ${a + `inner ${b}`} line", "second line with ${ { x: 1 }.x } and // not a comment", "last` + f(1);"]);
    assert.deepEqual(tokenizeLine("const t = `first ${a + `inner ${b}`} line", "typescript", startState).state, { templates: ["text"] });
    assert.equal(kindOf(template.tokens[1], "second line with "), "string");
    assert.equal(kindOf(template.tokens[1], "1"), "number", "the expression inside ${…} is code, with its own braces");
    assert.equal(kindOf(template.tokens[1], " and // not a comment"), "string");
    assert.equal(kindOf(template.tokens[2], "last`"), "string");
    assert.equal(kindOf(template.tokens[2], "f"), "function");
    assert.deepEqual(template.state, startState);
  });

  it("a hunk that starts in the middle of a doc comment starts as a comment", () => {
    assert.deepEqual(hunkStartState("typescript", "   * @param payload what is logged"), { comment: true });
    assert.deepEqual(hunkStartState("tsx", " */"), { comment: true });
    assert.deepEqual(hunkStartState("typescript", "const a = b * c;"), startState);
    assert.deepEqual(hunkStartState("yaml", " * not yaml's concern"), startState);
    assert.deepEqual(hunkStartState("typescript", undefined), startState);
  });

  it("TSX: tags are tags, comparisons are not", () => {
    const tokens = tokenizeLine('return <Button className="a">{label}</Button>;', "tsx", startState).tokens;
    assert.deepEqual(
      tokens.filter((token) => token.kind === "tag").map((token) => token.text),
      ["Button", "Button"],
    );
    assert.equal(kindOf(tokens, '"a"'), "string");
    assert.ok(!tokenizeLine("const smaller = a < b;", "tsx", startState).tokens.some((token) => token.kind === "tag"));
    assert.ok(!tokenizeLine("return <div>;", "typescript", startState).tokens.some((token) => token.kind === "tag"), "only .tsx and .jsx have tags");
  });

  it("JSON (with comments): keys are properties, values by type", () => {
    assert.deepEqual(coloured('{ "name": "selfheal", "count": -1.5e3, "ok": true, "none": null, "list": ["a", 2] } // note', "json"), [
      "punctuation:{",
      'property:"name"',
      "punctuation::",
      'string:"selfheal"',
      "punctuation:,",
      'property:"count"',
      "punctuation::",
      "punctuation:-",
      "number:1.5e3",
      "punctuation:,",
      'property:"ok"',
      "punctuation::",
      "literal:true",
      "punctuation:,",
      'property:"none"',
      "punctuation::",
      "literal:null",
      "punctuation:,",
      'property:"list"',
      "punctuation::",
      "punctuation:[",
      'string:"a"',
      "punctuation:,",
      "number:2",
      "punctuation:]",
      "punctuation:}",
      "comment:// note",
    ]);
    assert.equal(kindOf(tokenizeLine('  "key" : 1', "json", startState).tokens, '"key"'), "property");
    assert.deepEqual(tokenizeLines("json", ["/* a", "b */ 1"]).tokens[1][0], { kind: "comment", text: "b */" });
  });

  it("YAML: keys, scalars, comments (not in a URL), anchors, and block scalars over several lines", () => {
    assert.deepEqual(coloured("  autofix: auto # why", "yaml"), ["property:autofix", "punctuation::", "string:auto", "comment:# why"]);
    assert.deepEqual(coloured("  - name: \"quoted # not a comment\"", "yaml"), ["punctuation:-", "property:name", "punctuation::", 'string:"quoted # not a comment"']);
    assert.deepEqual(coloured("url: http://example.test/a#b", "yaml"), ["property:url", "punctuation::", "string:http://example.test/a#b"]);
    assert.deepEqual(coloured("limits: [1, 2.5, true, null, ~, text]", "yaml"), [
      "property:limits",
      "punctuation::",
      "punctuation:[",
      "number:1",
      "punctuation:,",
      "number:2.5",
      "punctuation:,",
      "literal:true",
      "punctuation:,",
      "literal:null",
      "punctuation:,",
      "literal:~",
      "punctuation:,",
      "string:text",
      "punctuation:]",
    ]);
    assert.deepEqual(coloured("base: &defaults *other !!str", "yaml"), ["property:base", "punctuation::", "type:&defaults", "type:*other", "type:!!str"]);
    assert.deepEqual(coloured("---", "yaml"), ["punctuation:---"]);

    const block = tokenizeLines("yaml", ["script: |", "  echo one: two # not a comment", "", "  echo three", "next: 1"]);
    assert.deepEqual(tokenizeLine("script: |", "yaml", startState).state, { blockScalar: 0 });
    assert.deepEqual(block.tokens[1], [{ kind: "string", text: "  echo one: two # not a comment" }]);
    assert.deepEqual(block.tokens[3], [{ kind: "string", text: "  echo three" }]);
    assert.deepEqual(
      block.tokens[4].map((token) => token.kind),
      ["property", "punctuation", "plain", "number"],
    );
    assert.deepEqual(block.state, startState);
    assert.deepEqual(tokenizeLine("  folded: >-", "yaml", startState).state, { blockScalar: 2 });
    assert.deepEqual(tokenizeLine("a: b | c", "yaml", startState).state, startState, "a bar inside a value is text");
  });

  it("Markdown: headings, code (fenced across lines, and inline), lists, quotes, links", () => {
    assert.deepEqual(coloured("## Rolling back", "markdown"), ["heading:## Rolling back"]);
    assert.deepEqual(coloured("- run `selfheal report` and see [the docs](docs/cli.md) <!-- todo -->", "markdown"), [
      "punctuation:-",
      "string:`selfheal report`",
      "punctuation:[",
      "tag:the docs",
      "punctuation:](",
      "string:docs/cli.md",
      "punctuation:)",
      "comment:<!-- todo -->",
    ]);
    assert.deepEqual(coloured("> 1. quoted item", "markdown"), ["punctuation:> 1."]);
    const fenced = tokenizeLines("markdown", ["```ts", "# not a heading", "~~~ not the closing fence", "```", "# heading again"]);
    assert.deepEqual(fenced.tokens[0], [
      { kind: "punctuation", text: "```" },
      { kind: "type", text: "ts" },
    ]);
    assert.deepEqual(fenced.tokens[1], [{ kind: "string", text: "# not a heading" }]);
    assert.deepEqual(fenced.tokens[2], [{ kind: "string", text: "~~~ not the closing fence" }]);
    assert.deepEqual(fenced.tokens[3], [{ kind: "punctuation", text: "```" }]);
    assert.deepEqual(fenced.tokens[4], [{ kind: "heading", text: "# heading again" }]);
  });

  it("plain text is one plain token; the language comes from the file's extension", () => {
    assert.deepEqual(tokenizeLine("const x = 'not code here'", "plain", startState), { tokens: [{ kind: "plain", text: "const x = 'not code here'" }], state: startState });
    assert.deepEqual(tokenizeLine("", "typescript", startState), { tokens: [], state: startState });
    // A minified line is shown as it is, uncoloured, and leaves the state as it found it.
    const minified = "var a=`" + "x=1;".repeat(longestColouredLine / 4);
    assert.deepEqual(tokenizeLine(minified, "typescript", { comment: true }), { tokens: [{ kind: "plain", text: minified }], state: { comment: true } });
    assert.equal(tokenizeLine(minified.slice(0, longestColouredLine), "typescript", startState).tokens[0].kind, "keyword");
    const cases: [string | null, Language][] = [
      ["src/http/handler.ts", "typescript"],
      ["src/a.MTS", "typescript"],
      ["lib/index.cjs", "typescript"],
      ["src/App.tsx", "tsx"],
      ["src/App.jsx", "tsx"],
      ["tsconfig.json", "json"],
      [".selfheal/policy.yaml", "yaml"],
      ["ci.yml", "yaml"],
      ["README.md", "markdown"],
      ["Makefile", "plain"],
      ["src/<img src=x onerror=window.__pwned=1>.ts", "typescript"],
      ["notes.ts.txt", "plain"],
      ["constructor", "plain"],
      ["x.constructor", "plain"],
      [null, "plain"],
    ];
    for (const [path, language] of cases) assert.equal(languageOf(path), language, String(path));
  });

  it("side by side: each run of removed lines faces the added lines after it; context and notes stand alone", () => {
    const line = (kind: DiffLine["kind"], text: string): DiffLine => ({ kind, text });
    const lines = [line("context", "a"), line("removed", "b"), line("removed", "c"), line("added", "B"), line("context", "d"), line("added", "E"), line("removed", "f"), line("note", "\\ No newline at end of file")];
    const rows = splitRows(lines).map((row) => (row.kind === "note" ? `note ${row.line.text}` : `${row.old?.text ?? "·"} | ${row.new?.text ?? "·"}`));
    assert.deepEqual(rows, ["a | a", "b | B", "c | ·", "d | d", "· | E", "f | ·", "note \\ No newline at end of file"]);
  });
});
