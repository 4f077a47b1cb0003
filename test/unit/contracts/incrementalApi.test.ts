import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { currentApi, snapshotApi } from "../../../server/src/engine/contracts/apiContract";
import { parseBaseline, serializeBaseline, type ApiBaseline, type LoadedBaseline } from "../../../server/src/engine/contracts/baseline";
import { diffContracts } from "../../../server/src/engine/contracts/classify";
import { ContractCache, type ComparisonTimings } from "../../../server/src/engine/contracts/contractCache";
import type { ContractTarget } from "../../../server/src/engine/contracts/contractTargets";
import type { ContractChange } from "../../../server/src/engine/contracts/model";
import { makeTempDir, removeTempDirs, writeFiles } from "../helpers/workspace";
import { fixtureOptions } from "./helpers";

/**
 * A package edited file by file, as in the editor: each program is built from the last one and
 * gets the very source file objects of the files the edit did not touch (what the language
 * service does), so the contract cache can tell what changed. `freshProgram` builds the same
 * texts from nothing, as the CLI would.
 */
class EditedPackage {
  private readonly parsed = new Map<string, { text: string; sourceFile: ts.SourceFile }>();
  private last: ts.Program | undefined;

  constructor(
    readonly root: string,
    readonly texts: Map<string, string>,
  ) {
    writeFiles(root, { "package.json": JSON.stringify({ name: "lib", version: "1.0.0" }), ...Object.fromEntries(texts) });
  }

  edit(file: string, change: (text: string) => string): void {
    const before = this.texts.get(file)!;
    const after = change(before);
    assert.notEqual(after, before, `the edit of ${file} changes it`);
    this.texts.set(file, after);
    writeFiles(this.root, { [file]: after });
  }

  program(): ts.Program {
    const host = ts.createCompilerHost(fixtureOptions, true);
    const read = host.getSourceFile.bind(host);
    host.getSourceFile = (fileName, languageVersion, onError) => {
      if (!fileName.startsWith(`${this.root}/`)) return sharedLib(fileName, () => read(fileName, languageVersion, onError));
      const text = this.texts.get(path.posix.relative(this.root, fileName));
      if (text === undefined) return read(fileName, languageVersion, onError);
      const cached = this.parsed.get(fileName);
      if (cached?.text === text) return cached.sourceFile;
      const sourceFile = ts.createSourceFile(fileName, text, languageVersion, true);
      this.parsed.set(fileName, { text, sourceFile });
      return sourceFile;
    };
    this.last = ts.createProgram({ rootNames: this.rootNames(), options: fixtureOptions, host, oldProgram: this.last });
    return this.last;
  }

  freshProgram(): ts.Program {
    const host = ts.createCompilerHost(fixtureOptions, true);
    const read = host.getSourceFile.bind(host);
    host.getSourceFile = (fileName, languageVersion, onError) => (fileName.startsWith(`${this.root}/`) ? read(fileName, languageVersion, onError) : sharedLib(fileName, () => read(fileName, languageVersion, onError)));
    return ts.createProgram({ rootNames: this.rootNames(), options: fixtureOptions, host });
  }

  private rootNames(): string[] {
    return [...this.texts.keys()].map((file) => `${this.root}/${file}`);
  }
}

const libFiles = new Map<string, ts.SourceFile | undefined>();

function sharedLib(fileName: string, read: () => ts.SourceFile | undefined): ts.SourceFile | undefined {
  if (!libFiles.has(fileName)) libFiles.set(fileName, read());
  return libFiles.get(fileName);
}

const original = new Map(
  Object.entries({
    "src/index.ts": [
      'export * from "./shapes";',
      'export * from "./util";',
      'export * from "./derived";',
      'export * from "./config";',
      'export * from "./marks";',
      'export * as ns from "./ns";',
      'export { helper as aliasHelper } from "./util";',
      'export { Base } from "./base";',
      "",
    ].join("\n"),
    // The properties of `Params`, written out, come in the order the checker created "alpha", "mid" and "zeta":
    // a full extraction describes `amid` (marks.ts) first, an edit of config.ts only `configure`.
    "src/config.ts": [
      "interface Settings {",
      "  zeta?: string;",
      "  alpha?: number;",
      "  mid?: boolean;",
      "}",
      "type Flatten<T> = { [K in keyof T]: T[K] } & {};",
      'export type Params = Flatten<Partial<Pick<Settings, "zeta" | "alpha" | "mid">>>;',
      "export function configure(options?: string | Params): void {}",
      "",
    ].join("\n"),
    "src/marks.ts": ['export const amid: "mid" = "mid";', ""].join("\n"),
    "src/options.ts": ["export interface Options {", "  size: number;", "}", ""].join("\n"),
    "src/base.ts": ["export class Base {", "  constructor(public name: string) {}", "}", ""].join("\n"),
    "src/shapes.ts": [
      'import { Base } from "./base";',
      'import type { Options } from "./options";',
      "",
      "export interface Shape {",
      "  area(): number;",
      "}",
      "",
      "/** Makes a shape. */",
      "export function make(options: Options): Shape {",
      "  return { area: () => options.size };",
      "}",
      "",
      "export class Square extends Base {",
      "  side = 1;",
      "}",
      "",
    ].join("\n"),
    "src/util.ts": ['import { make } from "./shapes";', "", "export function helper(value: number) {", "  return value * 2;", "}", "", "export const unit = make({ size: 1 });", "", 'export const pair = { first: helper(1), second: "two" };', ""].join("\n"),
    "src/derived.ts": ['import { helper } from "./util";', "", "export const doubled = helper(2);", ""].join("\n"),
    "src/ns.ts": ["export function inner(text: string): string {", "  return text;", "}", "", "export const version = 1;", ""].join("\n"),
    "src/standalone.ts": ["export const unrelated = 1;", ""].join("\n"),
  }),
);

describe("contracts: incremental comparison (what the language server does after an edit)", function () {
  this.timeout(120_000);
  after(removeTempDirs);

  let pkg: EditedPackage;
  let target: ContractTarget;
  let loaded: LoadedBaseline<ApiBaseline>;
  let cache: ContractCache;

  before(() => {
    const root = makeTempDir();
    pkg = new EditedPackage(root, new Map(original));
    const entry = `${root}/src/index.ts`;
    target = { name: "lib", kind: "api", file: entry, baseline: `${root}/.selfheal/contracts/lib.json`, root, packageRoot: root, packageName: "lib", breaking: "error", declared: true, mirrors: [] };
    const { baseline } = snapshotApi({ program: pkg.program(), entryFile: entry, name: "lib", version: "1.0.0", entry: "src/index.ts" });
    fs.mkdirSync(path.dirname(target.baseline), { recursive: true });
    loaded = parseBaseline(target.baseline, serializeBaseline(baseline)) as LoadedBaseline<ApiBaseline>;
    cache = new ContractCache();
  });

  /** The cache's result after the edits so far, checked against a comparison from nothing; returns the timings and changes. */
  function compareBoth(): { timings: ComparisonTimings; changes: ContractChange[] } {
    const live = cache.compare(target, loaded, pkg.program());
    const timings = cache.lastTimings!;
    const program = pkg.freshProgram();
    const fresh = currentApi({ program, entryFile: target.file, name: target.name });
    const freshChanges = diffContracts(loaded, fresh, { folder: target.root, options: program.getCompilerOptions(), reuse: program });
    assert.deepEqual(live.current.api, fresh.api, "the same API");
    assert.deepEqual(new Map([...live.current.locations].sort()), new Map([...fresh.locations].sort()), "the same locations");
    assert.deepEqual(live.current.declarations, fresh.declarations, "the same declaration bundle");
    assert.deepEqual(live.current.declarationProblems, fresh.declarationProblems);
    assert.deepEqual(live.changes, freshChanges, "the same changes");
    return { timings, changes: live.changes };
  }

  const summary = (changes: ContractChange[]) => changes.map((change) => `${change.kind} ${change.symbol} ${path.posix.basename(change.file)}:${change.line}`);

  it("starts from a full extraction that finds no drift", () => {
    const { timings, changes } = compareBoth();
    assert.equal(timings.mode, "full");
    assert.deepEqual(changes, []);
    assert.deepEqual(loaded.baseline.api.exports.Params, { typeAlias: { type: 'Flatten<Partial<Pick<Settings, "alpha" | "mid" | "zeta">>>' } }, "a type alias as written in its own file (not with the entry's text)");
    assert.equal(loaded.baseline.api.exports.configure.function?.signatures[0].parameters[0].type, "string | { alpha?: number | undefined; mid?: boolean | undefined; zeta?: string | undefined; }", "written out, properties by name");
  });

  it("describes again only the exports an edit inside a body reaches, and finds nothing", () => {
    pkg.edit("src/util.ts", (text) => text.replace("value * 2", "value * 3"));
    const { timings, changes } = compareBoth();
    assert.equal(timings.mode, "incremental");
    assert.equal(timings.changedFiles, 1);
    assert.ok(timings.exports.described < timings.exports.total, `${timings.exports.described} of ${timings.exports.total} described`);
    assert.equal(timings.declarations.emitted, 3, "util.ts, derived.ts (which imports it) and the entry");
    assert.deepEqual(changes, []);
  });

  it("writes a type the same whichever exports the checker described before it", () => {
    pkg.edit("src/config.ts", (text) => text.replace("): void {}", "): void {\n  return;\n}"));
    const { timings, changes } = compareBoth();
    assert.equal(timings.mode, "incremental");
    assert.deepEqual(changes, []);
  });

  it("follows a return type into an inferred type declared in the file that imports it", () => {
    pkg.edit("src/util.ts", (text) => text.replace("return value * 3;", "return String(value);"));
    const { timings, changes } = compareBoth();
    assert.equal(timings.mode, "incremental");
    assert.equal(timings.diff, "compared");
    assert.deepEqual(summary(changes), ["variable-type-changed doubled derived.ts:3", "return-type-changed aliasHelper util.ts:3", "variable-type-changed pair util.ts:9"], "doubled, in derived.ts, changed with helper");
  });

  it("finds a changed type the contract does not export through the exports that use it", () => {
    pkg.edit("src/options.ts", (text) => text.replace("size: number", "size: string"));
    const { timings, changes } = compareBoth();
    assert.equal(timings.mode, "incremental");
    assert.ok(changes.some((change) => change.kind === "referenced-type-changed" && change.symbol === "make"), summary(changes).join("\n"));
  });

  it("places an inherited constructor's change in the base class's file", () => {
    pkg.edit("src/base.ts", (text) => text.replace("public name: string", "public name: string, public id: number"));
    const { timings, changes } = compareBoth();
    assert.equal(timings.mode, "incremental");
    assert.ok(changes.some((change) => change.symbol.startsWith("Square") && change.file.endsWith("/base.ts")), summary(changes).join("\n"));
  });

  it("re-describes a namespace whose module changed, and keeps the changes of the exports it did not reach", () => {
    pkg.edit("src/ns.ts", (text) => text.replace("inner(text: string)", "inner(text: string, count?: number)"));
    const { timings, changes } = compareBoth();
    assert.equal(timings.mode, "incremental");
    assert.equal(timings.keptExports, 5, "the drift of aliasHelper, pair (util.ts), doubled (derived.ts), Base and Square (base.ts) kept");
    assert.ok(changes.some((change) => change.symbol === "ns.inner"), summary(changes).join("\n"));
  });

  it("keeps every description when the edited file is not part of the contract", () => {
    pkg.edit("src/standalone.ts", (text) => text.replace("= 1", "= 2"));
    const { timings } = compareBoth();
    assert.equal(timings.mode, "incremental");
    assert.equal(timings.exports.described, 0);
    assert.equal(timings.declarations.emitted, 0);
    assert.equal(timings.diff, "reused", "nothing the contract reads changed: the last changes are kept as they are");
  });

  it("moves the changes with the code when an edit shifts the lines of a declaration", () => {
    const before = cache.compare(target, loaded, pkg.program()).changes.filter((change) => change.file.endsWith("/shapes.ts"));
    assert.ok(before.length > 0, "changes shown in shapes.ts");
    pkg.edit("src/shapes.ts", (text) => text.replace("/** Makes a shape. */", "// A comment line.\n/** Makes a shape. */"));
    const { timings, changes } = compareBoth();
    assert.equal(timings.diff, "relocated");
    const after = changes.filter((change) => change.file.endsWith("/shapes.ts"));
    assert.deepEqual(
      after.map((change) => change.line),
      before.map((change) => change.line + 1),
    );
  });

  it("extracts everything again when a changed file exports other names", () => {
    pkg.edit("src/util.ts", (text) => `${text}export const added = 1;\n`);
    const { timings, changes } = compareBoth();
    assert.equal(timings.mode, "full");
    assert.match(timings.reason ?? "", /exports of util\.ts changed/);
    assert.ok(changes.some((change) => change.kind === "export-added" && change.symbol === "added"));
  });

  it("extracts everything again when a changed file augments the global scope", () => {
    pkg.edit("src/options.ts", (text) => `${text}declare global {\n  interface SelfhealMarker {\n    marked: true;\n  }\n}\n`);
    const { timings } = compareBoth();
    assert.equal(timings.mode, "full");
    assert.match(timings.reason ?? "", /augments/);
  });

  it("finds no drift once every file is back as it was", () => {
    for (const [file, text] of original) if (pkg.texts.get(file) !== text) pkg.edit(file, () => text);
    const { changes } = compareBoth();
    assert.deepEqual(changes, []);
  });

  it("extracts everything again when the entry changes", () => {
    pkg.edit("src/index.ts", (text) => `// The entry.\n${text}`);
    const { timings, changes } = compareBoth();
    assert.equal(timings.mode, "full");
    assert.match(timings.reason ?? "", /entry changed/);
    assert.deepEqual(changes, []);
  });
});
