import * as assert from "node:assert/strict";
import * as path from "node:path";
import * as ts from "typescript";
import { ContractError } from "../../../server/src/engine/contracts/contractError";
import { extractContract } from "../../../server/src/engine/contracts/extract";
import type { ApiSurface } from "../../../server/src/engine/contracts/model";
import { makeTempDir, removeTempDirs, writeFiles, type Files } from "../helpers/workspace";
import { fixtureProgram } from "./helpers";

function extract(files: Files, entry = "index.ts", order?: string[]): { api: ApiSurface; root: string; locations: ReturnType<typeof extractContract>["locations"] } {
  const root = makeTempDir();
  writeFiles(root, files);
  const roots = (order ?? [entry]).map((file) => path.join(root, file).replace(/\\/g, "/"));
  const program = order ? ts.createProgram(roots, { strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, lib: ["lib.es2022.d.ts"], types: [], noEmit: true }) : fixtureProgram(roots[0], root);
  const { api, locations } = extractContract(program, path.join(root, entry).replace(/\\/g, "/"));
  return { api, root, locations };
}

describe("contracts: extraction", () => {
  afterEach(removeTempDirs);

  it("describes functions with overloads, optional, rest and defaulted parameters, type parameters and predicates", () => {
    const { api } = extract({
      "index.ts": [
        "export function read(source: string): string;",
        "export function read(source: number, radix?: number): number;",
        "export function read(source: string | number, radix = 10): string | number {",
        "  return source;",
        "}",
        "export function pick<T extends object, K extends keyof T = keyof T>(value: T, ...keys: K[]): Pick<T, K> {",
        "  return value;",
        "}",
        "export function isText(value: unknown): value is string {",
        "  return typeof value === 'string';",
        "}",
      ].join("\n"),
    });
    assert.deepEqual(api.exports.read, {
      function: {
        signatures: [
          { parameters: [{ name: "source", type: "string" }], returns: "string" },
          { parameters: [{ name: "source", type: "number" }, { name: "radix", type: "number", optional: true }], returns: "number" },
        ],
      },
    });
    assert.deepEqual(api.exports.pick.function?.signatures[0], {
      typeParameters: [{ name: "T", constraint: "object" }, { name: "K", constraint: "keyof T", default: "keyof T" }],
      parameters: [{ name: "value", type: "T" }, { name: "keys", type: "K[]", rest: true }],
      returns: "Pick<T, K>",
    });
    assert.equal(api.exports.isText.function?.signatures[0].returns, "value is string");
  });

  it("describes classes: visibility, static, readonly, abstract, optional members, constructors, index signatures and the base class", () => {
    const { api } = extract({
      "index.ts": [
        "class Base {",
        "  id = 0;",
        "}",
        "export abstract class Shape extends Base {",
        "  [key: string]: unknown;",
        "  private cache = new Map<string, number>();",
        "  #secret = 1;",
        "  protected label?: string;",
        "  readonly kind: \"shape\" = \"shape\";",
        "  static count = 0;",
        "  constructor(label?: string) {",
        "    super();",
        "  }",
        "  abstract area(): number;",
        "  get size(): number {",
        "    return 0;",
        "  }",
        "}",
      ].join("\n"),
    });
    assert.deepEqual(api.exports.Shape, {
      class: {
        abstract: true,
        extends: "Base",
        constructors: [{ parameters: [{ name: "label", type: "string", optional: true }], returns: "Shape" }],
        indexSignatures: [{ keyType: "string", type: "unknown" }],
        members: {
          cache: { kind: "property", visibility: "private" },
          label: { kind: "property", visibility: "protected", optional: true, type: "string" },
          kind: { kind: "property", readonly: true, type: '"shape"' },
          area: { kind: "method", abstract: true, signatures: [{ parameters: [], returns: "number" }] },
          size: { kind: "property", readonly: true, type: "number" },
          "static count": { kind: "property", static: true, type: "number" },
        },
      },
    });
  });

  it("describes interfaces, object type aliases, enums with values, variables and namespaces", () => {
    const { api } = extract({
      "index.ts": [
        "export interface Named { readonly name: string; rename?(to: string): void; (greeting: string): string; }",
        "export type Point = { x: number; y?: number };",
        "export type Id = string | number;",
        "export enum Color { Red = 'red', Green = 1 << 1 }",
        "export const enum Flag { On = 1 }",
        "export let counter = 0;",
        "export namespace util { export const pi = 3.14; }",
      ].join("\n"),
    });
    assert.deepEqual(api.exports.Named, {
      interface: {
        members: {
          name: { kind: "property", readonly: true, type: "string" },
          rename: { kind: "method", optional: true, signatures: [{ parameters: [{ name: "to", type: "string" }], returns: "void" }] },
        },
        callSignatures: [{ parameters: [{ name: "greeting", type: "string" }], returns: "string" }],
      },
    });
    assert.deepEqual(api.exports.Point, { typeAlias: { shape: { members: { x: { kind: "property", type: "number" }, y: { kind: "property", optional: true, type: "number" } } } } });
    assert.deepEqual(api.exports.Id, { typeAlias: { type: "number | string" } });
    assert.deepEqual(api.exports.Color, { enum: { members: { Red: "red", Green: 2 } } });
    assert.deepEqual(api.exports.Flag, { enum: { const: true, members: { On: 1 } } });
    assert.deepEqual(api.exports.counter, { variable: { declaration: "let", type: "number" } });
    assert.deepEqual(api.exports.util, { namespace: { exports: { pi: { variable: { declaration: "const", type: "3.14" } } } } });
  });

  it("leaves @internal declarations, members and overloads out, marks @beta/@alpha/@experimental and keeps @deprecated's text", () => {
    const { api } = extract({
      "index.ts": [
        "/** @internal */",
        "export function hidden(): void {}",
        "/** @beta */",
        "export interface Preview {",
        "  /** @internal */",
        "  debug: boolean;",
        "  /** @alpha */",
        "  next?: number;",
        "}",
        "/** @experimental */",
        "export const early = 1;",
        "/** @deprecated Use read(source) instead. */",
        "export function load(): void;",
        "/** @internal */",
        "export function load(trace: boolean): void;",
        "export function load(trace?: boolean): void {}",
      ].join("\n"),
    });
    assert.deepEqual(Object.keys(api.exports).sort(), ["Preview", "early", "load"]);
    assert.deepEqual(api.exports.Preview, { release: "beta", interface: { members: { next: { kind: "property", optional: true, release: "alpha", type: "number" } } } });
    assert.equal(api.exports.early.release, "beta");
    assert.deepEqual(api.exports.load.function?.signatures, [{ parameters: [], returns: "void", deprecated: "Use read(source) instead." }]);
  });

  it("resolves re-exports and export *, describes a symbol once and its other names as aliases", () => {
    const { api } = extract({
      "index.ts": 'export * from "./parts";\nexport { parse as default, parse as parseText } from "./parts";\nexport * as parts from "./parts";\n',
      "parts.ts": "export function parse(text: string): number {\n  return text.length;\n}\nexport const limit = 10;\n",
    });
    assert.deepEqual(Object.keys(api.exports).sort(), ["default", "limit", "parse", "parseText", "parts"]);
    assert.ok(api.exports.default.function, "the first name in sorted order is described");
    assert.deepEqual(api.exports.parse, { aliasOf: "default" });
    assert.deepEqual(api.exports.parseText, { aliasOf: "default" });
    assert.deepEqual(api.exports.parts, { namespace: { exports: { limit: { aliasOf: "limit" }, parse: { aliasOf: "default" } } } });
  });

  it("describes an `export =` module under the name `export=`", () => {
    const { api } = extract({ "index.ts": "declare function greet(name: string): string;\nexport = greet;\n" });
    assert.deepEqual(api.exports, { "export=": { function: { signatures: [{ parameters: [{ name: "name", type: "string" }], returns: "string" }] } } });
  });

  it("describes an exported expression by its type, members named by symbols, and keeps a merged namespace's exports out of a class's statics", () => {
    const { api } = extract({
      "index.ts": [
        "export default 42;",
        "export class Bag {",
        "  static [Symbol.iterator](): Iterator<number> {",
        "    return [][Symbol.iterator]();",
        "  }",
        "  ['literal'] = 1;",
        "}",
        "export namespace Bag {",
        "  export const empty = 0;",
        "}",
      ].join("\n"),
    });
    assert.deepEqual(api.exports.default, { variable: { declaration: "const", type: "42" } });
    assert.deepEqual(Object.keys(api.exports.Bag.class?.members ?? {}).sort(), ["literal", "static [Symbol.iterator]"]);
    assert.deepEqual(api.exports.Bag.namespace, { exports: { empty: { variable: { declaration: "const", type: "0" } } } });
    assert.deepEqual(extract({ "index.ts": "const settings = { retries: 3 };\nexport = settings;\n" }).api.exports, { "export=": { variable: { declaration: "const", type: "{ retries: number; }" } } });
  });

  it("is deterministic: union members are sorted, whatever order the checker created them in", () => {
    const files = { "index.ts": 'export function mode(value: "b" | "c" | "a"): void {}\n', "other.ts": 'export const first: "c" | "a" | "b" = "a";\n' };
    const alone = extract(files).api;
    const otherFirst = extract(files, "index.ts", ["other.ts", "index.ts"]).api;
    assert.deepEqual(otherFirst, alone);
    assert.equal(alone.exports.mode.function?.signatures[0].parameters[0].type, '"a" | "b" | "c"');
  });

  it("records where each part is declared: names, signatures, parameters", () => {
    const { locations, root } = extract({ "index.ts": "export interface Options {\n  strict?: boolean;\n}\nexport function parse(text: string, options?: Options): number {\n  return 0;\n}\n" });
    const at = (key: string) => {
      const location = locations.get(key);
      return location && `${path.posix.relative(root, location.file)}:${location.range.start.line}:${location.range.start.character}-${location.range.end.character}`;
    };
    assert.equal(at("Options"), "index.ts:0:17-24");
    assert.equal(at("Options.strict"), "index.ts:1:2-8");
    assert.equal(at("parse"), "index.ts:3:16-21");
    assert.equal(at("parse#call0"), "index.ts:3:16-21");
    assert.equal(at("parse#call0(1)"), "index.ts:3:36-43");
  });

  it("says clearly when the entry is not in the program or is not a module", () => {
    const root = makeTempDir();
    writeFiles(root, { "script.ts": "const x = 1;\n" });
    const program = fixtureProgram(`${root}/script.ts`, root);
    assert.throws(() => extractContract(program, `${root}/missing.ts`), (error: unknown) => error instanceof ContractError && error.id === "contract-entry-missing" && /missing\.ts is not part of the TypeScript program/.test(error.message));
    assert.throws(() => extractContract(program, `${root}/script.ts`), (error: unknown) => error instanceof ContractError && /is not a module: it has no import or export/.test(error.message));
  });
});
