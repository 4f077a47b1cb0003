import * as assert from "node:assert/strict";
import { Engine } from "../../../server/src/engine/analysis/engine";
import { defaultEngineSettings } from "../../../server/src/engine/settings";
import { analyze, removeTempDirs, type AnalyzeOptions } from "../helpers/workspace";

const rule = "complexity";

/** `if (aN) n++;` lines: each one adds exactly one path. */
const branches = (count: number) => Array.from({ length: count }, (_, index) => `  if (a${index}) n++;`).join("\n");
const params = (count: number) => Array.from({ length: count }, (_, index) => `a${index}: boolean`).join(", ");

async function reported(source: string, options: AnalyzeOptions = {}): Promise<Array<{ text: string; message: string }>> {
  const result = await analyze({ "src/main.ts": source }, options);
  return result.findingsIn("src/main.ts", rule).map((finding) => ({ text: result.textOf(finding), message: finding.message }));
}

const withOptions = (options: Record<string, unknown>): AnalyzeOptions => ({ settings: { rules: { [rule]: { options } } } });

describe("rule: complexity", () => {
  afterEach(removeTempDirs);

  it("reports a function one path over the default maximum of 10, and not one at it", async () => {
    const at = `export function atLimit(${params(9)}): number {\n  let n = 0;\n${branches(9)}\n  return n;\n}\n`;
    const over = `export function overLimit(${params(10)}): number {\n  let n = 0;\n${branches(10)}\n  return n;\n}\n`;
    assert.deepEqual(await reported(at), []);
    assert.deepEqual(await reported(over), [{ text: "overLimit", message: "`overLimit` has a cyclomatic complexity of 11 (maximum 10). Split it into smaller functions." }]);
  });

  it("counts loops, ternaries, case clauses, catch, `&&`, `||`, `??` and logical assignments, but not `default:`", async () => {
    const source = [
      "export function everything(a: number[], b: string | undefined, c: boolean, d: { x?: number }): number {",
      "  let n = 0;", // 1
      "  for (const x of a) n += x;", // 2
      "  for (const k in d) n += k.length;", // 3
      "  for (let i = 0; i < 1; i++) n++;", // 4
      "  while (c) c = false;", // 5
      "  do n++; while (n < 0);", // 6
      "  n += c ? 1 : 2;", // 7
      "  switch (b) { case 'a': n++; break; case 'b': n--; break; default: n = 0; }", // 8, 9
      "  try { n++; } catch { n--; }", // 10
      "  if (c && b || b ?? c) n++;", // 11, 12, 13, 14
      "  d.x ??= 1; c ||= true; c &&= false;", // 15, 16, 17
      "  return n;",
      "}",
      "",
    ].join("\n");
    const [finding] = await reported(source, withOptions({ maxCyclomatic: 1 }));
    assert.match(finding.message, /cyclomatic complexity of 17 \(maximum 1\)/);
  });

  it("measures each function on its own: a nested callback's branches do not count for its parent", async () => {
    const source = `export function outer(items: boolean[]): number {\n  return items.filter((a0) => {\n    let n = 0;\n${branches(1)}\n    return n > 0 || a0 && n < 2;\n  }).length;\n}\n`;
    const findings = await reported(source, withOptions({ maxCyclomatic: 2 }));
    // The arrow has 1 + if + || + && = 4; outer has 1.
    assert.deepEqual(findings, [{ text: "=>", message: "This function has a cyclomatic complexity of 4 (maximum 2). Split it into smaller functions." }]);
  });

  it("reports nesting deeper than maxNesting, not counting `else if` as a level", async () => {
    const deep = [
      "export function deep(a: boolean, items: number[]): number {",
      "  let n = 0;",
      "  if (a) {", // 1
      "    for (const item of items) {", // 2
      "      while (n < item) {", // 3
      "        try {", // 4
      "          if (item > 2) n++;", // 5
      "        } finally { n--; }",
      "      }",
      "    }",
      "  }",
      "  return n;",
      "}",
      "",
    ].join("\n");
    assert.deepEqual(await reported(deep), [{ text: "deep", message: "`deep` has control flow nested 5 deep (maximum 4). Split it into smaller functions." }]);
    const chain = "export function chain(n: number): string {\n  if (n === 1) return 'a';\n  else if (n === 2) return 'b';\n  else if (n === 3) return 'c';\n  else if (n === 4) return 'd';\n  else if (n === 5) { if (n) { if (n) { if (n) return 'e'; } } }\n  return 'f';\n}\n";
    assert.deepEqual((await reported(chain, withOptions({ maxCyclomatic: 100 }))).length, 0);
  });

  it("names methods, constructors, accessors, arrows assigned to names, and static blocks", async () => {
    const source = [
      "export class Service {",
      "  constructor(a: boolean) { if (a) { if (a) {} } }",
      "  run(a: boolean) { if (a) { if (a) {} } }",
      "  get value() { if (this) { if (this) {} } return 1; }",
      "  handler = (a: boolean) => { if (a) { if (a) {} } };",
      "  static { if (Service) { if (Service) {} } }",
      "}",
      "export const named = function (a: boolean) { if (a) { if (a) {} } };",
      "",
    ].join("\n");
    const findings = await reported(source, withOptions({ maxNesting: 1 }));
    assert.deepEqual(findings.map((finding) => finding.text), ["constructor", "run", "value", "handler", "static", "named"]);
    assert.match(findings[0].message, /^This constructor has control flow nested 2 deep \(maximum 1\)/);
    assert.match(findings[4].message, /^This static block has/);
  });

  it("takes both thresholds from the rule's options, with severity, and ignores invalid values", async () => {
    const source = `export function f(${params(3)}): number {\n  let n = 0;\n${branches(3)}\n  if (a0) { if (a1) { n++; } }\n  return n;\n}\n`;
    const result = await analyze({ "src/main.ts": source }, { settings: { rules: { [rule]: { severity: "error", options: { maxCyclomatic: 3, maxNesting: 1 } } } } });
    const [finding] = result.findingsIn("src/main.ts", rule);
    assert.equal(finding.severity, "error");
    assert.equal(finding.message, "`f` has a cyclomatic complexity of 6 (maximum 3) and control flow nested 2 deep (maximum 1). Split it into smaller functions.");
    // A threshold that is not a whole number ≥ 1 falls back to the default instead of reporting everything.
    assert.deepEqual(await reported(source, withOptions({ maxCyclomatic: 0, maxNesting: "1" })), []);
    assert.deepEqual(await reported(source, withOptions({ maxCyclomatic: 2.5 })), []);
  });

  it("asks for re-analysis when options change, not when only the severity does", () => {
    const engine = new Engine(defaultEngineSettings);
    assert.equal(engine.updateSettings({ ...defaultEngineSettings, rules: { [rule]: "error" } }), false);
    assert.equal(engine.updateSettings({ ...defaultEngineSettings, rules: { [rule]: { severity: "error", options: { maxNesting: 2 } } } }), true);
    assert.equal(engine.updateSettings({ ...defaultEngineSettings, rules: { [rule]: { severity: "hint", options: { maxNesting: 2 } } } }), false);
    assert.equal(engine.updateSettings({ ...defaultEngineSettings, rules: { [rule]: { severity: "hint" } } }), true);
  });

  it("runs without type information and offers no fix", async () => {
    const source = `export function f(${params(11)}): number {\n  let n = 0;\n${branches(11)}\n  return n;\n}\n`;
    const result = await analyze({ "src/main.ts": source }, { settings: { typeAware: false } });
    const findings = result.findingsIn("src/main.ts", rule);
    assert.equal(findings.length, 1);
    assert.deepEqual(findings[0].fixes, []);
  });
});
