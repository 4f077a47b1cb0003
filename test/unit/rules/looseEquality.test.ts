import * as assert from "node:assert/strict";
import { analyze, applyFix, removeTempDirs } from "../helpers/workspace";

const rule = "loose-equality";

/** Each reported comparison as its line's code and whether a fix is offered. */
async function reported(declarations: string, comparisons: string[], tsconfig?: string): Promise<Array<[string, boolean]>> {
  const source = declarations + "\n" + comparisons.map((comparison) => `export const c${comparisons.indexOf(comparison)} = ${comparison};`).join("\n") + "\n";
  const result = await analyze({ "src/main.ts": source }, tsconfig ? { tsconfig } : {});
  const lines = source.split("\n");
  return result.findingsIn("src/main.ts", rule).map((finding) => [lines[finding.range.start.line].replace(/^export const c\d+ = |;$/g, ""), finding.fixes.length > 0]);
}

const declarations = [
  "declare const s: string, t: string, n: number, m: number, b: boolean, big: bigint;",
  "declare const maybeS: string | undefined, nullS: string | null, either: string | null | undefined;",
  "declare const o: { id: string }, p: { id: string }, u: unknown, a: any, v: void, sym: symbol;",
  "declare const lit: 'a' | 'b', tpl: `id-${number}`, id: string & { __brand: 'Id' };",
  "enum Color { Red, Green }",
  "enum Mode { On = 'on', Off = 'off' }",
  "declare const color: Color, mode: Mode, mixed: string | number;",
].join("\n");

describe("rule: loose-equality", () => {
  afterEach(removeTempDirs);

  it("fixes comparisons of one primitive kind: `==` cannot convert anything there", async () => {
    const found = await reported(declarations, ["s == t", "n != m", "b == true", "big == 1n", "lit == 'a'", "tpl == s", "color == Color.Red", "mode != Mode.On", "id == t", "sym == sym"]);
    assert.deepEqual(found.map(([, fixable]) => fixable), Array(10).fill(true));
  });

  it("fixes a comparison with one nullish side when null and undefined cannot meet", async () => {
    const found = await reported(declarations, ["maybeS == t", "maybeS == undefined", "nullS != s", "maybeS == maybeS"]);
    assert.deepEqual(found, [["maybeS == t", true], ["maybeS == undefined", true], ["nullS != s", true], ["maybeS == maybeS", true]]);
  });

  it("reports but does not fix where `==` converts: mixed kinds, null vs undefined, objects, unknown, any, void", async () => {
    const comparisons = ["s == n", "big == n", "nullS == maybeS", "either == undefined", "o == p", "u == s", "a == s", "v == undefined", "mixed == s", "color == n + 0 || s == b"];
    const found = await reported(declarations, comparisons);
    // The last line holds two comparisons: `color == n + 0` is number against number, so it is fixed; `s == b` is not.
    assert.deepEqual(found.map(([, fixable]) => fixable), [...Array(9).fill(false), true, false]);
  });

  it("allows `== null` and `!= null` on either side, parenthesized or not", async () => {
    assert.deepEqual(await reported(declarations, ["maybeS == null", "null != nullS", "either == (null)"]), []);
  });

  it("uses type parameters' constraints, and does not fix an unconstrained one", async () => {
    const generic = "export function same<T extends string, U>(a: T, b: T, c: U, d: U): boolean[] {\n  return [a == b, c == d];\n}\n";
    const result = await analyze({ "src/main.ts": generic });
    const findings = result.findingsIn("src/main.ts", rule);
    assert.deepEqual(findings.map((finding) => finding.fixes.length), [1, 0]);
  });

  it("offers no fix without strictNullChecks: `string` may then hold null or undefined", async () => {
    const loose = JSON.stringify({ compilerOptions: { strict: false, lib: ["ES2022"], noEmit: true } });
    assert.deepEqual(await reported(declarations, ["s == t"], loose), [["s == t", false]]);
  });

  it("replaces only the operator, keeping comments and odd spacing around it", async () => {
    const source = "declare const s: string, t: string;\nexport const same = s/* left */ ==\n  /* right */t;\nexport const other = (s)!=(t);\n";
    const result = await analyze({ "src/main.ts": source });
    const findings = result.findingsIn("src/main.ts", rule);
    assert.deepEqual(findings.map((finding) => result.textOf(finding)), ["==", "!="]);
    assert.equal(findings[0].message, "Use `===` instead of `==`: `==` converts its operands before comparing.");
    assert.equal(findings[0].fixes[0].title, "Use `===`");
    assert.equal(applyFix(source, findings[0].fixes[0]), "declare const s: string, t: string;\nexport const same = s/* left */ ===\n  /* right */t;\nexport const other = (s)!=(t);\n");
    assert.equal(applyFix(source, findings[1].fixes[0]), source.replace("(s)!=(t)", "(s)!==(t)"));
  });

  it("sees through shadowing: the inner `s` is a number", async () => {
    const source = "declare const s: string, t: string;\nexport function f(s: number): boolean {\n  return s == t.length;\n}\nexport const g = (x: { s: string }) => x.s == t;\n";
    const result = await analyze({ "src/main.ts": source });
    assert.deepEqual(result.findingsIn("src/main.ts", rule).map((finding) => finding.fixes.length), [1, 1]);
  });

  it("checks comparisons inside TSX expressions", async () => {
    const tsconfig = JSON.stringify({ compilerOptions: { jsx: "preserve", strict: true, lib: ["ES2022"], noEmit: true } });
    const source = "declare const count: number;\nexport const view = <p hidden={count == 0}>{count != 1 ? 'many' : 'one'}</p>;\n";
    const result = await analyze({ "src/view.tsx": source, "tsconfig.json": tsconfig });
    assert.deepEqual(result.findingsIn("src/view.tsx", rule).map((finding) => finding.fixes.length), [1, 1]);
  });

  it("is type-aware: nothing without type information", async () => {
    const result = await analyze({ "src/main.ts": "declare const s: string;\nexport const x = s == 'a';\n" }, { settings: { typeAware: false } });
    assert.deepEqual(result.findingsIn("src/main.ts", rule), []);
  });
});
