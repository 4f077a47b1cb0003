import * as assert from "node:assert/strict";
import * as ts from "typescript";
import { emitContractDeclarations } from "../../../server/src/engine/contracts/declarations";
import { JsonDocument } from "../../../server/src/engine/contracts/jsonPositions";
import { makeTempDir, removeTempDirs, writeFiles } from "../helpers/workspace";

describe("contracts: declaration bundles", () => {
  afterEach(removeTempDirs);

  it("keeps what the entry's declarations reach, keyed from their common folder, with imports between them as relative .js specifiers", () => {
    const root = makeTempDir();
    writeFiles(root, {
      "src/index.ts": 'import type { Shape } from "@/shapes/shape.ts";\nimport { body } from "./body";\nexport function area(shape: Shape): number {\n  return body(shape);\n}\nexport type Deep = import("./nested/deep").Deep;\nexport type Settings = typeof import("./data.json");\n',
      "src/shapes/shape.ts": "export interface Shape {\n  width: number;\n}\n",
      "src/nested/deep.ts": 'export type Deep = { value: string };\n',
      "src/body.ts": "export function body(value: unknown): number {\n  return 0;\n}\n",
      "src/data.json": '{ "scale": 2 }\n',
    });
    const program = ts.createProgram([`${root}/src/index.ts`], {
      strict: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      allowImportingTsExtensions: true,
      resolveJsonModule: true,
      noEmit: true,
      baseUrl: root,
      paths: { "@/*": ["src/*"] },
      lib: ["lib.es2022.d.ts"],
      types: [],
    });
    const { bundle, problems } = emitContractDeclarations(program, `${root}/src/index.ts`);
    assert.deepEqual(problems, []);
    assert.equal(bundle.entry, "index.d.ts");
    assert.deepEqual(Object.keys(bundle.files).sort(), ["data.json", "index.d.ts", "nested/deep.d.ts", "shapes/shape.d.ts"], "body.ts is used by a function body only: not reached");
    const index = bundle.files["index.d.ts"];
    assert.match(index, /import type \{ Shape \} from "\.\/shapes\/shape\.js";/, "a path alias and a .ts extension become a relative .js specifier");
    assert.match(index, /import\("\.\/nested\/deep\.js"\)\.Deep/);
    assert.ok(!index.includes(root), "no absolute path");
  });

  it("keeps imports of packages as written", () => {
    const root = makeTempDir();
    writeFiles(root, { "index.ts": 'import type { SourceFile } from "typescript";\nexport declare function parse(text: string): SourceFile;\n' });
    const program = ts.createProgram([`${root}/index.ts`], { strict: true, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, noEmit: true, typeRoots: [], types: [] });
    const { bundle } = emitContractDeclarations(program, `${root}/index.ts`);
    assert.deepEqual(Object.keys(bundle.files), ["index.d.ts"]);
    assert.match(bundle.files["index.d.ts"], /from "typescript";/);
  });
});

describe("contracts: JSON with positions", () => {
  it("finds the line of an RFC 6901 pointer, escapes included, and the nearest ancestor for a missing one", () => {
    const document = new JsonDocument("/x.json", '{\n  "a/b": {\n    "c~d": [1, 2]\n  },\n  "e": true\n}\n');
    assert.deepEqual(document.value, { "a/b": { "c~d": [1, 2] }, e: true });
    assert.equal(document.rangeOf("/a~1b/c~0d/1").start.line, 2);
    assert.equal(document.rangeOf("/a~1b/c~0d/1").start.character, 15);
    assert.equal(document.rangeOf("/e").start.line, 4);
    assert.equal(document.rangeOf("/a~1b/missing").start.line, 1, "the nearest existing ancestor");
  });

  it("reports syntax errors with their position and has no value then", () => {
    const document = new JsonDocument("/x.json", '{\n  "a": 1,\n  "b": \n}\n');
    assert.equal(document.value, undefined);
    assert.equal(document.errors[0].range.start.line, 3);
    assert.match(document.errors[0].message, /expected/);
  });
});
