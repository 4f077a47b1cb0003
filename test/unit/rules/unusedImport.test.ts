import * as assert from "node:assert/strict";
import { analyze, applyFix, removeTempDirs, type Files } from "../helpers/workspace";

const rule = "unused-import";

const lib: Files = {
  "src/lib.ts": "export const a = 1;\nexport const b = 2;\nexport const c = 3;\nexport default function main() {}\nexport interface Shape { size: number }\n",
};

interface Reported {
  name: string;
  title: string | undefined;
  fixed: string | undefined;
}

async function reported(source: string, extra: Files = lib, file = "src/main.ts", tsconfig?: string): Promise<Reported[]> {
  const result = await analyze({ [file]: source, ...extra }, tsconfig ? { tsconfig } : {});
  return result.findingsIn(file, rule).map((finding) => ({ name: result.textOf(finding), title: finding.fixes[0]?.title, fixed: finding.fixes[0] ? applyFix(source, finding.fixes[0]) : undefined }));
}

const config = (options: Record<string, unknown>) => JSON.stringify({ compilerOptions: { strict: true, lib: ["ES2022"], noEmit: true, module: "ESNext", moduleResolution: "Bundler", ...options } });

describe("rule: unused-import", () => {
  afterEach(removeTempDirs);

  describe("what counts as a use", () => {
    it("reports each unused name on the name itself", async () => {
      const found = await reported('import main, { a, b as bee } from "./lib";\nimport * as everything from "./lib";\nexport const x = a;\n');
      assert.deepEqual(found.map((finding) => finding.name), ["main", "bee", "everything"]);
    });

    it("counts type positions, `export { x }`, `typeof x`, JSX-free decorators with metadata", async () => {
      const source = [
        'import { a, b, c, type Shape } from "./lib";',
        "export type T = typeof a;",
        "export { b };",
        "declare function Inject(): ParameterDecorator;",
        "export class Service {",
        "  constructor(@Inject() readonly shape: Shape) {}",
        "}",
        "export default c;",
        "",
      ].join("\n");
      const tsconfig = config({ experimentalDecorators: true, emitDecoratorMetadata: true });
      assert.deepEqual(await reported(source, lib, "src/main.ts", tsconfig), []);
    });

    it("is not fooled by shadowing: a parameter of the same name is not a use", async () => {
      const found = await reported('import { a } from "./lib";\nexport function f(a: number) {\n  return a + 1;\n}\n');
      assert.deepEqual(found.map((finding) => finding.name), ["a"]);
    });

    it("never reports side-effect imports or re-exports", async () => {
      assert.deepEqual(await reported('import "./lib";\nexport { a } from "./lib";\nexport * as all from "./lib";\n'), []);
    });

    it("counts the JSX factory as used by every element (classic runtime, option or pragma)", async () => {
      const h: Files = { "src/h.ts": "export function h(tag: unknown, props: unknown, ...children: unknown[]): unknown {\n  return [tag, props, children];\n}\nexport function Fragment(): unknown {\n  return null;\n}\n" };
      const byOption = config({ jsx: "react", jsxFactory: "h", jsxFragmentFactory: "Fragment" });
      const source = 'import { h, Fragment } from "./h";\nexport const view = <><div /></>;\n';
      assert.deepEqual(await reported(source, { ...h, "src/jsx.d.ts": "declare namespace JSX { interface IntrinsicElements { [name: string]: unknown } }\n" }, "src/view.tsx", byOption), []);
      const byPragma = '/** @jsx h */\nimport { h } from "./h";\nexport const view = <div />;\n';
      assert.deepEqual(await reported(byPragma, { ...h, "src/jsx.d.ts": "declare namespace JSX { interface IntrinsicElements { [name: string]: unknown } }\n" }, "src/view.tsx", config({ jsx: "react" })), []);
    });

    it("counts a name mentioned in JSDoc in JavaScript", async () => {
      const js: Files = { "src/lib.js": "export class Shape {}\nexport const a = 1;\n" };
      const source = '// @ts-check\nimport { Shape, a } from "./lib.js";\n/** @param {Shape} shape */\nexport function area(shape) {\n  return shape;\n}\n';
      const found = await reported(source, js, "src/main.js", config({ allowJs: true, checkJs: true }));
      assert.deepEqual(found.map((finding) => finding.name), ["a"]);
    });
  });

  describe("the fix", () => {
    it("removes one specifier with its comma, wherever it sits in the list", async () => {
      const found = await reported('import { a, b, c } from "./lib";\nexport const x = [a, c];\n');
      assert.deepEqual(found, [{ name: "b", title: "Remove unused import `b`", fixed: 'import { a, c } from "./lib";\nexport const x = [a, c];\n' }]);
      const first = await reported('import { a, b } from "./lib";\nexport const x = b;\n');
      assert.equal(first[0].fixed, 'import { b } from "./lib";\nexport const x = b;\n');
      const last = await reported('import {a,b} from "./lib";\nexport const x = a;\n');
      assert.equal(last[0].fixed, 'import {a} from "./lib";\nexport const x = a;\n');
    });

    it("removes a specifier's whole line in a multi-line list, keeping the comments of the others", async () => {
      const source = 'import {\n  a, // the first\n  b,\n  c // the last\n} from "./lib";\nexport const x = [a, c];\n';
      assert.deepEqual((await reported(source)).map((finding) => finding.fixed), ['import {\n  a, // the first\n  c // the last\n} from "./lib";\nexport const x = [a, c];\n']);
      const lastLine = 'import {\n  a,\n  b\n} from "./lib";\nexport const x = a;\n';
      assert.deepEqual((await reported(lastLine)).map((finding) => finding.fixed), ['import {\n  a\n} from "./lib";\nexport const x = a;\n']);
    });

    it("removes the default or the named part of a mixed import", async () => {
      assert.deepEqual((await reported('import main, { a } from "./lib";\nexport const x = a;\n')).map((finding) => finding.fixed), ['import { a } from "./lib";\nexport const x = a;\n']);
      const namedUnused = await reported('import main, { a, b } from "./lib";\nexport const x = main;\n');
      assert.deepEqual(namedUnused.map((finding) => [finding.title, finding.fixed]), [
        ["Remove unused imports `a`, `b`", 'import main from "./lib";\nexport const x = main;\n'],
        ["Remove unused imports `a`, `b`", 'import main from "./lib";\nexport const x = main;\n'],
      ]);
    });

    it("removes the whole declaration when nothing in it is used, and the file stays a module", async () => {
      const source = '// imports\nimport { a, b } from "./lib";\nimport type { Shape } from "./lib";\nexport const x = 1;\n';
      const found = await reported(source);
      assert.deepEqual(found.map((finding) => [finding.name, finding.title, finding.fixed]), [
        ["a", "Remove the unused import declaration", '// imports\nimport type { Shape } from "./lib";\nexport const x = 1;\n'],
        ["b", "Remove the unused import declaration", '// imports\nimport type { Shape } from "./lib";\nexport const x = 1;\n'],
        ["Shape", "Remove unused import `Shape`", '// imports\nimport { a, b } from "./lib";\nexport const x = 1;\n'],
      ]);
    });

    it("leaves `export {};` when the import was all that made the file a module (declaration merging stays an augmentation)", async () => {
      const options: Files = { "src/options.ts": "export interface Options { level: number }\n" };
      const source = 'import { Options } from "./options";\ndeclare module "./options" {\n  interface Options {\n    debug?: boolean;\n  }\n}\n';
      assert.deepEqual((await reported(source, options)).map((finding) => finding.fixed), [source.replace('import { Options } from "./options";', "export {};")]);
    });

    it("keeps the module loading where imports are not elided: JavaScript and verbatimModuleSyntax", async () => {
      const js: Files = { "src/lib.js": "export const a = 1;\n" };
      const found = await reported('// @ts-check\nimport { a } from "./lib.js";\nexport const x = 1;\n', js, "src/main.js", config({ allowJs: true, checkJs: true }));
      assert.deepEqual(found.map((finding) => finding.fixed), ['// @ts-check\nimport "./lib.js";\nexport const x = 1;\n']);
      const verbatim = await reported('import { a } from "./lib";\nexport const x = 1;\n', lib, "src/main.ts", config({ verbatimModuleSyntax: true }));
      assert.deepEqual(verbatim.map((finding) => finding.fixed), ['import "./lib";\nexport const x = 1;\n']);
    });

    it("handles `import x = require()`", async () => {
      const commonjs = config({ module: "CommonJS", moduleResolution: "Node10" });
      const found = await reported('import lib = require("./lib");\nimport used = require("./lib");\nexport const x = used.a;\n', lib, "src/main.ts", commonjs);
      assert.deepEqual(found.map((finding) => [finding.name, finding.fixed]), [["lib", 'import used = require("./lib");\nexport const x = used.a;\n']]);
    });

    it("offers no fix under a `@ts-ignore`/`@ts-expect-error`: the directive would move to the next line", async () => {
      const source = '// @ts-expect-error: the name is wrong on purpose\nimport { missing } from "./lib";\nexport const x = 1;\n';
      assert.deepEqual(await reported(source), [{ name: "missing", title: undefined, fixed: undefined }]);
    });
  });
});
