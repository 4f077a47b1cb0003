import * as assert from "node:assert/strict";
import { analyze, applyFix, removeTempDirs, type Files } from "../helpers/workspace";

const rule = "prefer-const";

interface Reported {
  line: string;
  fixed: string | undefined;
}

/** Each finding as the line it is on, and that line after its fix (undefined: no fix offered). */
async function reported(source: string, file = "src/main.ts", extra: Files = {}): Promise<Reported[]> {
  const result = await analyze({ [file]: source, ...extra });
  const lines = source.split("\n");
  return result.findingsIn(file, rule).map((finding) => {
    const line = finding.range.start.line;
    return { line: lines[line], fixed: finding.fixes[0] ? applyFix(source, finding.fixes[0]).split("\n")[line] : undefined };
  });
}

describe("rule: prefer-const", () => {
  afterEach(removeTempDirs);

  it("reports a `let` never reassigned and fixes it to `const`", async () => {
    const source = "declare function load(): string;\nlet name = load();\nexport const upper = name.toUpperCase();\n";
    const result = await analyze({ "src/main.ts": source });
    const [finding] = result.findingsIn("src/main.ts", rule);
    assert.equal(result.textOf(finding), "let");
    assert.equal(finding.message, "`name` is never reassigned: declare with `const`.");
    assert.equal(finding.fixes[0].title, "Declare with `const`");
    assert.equal(applyFix(source, finding.fixes[0]), source.replace("let name", "const name"));
  });

  it("does not report a binding written anywhere: assignment, compound, ++, destructuring, for-of target, in a closure", async () => {
    const source = [
      "declare const pair: [number, number];",
      "let a = 1;\na = 2;",
      "let b = 1;\nb += 1;",
      "let c = 1;\nc++;",
      "let d = 1;\n[d] = pair;",
      "let e = 1;\n({ e } = { e: 2 });",
      "let f = 1;\n({ x: f = 3 } = { x: 2 });",
      "let g = 1;\nfor (g of pair) {}",
      "let h = 1;\nexport const later = () => { h = 2; };",
      "let i = 1;\n[...[i]] = pair;",
      "export { a, b, c, d, e, f, g, h, i };",
      "",
    ].join("\n");
    assert.deepEqual(await reported(source), []);
  });

  it("reports a declaration list only when every name in it could be const", async () => {
    const source = "declare const point: { x: number; y: number };\nlet { x, y } = point;\nlet p = 1, q = 2;\nq = 3;\nlet [first, second] = [x, y];\nsecond = 0;\nexport { p, q, first, second };\n";
    assert.deepEqual(await reported(source), [{ line: "let { x, y } = point;", fixed: "const { x, y } = point;" }]);
    const result = await analyze({ "src/main.ts": source });
    assert.equal(result.findingsIn("src/main.ts", rule)[0].message, "`x`, `y` are never reassigned: declare with `const`.");
  });

  it("handles loop heads: for-of and for-in variables, but not a counted for loop", async () => {
    const source = "declare const items: string[];\nfor (let item of items) item.trim();\nfor (let key in { a: 1 }) key.trim();\nfor (let i = 0; i < 3; i++) {}\nfor (let v of items) { v = v.trim(); }\n";
    assert.deepEqual(await reported(source), [
      { line: "for (let item of items) item.trim();", fixed: "for (const item of items) item.trim();" },
      { line: "for (let key in { a: 1 }) key.trim();", fixed: "for (const key in { a: 1 }) key.trim();" },
    ]);
  });

  it("does not report `let x;` assigned later: merging the two is not a mechanical change", async () => {
    assert.deepEqual(await reported("let x: number;\nx = 1;\nexport { x };\n"), []);
  });

  it("resolves shadowing: the outer binding is never written, the inner one is", async () => {
    const source = "declare function load(): string;\nlet value = load();\nexport function f(): string {\n  let value = load();\n  value += '!';\n  return value;\n}\nexport const g = value;\n";
    assert.deepEqual(await reported(source), [{ line: "let value = load();", fixed: "const value = load();" }]);
  });

  describe("literal types: `const x = 'a'` has type 'a', `let x = 'a'` has type string", () => {
    it("fixes when the literal type makes no difference to any use", async () => {
      const source = "declare function log(message: string): void;\nlet label = 'total';\nlet count = 3;\nlog(`${label}: ${count * 2}`);\nlog(label.toUpperCase());\nlog(label);\nif (count > 1) log('many');\nexport {};\n";
      assert.deepEqual((await reported(source)).map((finding) => finding.fixed), ["const label = 'total';", "const count = 3;"]);
    });

    it("reports without a fix where the literal would change type checking: equality, switch, typeof, generics, export", async () => {
      const source = [
        "declare function pick<T>(value: T): T;",
        "let mode = 'a';",
        "if (mode === 'b') {}",
        "let kind = 'x';",
        "switch (kind) { case 'y': break; }",
        "let size = 1;",
        "let other: typeof size = 2;",
        "let flag = true;",
        "const picked = pick(flag);",
        "export let exported = 'e';",
        "export { other, picked };",
        "",
      ].join("\n");
      const found = await reported(source);
      assert.deepEqual(found.map((finding) => finding.line), ["let mode = 'a';", "let kind = 'x';", "let size = 1;", "let other: typeof size = 2;", "let flag = true;", "export let exported = 'e';"]);
      assert.deepEqual(found.map((finding) => finding.fixed !== undefined), [false, false, false, true, false, false]);
    });

    it("fixes an exported `let` whose type does not depend on it: importers cannot assign it anyway", async () => {
      const source = "export let names: string[] = [];\nexport let settings = { debug: false };\n";
      assert.deepEqual((await reported(source)).map((finding) => finding.fixed), ["export const names: string[] = [];", "export const settings = { debug: false };"]);
    });

    it("does not fix `let s = Symbol()`: as a const it would be a unique symbol", async () => {
      const source = "let key = Symbol();\nexport const table: Record<symbol, number> = { [key]: 1 };\n";
      assert.deepEqual(await reported(source), [{ line: "let key = Symbol();", fixed: undefined }]);
    });
  });

  it("leaves globals of scripts, namespace exports and ambient declarations alone", async () => {
    assert.deepEqual(await reported("let shared = 1;\nconsole.log(shared);\n", "src/script.ts"), []);
    assert.deepEqual(await reported("export namespace Config {\n  export let level = 1;\n}\ndeclare let ambient: number;\nexport { ambient };\n"), []);
  });

  it("keeps comments and formatting around the keyword", async () => {
    const source = "declare function load(): string;\nexport function f() {\n  let /* why */ value/*: string */ = load();\n  return value;\n}\n";
    assert.deepEqual(await reported(source), [{ line: "  let /* why */ value/*: string */ = load();", fixed: "  const /* why */ value/*: string */ = load();" }]);
  });

  it("works in TSX and in decorated classes", async () => {
    const tsconfig = JSON.stringify({ compilerOptions: { jsx: "preserve", strict: true, lib: ["ES2022"], noEmit: true, experimentalDecorators: true } });
    const source = [
      "declare function track(target: object, key: string): void;",
      "export class Card {",
      "  @track",
      "  render(props: { title: string }) {",
      "    let title = props.title.trim();",
      "    return <h1 title={title}>{title}</h1>;",
      "  }",
      "}",
      "",
    ].join("\n");
    const found = await reported(source, "src/card.tsx", { "tsconfig.json": tsconfig });
    assert.deepEqual(found, [{ line: "    let title = props.title.trim();", fixed: "    const title = props.title.trim();" }]);
  });
});
