import * as assert from "node:assert/strict";
import { analyze, applyFix, removeTempDirs } from "../helpers/workspace";

const rule = "no-explicit-any";

/** Each reported `any`, as the text it covers and its 0-based line: the text proves the range is exact. */
async function reported(source: string): Promise<Array<{ line: number; text: string }>> {
  const result = await analyze({ "src/main.ts": source });
  return result.findingsIn("src/main.ts", rule).map((finding) => ({ line: finding.range.start.line, text: result.textOf(finding) }));
}

describe("rule: no-explicit-any", () => {
  afterEach(removeTempDirs);

  it("reports `any` in parameters and return types", async () => {
    assert.deepEqual(await reported("export function f(a: any, b: string): any {\n  return a ?? b;\n}\n"), [
      { line: 0, text: "any" },
      { line: 0, text: "any" },
    ]);
  });

  it("reports `any` used as a generic argument, default and constraint", async () => {
    const source = ["export const list: Array<any> = [];", "export type Box<T = any> = { value: T };", "export function id<T extends any>(value: T): T {", "  return value;", "}", ""].join("\n");
    assert.deepEqual((await reported(source)).map((finding) => finding.line), [0, 1, 2]);
  });

  it("reports `as any` and `<any>` assertions", async () => {
    const findings = await reported("const raw: unknown = 1;\nexport const a = raw as any;\nexport const b = (raw as unknown as any[]).length;\nexport const c = <any>raw;\n");
    assert.deepEqual(findings.map((finding) => finding.line), [1, 2, 3]);
  });

  it("reports every `any` nested inside object, function, tuple and union types", async () => {
    const source = "export type Deep = { a: { b: any[] }; c: (x: any) => void; d: [string, any]; e: string | any; f: Map<string, Promise<any>> };\n";
    assert.equal((await reported(source)).length, 5);
  });

  it("does not report `...args: any[]`, the only way to say 'any argument list' in a constraint", async () => {
    const source = "export type Fn = (...args: any[]) => unknown;\nexport function wrap<T extends (...args: any[]) => unknown>(fn: T): T {\n  return fn;\n}\n";
    assert.deepEqual(await reported(source), []);
  });

  it("does not report the other spellings of that type: `Array<any>`, `ReadonlyArray<any>`, `readonly any[]` (as typescript-eslint's ignoreRestArgs)", async () => {
    // 153 of effect's `any`s were written this way (`(...args: Array<any>) => …`, `...[a, b]: ReadonlyArray<any>`).
    const source = [
      "export type A = (...args: Array<any>) => unknown;",
      "export function b(...args: ReadonlyArray<any>): number {",
      "  return args.length;",
      "}",
      "export class C {",
      "  constructor(...[first]: readonly any[]) {",
      "    void first;",
      "  }",
      "}",
      "",
    ].join("\n");
    assert.deepEqual(await reported(source), []);
  });

  it("still reports `any` in a rest parameter that is not an array of `any`, and a non-rest `any[]`", async () => {
    const source = [
      "export function f(...args: Array<Array<any>>): void {}",
      "export function g(list: any[]): void {}",
      "export function h(...args: any): void {}",
      "export function i(...args: Set<any> & any[]): void {}",
      "export function j(list: ReadonlyArray<any>): void {}",
      "",
    ].join("\n");
    assert.deepEqual((await reported(source)).map((finding) => finding.line), [0, 1, 2, 3, 3, 4]);
  });

  it("ignores the word `any` in comments, strings and identifiers", async () => {
    const source = "// any\n/* : any */\nexport const any1 = 'any';\nexport const text = `x as any`;\nexport const anyValue: string = any1;\n";
    assert.deepEqual(await reported(source), []);
  });

  it("covers exactly the keyword when comments surround it", async () => {
    const source = "export let x: /* why */ any /* because */ = 1;\n";
    const result = await analyze({ "src/main.ts": source });
    const [finding] = result.findingsIn("src/main.ts", rule);
    assert.equal(result.textOf(finding), "any");
    assert.deepEqual(finding.range, { start: { line: 0, character: 24 }, end: { line: 0, character: 27 } });
    // The comments must survive the fix: a fix that swallowed them would lose the author's note.
    assert.equal(applyFix(source, finding.fixes[0]), "export let x: /* why */ unknown /* because */ = 1;\n");
  });

  it("offers `unknown` as a fix, not marked preferred because callers may need a precise type", async () => {
    const source = "export function parse(payload: any): string {\n  return String(payload);\n}\n";
    const result = await analyze({ "src/main.ts": source });
    const [finding] = result.findingsIn("src/main.ts", rule);
    assert.equal(finding.severity, "warning");
    assert.match(finding.message, /Unexpected `any`/);
    assert.equal(finding.fixes.length, 1);
    assert.equal(finding.fixes[0].title, "Replace `any` with `unknown`");
    assert.equal(finding.fixes[0].isPreferred, false);
    assert.equal(finding.fixes[0].changes[0].file, result.pathOf("src/main.ts"));
    assert.equal(applyFix(source, finding.fixes[0]), source.replace("any", "unknown"));
  });

  it("follows the severity setting, and `off` removes the findings", async () => {
    const error = await analyze({ "src/main.ts": "export let x: any;\n" }, { settings: { rules: { [rule]: "error" } } });
    assert.deepEqual(error.findings.map((finding) => finding.severity), ["error"]);
    const off = await analyze({ "src/main.ts": "export let x: any;\n" }, { settings: { rules: { [rule]: "off" } } });
    assert.deepEqual(off.findings, []);
  });
});
