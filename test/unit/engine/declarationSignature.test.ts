import * as assert from "node:assert/strict";
import { analyze, defaultTsconfig, removeTempDirs } from "../helpers/workspace";

/**
 * engine.declarationSignature decides whether the importers of an edited file are re-checked:
 * it must change whenever what importers see can change, and stay put for body-only edits.
 */
describe("engine: declarationSignature", () => {
  afterEach(removeTempDirs);

  const source = [
    "/** Saves. */",
    "export function save(value: number) {",
    "  const doubled = value * 2;",
    "  return doubled > 1;",
    "}",
    "",
  ].join("\n");

  async function signaturesOf(texts: string[], options: { file?: string; tsconfig?: string } = {}): Promise<Array<string | undefined>> {
    const file = options.file ?? "src/a.ts";
    const { engine, pathOf } = await analyze({ [file]: texts[0], "src/b.ts": 'import { save } from "./a";\nsave(1);\n' }, { tsconfig: options.tsconfig });
    return texts.map((text, index) => {
      engine.updateDocument(pathOf(file), text, index + 1);
      return engine.declarationSignature(pathOf(file));
    });
  }

  it("is the same for the same text, and for an edit inside a function body", async () => {
    const [first, again, bodyEdited] = await signaturesOf([source, source, source.replace("value * 2", "value * 3 + 1")]);
    assert.ok(first);
    assert.equal(again, first);
    assert.equal(bodyEdited, first);
  });

  it("changes with an exported type, even an inferred one, and with JSDoc (deprecated-usage reads it)", async () => {
    const [first, inferred, deprecated] = await signaturesOf([
      source,
      source.replace("return doubled > 1;", "return doubled;"),
      source.replace("/** Saves. */", "/** @deprecated Saves. */"),
    ]);
    assert.ok(first);
    assert.notEqual(inferred, first, "the inferred return type changed from boolean to number");
    assert.notEqual(deprecated, first);
  });

  it("ignores the declaration source map, which moves with every edit", async () => {
    const tsconfig = JSON.stringify({ compilerOptions: { ...JSON.parse(defaultTsconfig).compilerOptions, declaration: true, declarationMap: true } });
    const [first, bodyEdited] = await signaturesOf([source, `\n\n${source.replace("value * 2", "value * 3")}`], { tsconfig });
    assert.ok(first);
    assert.equal(bodyEdited, first);
  });

  it("is unknown for a script, whose globals reach every file", async () => {
    const [script] = await signaturesOf(["function helper() { return 1; }\n"], { file: "src/globals.ts" });
    assert.equal(script, undefined);
  });

  it("covers JavaScript: its declarations are inferred too", async () => {
    const js = "export function save(value) {\n  return value > 1;\n}\n";
    const tsconfig = JSON.stringify({ compilerOptions: { module: "ESNext", moduleResolution: "Bundler", allowJs: true, checkJs: true, noEmit: true, lib: ["ES2022"] } });
    const [first, bodyEdited, changed] = await signaturesOf([js, js.replace("value > 1", "value > 2"), js.replace("value > 1", "String(value)")], { file: "src/a.js", tsconfig });
    assert.ok(first);
    assert.equal(bodyEdited, first);
    assert.notEqual(changed, first);
  });
});
