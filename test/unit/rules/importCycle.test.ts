import * as assert from "node:assert/strict";
import { analyze, removeTempDirs, type Analysis, type Files } from "../helpers/workspace";

const rule = "import-cycle";

async function cycles(files: Files, tsconfig?: string | false): Promise<{ result: Analysis; byFile: Record<string, string[]> }> {
  const result = await analyze(files, tsconfig === undefined ? {} : { tsconfig });
  const byFile: Record<string, string[]> = {};
  for (const finding of result.findings.filter((finding) => finding.ruleId === rule)) {
    const relative = finding.file.slice(result.root.length + 1);
    (byFile[relative] ??= []).push(result.textOf(finding));
  }
  return { result, byFile };
}

describe("rule: import-cycle", () => {
  afterEach(removeTempDirs);

  it("reports both imports of a 2-cycle, each on its module specifier", async () => {
    const { result, byFile } = await cycles({
      "src/a.ts": 'import { b } from "./b";\nexport const a = () => b;\n',
      "src/b.ts": 'import { a } from "./a";\nexport const b = () => a;\n',
    });
    assert.deepEqual(byFile, { "src/a.ts": ['"./b"'], "src/b.ts": ['"./a"'] });
    const [inA] = result.findingsIn("src/a.ts", rule);
    assert.equal(inA.severity, "warning");
    assert.equal(inA.message, "Import cycle: ./a.ts → ./b.ts → ./a.ts. Modules in a cycle can observe each other half-initialized.");
    assert.deepEqual(inA.fixes, []);
  });

  it("spells out the whole loop of a 3-cycle, starting from the reporting file", async () => {
    const { result } = await cycles({
      "src/a.ts": 'import "./b";\n',
      "src/b.ts": 'import "./sub/c";\n',
      "src/sub/c.ts": 'export * from "../a";\n',
    });
    assert.match(result.findingsIn("src/a.ts", rule)[0].message, /^Import cycle: \.\/a\.ts → \.\/b\.ts → \.\/sub\/c\.ts → \.\/a\.ts\./);
    // Paths are relative to the reporting file, so the loop reads from where the user stands.
    assert.match(result.findingsIn("src/sub/c.ts", rule)[0].message, /^Import cycle: \.\/c\.ts → \.\.\/a\.ts → \.\.\/b\.ts → \.\/c\.ts\./);
    assert.equal(result.findings.filter((finding) => finding.ruleId === rule).length, 3);
  });

  it("points related locations at the other imports of the loop", async () => {
    const { result } = await cycles({
      "src/a.ts": 'import "./b";\n',
      "src/b.ts": '// b\nimport "./c";\n',
      "src/c.ts": '\n\nimport "./a";\n',
    });
    const [inA] = result.findingsIn("src/a.ts", rule);
    assert.deepEqual(inA.related, [
      { file: result.pathOf("src/b.ts"), range: { start: { line: 1, character: 7 }, end: { line: 1, character: 12 } }, message: "./b.ts imports ./c" },
      { file: result.pathOf("src/c.ts"), range: { start: { line: 2, character: 7 }, end: { line: 2, character: 12 } }, message: "./c.ts imports ./a" },
    ]);
  });

  it("reports a module that imports itself", async () => {
    const { result, byFile } = await cycles({ "src/self.ts": 'import { x as y } from "./self";\nexport const x = 1;\nexport const z = y;\n' });
    assert.deepEqual(byFile, { "src/self.ts": ['"./self"'] });
    assert.match(result.findings[0].message, /^Import cycle: \.\/self\.ts → \.\/self\.ts\./);
  });

  it("ignores type-only imports and re-exports: they are erased at run time", async () => {
    const { byFile } = await cycles({
      "src/a.ts": 'import type { B } from "./b";\nimport { type C } from "./c";\nexport type A = { b?: B; c?: C };\n',
      "src/b.ts": 'import { a } from "./values";\nexport type { A } from "./a";\nexport interface B { a: typeof a }\n',
      "src/c.ts": 'import * as values from "./values";\nexport interface C { v: typeof values }\n',
      "src/values.ts": 'import type { A } from "./a";\nexport const a: A | undefined = undefined;\n',
    });
    assert.deepEqual(byFile, {});
  });

  it("counts a runtime import that breaks an otherwise type-only loop", async () => {
    const { byFile } = await cycles({
      "src/a.ts": 'import type { B } from "./b";\nimport { b } from "./b";\nexport type A = B;\nexport const a = () => b;\n',
      "src/b.ts": 'import { a } from "./a";\nexport type B = number;\nexport const b = () => a;\n',
    });
    assert.deepEqual(byFile, { "src/a.ts": ['"./b"'], "src/b.ts": ['"./a"'] });
  });

  it("counts `export * from` and `export { x } from`", async () => {
    const { byFile } = await cycles({
      "src/index.ts": 'export * from "./impl";\n',
      "src/impl.ts": 'export { helper } from "./index";\nexport const impl = 1;\n',
      "src/helper.ts": "export const helper = 2;\n",
    });
    // index → impl → index: impl's `export { helper } from "./index"` closes the loop.
    assert.deepEqual(byFile, { "src/impl.ts": ['"./index"'], "src/index.ts": ['"./impl"'] });
  });

  it("counts top-level `require()` in JavaScript", async () => {
    const { byFile } = await cycles(
      {
        "a.js": 'const b = require("./b");\nmodule.exports = { a: () => b };\n',
        "b.js": 'const { a } = require("./a").inner;\nmodule.exports = { b: () => a };\n',
      },
      false,
    );
    assert.deepEqual(byFile, { "a.js": ['"./b"'], "b.js": ['"./a"'] });
  });

  it("ignores dynamic `import()`: it runs after the module graph has initialized", async () => {
    const { byFile } = await cycles({
      "src/a.ts": 'import { b } from "./b";\nexport const a = () => b;\n',
      "src/b.ts": 'export async function b() {\n  const { a } = await import("./a");\n  return a;\n}\nexport const lazy = () => import("./a");\n',
    });
    assert.deepEqual(byFile, {});
  });

  it("follows the severity setting, and `off` removes the findings", async () => {
    const files = { "src/a.ts": 'import "./b";\n', "src/b.ts": 'import "./a";\n' };
    const error = await analyze(files, { settings: { rules: { [rule]: "error" } } });
    assert.deepEqual(error.findings.map((finding) => finding.severity), ["error", "error"]);
    const off = await analyze(files, { settings: { rules: { [rule]: "off" } } });
    assert.deepEqual(off.findings, []);
  });

  it("reports nothing for an acyclic diamond", async () => {
    const { byFile } = await cycles({
      "src/top.ts": 'import "./left";\nimport "./right";\n',
      "src/left.ts": 'import "./bottom";\n',
      "src/right.ts": 'import "./bottom";\n',
      "src/bottom.ts": "export {};\n",
    });
    assert.deepEqual(byFile, {});
  });
});
