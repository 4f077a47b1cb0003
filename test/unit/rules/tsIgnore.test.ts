import * as assert from "node:assert/strict";
import * as path from "node:path";
import * as ts from "typescript";
import { useSpeculativeCheckForTesting } from "../../../server/src/engine/rules/tsIgnore";
import { analyze, applyFix, removeTempDirs, writeFiles, type AnalyzeOptions, type Files } from "../helpers/workspace";
import { orderDependentCircularity } from "./tsIgnoreFixtures";

const rule = "ts-ignore";

interface Reported {
  line: number;
  title: string | undefined;
  fixed: string | undefined;
}

async function reported(source: string, file = "src/main.ts", extra: Files = {}, options: AnalyzeOptions = {}): Promise<Reported[]> {
  const result = await analyze({ [file]: source, ...extra }, options);
  return result.findingsIn(file, rule).map((finding) => ({
    line: finding.range.start.line,
    title: finding.fixes[0]?.title,
    fixed: finding.fixes[0] ? applyFix(source, finding.fixes[0]) : undefined,
  }));
}

// Both ways of deciding which directives suppress something must agree: the warm checker's
// unfiltered diagnostics (the fast path) and a speculative program (the fallback).
for (const mode of ["warm checker", "speculative program"] as const) describe(`rule: ts-ignore (${mode})`, () => {
  before(() => useSpeculativeCheckForTesting(mode === "speculative program"));
  after(() => useSpeculativeCheckForTesting(false));
  afterEach(removeTempDirs);

  it("turns a `@ts-ignore` that hides an error into `@ts-expect-error`, keeping the rest of the comment", async () => {
    const source = "export function f() {\n  // @ts-ignore: legacy API\n  const n: number = 'one';\n  return n;\n}\n";
    const result = await analyze({ "src/main.ts": source });
    const [finding] = result.findingsIn("src/main.ts", rule);
    assert.equal(result.textOf(finding), "@ts-ignore");
    assert.equal(finding.message, "`@ts-ignore` hides every error on the next line, including future ones. Use `@ts-expect-error`, which fails once the error is gone.");
    assert.equal(finding.fixes[0].title, "Use `@ts-expect-error`");
    assert.equal(applyFix(source, finding.fixes[0]), source.replace("@ts-ignore", "@ts-expect-error"));
  });

  it("removes a `@ts-ignore` that hides nothing, with its line", async () => {
    const source = "export function f() {\n  // @ts-ignore\n  const n: number = 1;\n  return n;\n}\n";
    assert.deepEqual(await reported(source), [
      { line: 1, title: "Remove the `@ts-ignore`: it suppresses no error", fixed: "export function f() {\n  const n: number = 1;\n  return n;\n}\n" },
    ]);
  });

  it("decides each directive on its own, as TypeScript does, across comment lines in between", async () => {
    const source = [
      "export function f() {",
      "  // @ts-ignore",
      "  // an explanation between the directive and the code",
      "  const a: number = 'a';",
      "  const b = 1; // @ts-ignore",
      "  const c: string = b;",
      "  /* @ts-ignore */",
      "  const d: string = 'fine';",
      "  return [a, c, d];",
      "}",
      "",
    ].join("\n");
    const found = await reported(source);
    assert.deepEqual(found.map((finding) => [finding.line, finding.title?.startsWith("Use") ? "expect-error" : "remove"]), [
      [1, "expect-error"],
      [4, "expect-error"],
      [6, "remove"],
    ]);
    // The trailing directive is removed from its line, not the line with it.
    assert.equal(found[1].fixed, source.replace("// @ts-ignore\n  const c", "// @ts-expect-error\n  const c"));
    assert.equal(found[2].fixed, source.replace("  /* @ts-ignore */\n", ""));
  });

  it("ignores what TypeScript does not read as a directive: prose, strings, templates, and `@ts-expect-error`", async () => {
    const source = "// see @ts-ignore in the docs\nexport const s = '// @ts-ignore';\nexport const t = `\n// @ts-ignore\n`;\n// @ts-expect-error\nexport const n: number = 'x';\n";
    assert.deepEqual(await reported(source), []);
  });

  it("handles directives in TSX children", async () => {
    const tsconfig = JSON.stringify({ compilerOptions: { jsx: "preserve", strict: true, lib: ["ES2022"], noEmit: true } });
    const source = "function Badge(props: { count: number }) {\n  return <b>{props.count}</b>;\n}\nexport const view = (\n  <div>\n    {/* @ts-ignore */}\n    <Badge count=\"many\" />\n    {/* @ts-ignore */}\n    <Badge count={1} />\n  </div>\n);\n";
    const found = await reported(source, "src/view.tsx", { "tsconfig.json": tsconfig });
    assert.deepEqual(found.map((finding) => finding.title), ["Use `@ts-expect-error`", "Remove the `@ts-ignore`: it suppresses no error"]);
    assert.equal(found[1].fixed, source.replace("    {/* @ts-ignore */}\n    <Badge count={1} />", "    {}\n    <Badge count={1} />"));
  });

  it("counts errors that come from other files (the checker sees the whole program)", async () => {
    const source = 'import { total } from "./lib";\n// @ts-ignore\nexport const label: string = total;\n';
    const found = await reported(source, "src/main.ts", { "src/lib.ts": "export const total = 42;\n" });
    assert.deepEqual(found.map((finding) => finding.title), ["Use `@ts-expect-error`"]);
  });

  it("offers no fix for a directive whose only hidden errors depend on check order, but converts one that also hides another", async () => {
    const source = ["// @ts-ignore", "export type Loop = Loop;", "// @ts-ignore", "export type Again = Again; export const s: string = 1;", ""].join("\n");
    const result = await analyze({ "src/main.ts": source });
    const [circular, mixed] = result.findingsIn("src/main.ts", rule);
    assert.deepEqual(circular.fixes, []);
    assert.equal(
      circular.message,
      "`@ts-ignore` hides every error on the next line, including future ones. The only error it hides here (TS2456) is one TypeScript reports or not depending on the order it checks files in, so neither `@ts-expect-error` (an error where it is not reported) nor removing the directive is safe: no fix.",
    );
    // TS2322 is there in any order, so `@ts-expect-error` always has an error to expect.
    assert.deepEqual(mixed.fixes.map((fix) => fix.title), ["Use `@ts-expect-error`"]);
  });

  it("is type-aware: nothing without type information", async () => {
    assert.deepEqual(await reported("// @ts-ignore\nexport const n: number = 'x';\n", "src/main.ts", {}, { settings: { typeAware: false } }), []);
  });
});

// Only the warm checker sees this one: the fallback's fresh program checks the file first, as
// `tsc` does here, where nothing is circular (so it offers removal, which `tsc` accepts).
describe("rule: ts-ignore, an error only some check orders report (zod's `Prettify`)", () => {
  afterEach(removeTempDirs);

  it("offers no fix: `tsc` fails the `@ts-expect-error` it used to offer, and the engine's order reports the error", async () => {
    const result = await analyze(orderDependentCircularity);
    const [finding] = result.findingsIn("src/util.ts", rule);
    assert.deepEqual(finding.fixes, []);
    assert.match(finding.message, /The only error it hides here \(TS2313\) is one TypeScript reports or not depending on the order it checks files in/);
    // The other directive hides an ordinary error: converted as usual.
    assert.deepEqual(result.findingsIn("src/recursive.ts", rule).map((other) => other.fixes[0]?.title), ["Use `@ts-expect-error`"]);

    // The ground truth, from `tsc`'s own program: with `@ts-expect-error`, TS2578 in util.ts.
    const util = path.join(result.root, "src/util.ts");
    writeFiles(result.root, { "src/util.ts": orderDependentCircularity["src/util.ts"].toString().replace("@ts-ignore", "@ts-expect-error") });
    const config = ts.getParsedCommandLineOfConfigFile(path.join(result.root, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
    const program = ts.createProgram({ rootNames: config.fileNames, options: config.options });
    const errors = ts.getPreEmitDiagnostics(program).map((diagnostic) => `${path.basename(diagnostic.file?.fileName ?? "")} TS${diagnostic.code}`);
    assert.deepEqual(errors, ["util.ts TS2578"], `tsc on ${util}`);
  });
});
