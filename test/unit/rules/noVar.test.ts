import * as assert from "node:assert/strict";
import { analyze, applyFix, removeTempDirs, type Files } from "../helpers/workspace";

const rule = "no-var";

interface Reported {
  line: string;
  fixed: string | undefined;
}

async function reported(source: string, file = "src/main.ts", extra: Files = {}): Promise<Reported[]> {
  const result = await analyze({ [file]: source, ...extra });
  const lines = source.split("\n");
  return result.findingsIn(file, rule).map((finding) => {
    const line = finding.range.start.line;
    return { line: lines[line].trim(), fixed: finding.fixes[0] ? applyFix(source, finding.fixes[0]).split("\n")[line].trim() : undefined };
  });
}

/** A module body (so top-level `var` is not global) wrapped around the case. */
const inModule = (body: string) => `declare function use(...values: unknown[]): void;\n${body}\nexport {};\n`;

describe("rule: no-var", () => {
  afterEach(removeTempDirs);

  it("reports `var` on the keyword and fixes to `const` when never reassigned, `let` otherwise", async () => {
    const source = inModule("export function f(): number {\n  var total = 0;\n  var step: number = 2;\n  total += step;\n  return total;\n}");
    const result = await analyze({ "src/main.ts": source });
    const findings = result.findingsIn("src/main.ts", rule);
    assert.deepEqual(findings.map((finding) => result.textOf(finding)), ["var", "var"]);
    assert.equal(findings[0].message, "Unexpected `var`: it is function-scoped and hoisted. Use `let` or `const`.");
    assert.deepEqual(findings.map((finding) => finding.fixes[0].title), ["Declare with `let`", "Declare with `const`"]);
    assert.equal(applyFix(applyFix(source, findings[1].fixes[0]), findings[0].fixes[0]), source.replace("var total", "let total").replace("var step", "const step"));
  });

  it("does not fix a use before the declaration (hoisting), including through a hoisted function", async () => {
    const found = await reported(
      inModule("export function f() {\n  use(early);\n  var early = 1;\n}\nexport function g() {\n  return read();\n  var late = 1;\n  function read() { return late; }\n}\nexport function h() {\n  var self = self;\n  return self;\n}"),
    );
    assert.deepEqual(found.map((finding) => finding.fixed), [undefined, undefined, undefined]);
  });

  it("does not fix a variable used outside the block it is declared in", async () => {
    const found = await reported(inModule("export function f(c: boolean) {\n  if (c) {\n    var inner = 1;\n  }\n  return inner;\n}"));
    assert.deepEqual(found, [{ line: "var inner = 1;", fixed: undefined }]);
  });

  it("does not fix redeclarations, a parameter redeclared, or a catch binding's namesake", async () => {
    const source = inModule("export function f(p: number) {\n  var twice = 1;\n  var twice = 2;\n  var p = 3;\n  try { use(twice, p); } catch (e) { var e = 4; use(e); }\n}");
    assert.deepEqual((await reported(source)).map((finding) => finding.fixed), [undefined, undefined, undefined, undefined]);
  });

  it("does not fix a loop variable captured by a closure: `let` would give each iteration its own", async () => {
    const source = inModule("export const fns: Array<() => number> = [];\nexport function f() {\n  for (var i = 0; i < 3; i++) fns.push(() => i);\n  for (var j = 0; j < 3; j++) use(j);\n  for (const x of [1, 2]) {\n    var copy = x;\n    fns.push(() => copy);\n  }\n}");
    assert.deepEqual(await reported(source), [
      { line: "for (var i = 0; i < 3; i++) fns.push(() => i);", fixed: undefined },
      { line: "for (var j = 0; j < 3; j++) use(j);", fixed: "for (let j = 0; j < 3; j++) use(j);" },
      { line: "var copy = x;", fixed: undefined },
    ]);
  });

  it("does not fix `var x;` without a value inside a loop: it keeps the previous iteration's value", async () => {
    const source = inModule("export function f(items: number[]) {\n  for (const item of items) {\n    var last;\n    if (item > 1) last = item;\n    use(last);\n  }\n}");
    assert.deepEqual(await reported(source), [{ line: "var last;", fixed: undefined }]);
  });

  it("fixes for-in and for-of heads when the body is the only user", async () => {
    const source = inModule("export function f(o: object, list: string[]) {\n  for (var key in o) use(key);\n  for (var item of list) use(item);\n  for (var again of list) use(again);\n  use(again);\n}");
    assert.deepEqual((await reported(source)).map((finding) => finding.fixed), ["for (const key in o) use(key);", "for (const item of list) use(item);", undefined]);
  });

  it("keeps each switch clause apart: a use in another clause blocks the fix", async () => {
    const source = inModule("export function f(k: number) {\n  switch (k) {\n    case 1:\n      var one = 1;\n      use(one);\n      break;\n    case 2:\n      var two = 2;\n      break;\n    default:\n      use(two);\n  }\n}");
    assert.deepEqual((await reported(source)).map((finding) => finding.fixed), ["var one = 1;".replace("var", "const"), undefined]);
  });

  it("does not fix top-level `var` in a script (a global property), in a namespace, or exported", async () => {
    assert.deepEqual(await reported("var globalCounter = 0;\nglobalCounter++;\n", "src/script.ts"), [{ line: "var globalCounter = 0;", fixed: undefined }]);
    const source = "export var exported = 1;\nexport namespace N {\n  var inner = 1;\n  export const x = inner;\n}\nvar local = 2;\nexport const y = local + 1;\n";
    assert.deepEqual(await reported(source), [
      { line: "export var exported = 1;", fixed: undefined },
      { line: "var inner = 1;", fixed: undefined },
      { line: "var local = 2;", fixed: "const local = 2;" },
    ]);
  });

  it("does not fix a variable re-exported with `export { x }`: an importer in a cycle could read it before it runs", async () => {
    const source = "var shared = 1;\nvar local = 2;\nexport { shared };\nexport const y = local * 2;\n";
    assert.deepEqual((await reported(source)).map((finding) => finding.fixed), [undefined, "const local = 2;"]);
  });

  it("does not fix anything in a file that uses direct `eval` or `with`", async () => {
    assert.deepEqual(await reported(inModule("export function f() {\n  var x = 1;\n  return eval('x');\n}")), [{ line: "var x = 1;", fixed: undefined }]);
  });

  it("ignores ambient declarations: `declare var` and `declare global` are how globals are typed", async () => {
    assert.deepEqual(await reported("declare var legacy: number;\ndeclare global {\n  var appVersion: string;\n}\nexport {};\n"), []);
  });

  it("keeps literal types in mind: `let` where `const` would narrow a compared value", async () => {
    const source = inModule("export function f() {\n  var mode = 'a';\n  if (mode === 'b') use(mode);\n}");
    assert.deepEqual(await reported(source), [{ line: "var mode = 'a';", fixed: "let mode = 'a';" }]);
  });

  it("keeps comments next to the keyword, and works in TSX with generics", async () => {
    const tsconfig = JSON.stringify({ compilerOptions: { jsx: "preserve", strict: true, lib: ["ES2022"], noEmit: true } });
    const source = "export function List<T>(props: { items: T[] }) {\n  var/* all */ count = props.items.length;\n  return <ul data-count={count}>{props.items.map((item) => <li>{String(item)}</li>)}</ul>;\n}\n";
    assert.deepEqual(await reported(source, "src/list.tsx", { "tsconfig.json": tsconfig }), [{ line: "var/* all */ count = props.items.length;", fixed: "const/* all */ count = props.items.length;" }]);
  });
});
