import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { parseBaseline, type ApiBaseline } from "../../../server/src/engine/contracts/baseline";
import { compareContract, snapshotContract, writeSnapshot, type ContractReport } from "../../../server/src/engine/contracts/contractRunner";
import type { ContractTarget } from "../../../server/src/engine/contracts/contractTargets";
import { restoreCompatibilityFixes, type RestoreFix } from "../../../server/src/engine/contracts/restoreCompatibility";
import { applyOffsetEdits, toOffsetEdits } from "../../../server/src/engine/verify/textEdits";
import { analyzeFolder, applyFix, defaultTsconfig, makeTempDir, removeTempDirs, writeFiles, type Files } from "../helpers/workspace";
import { fixtureOptions, fixtureProgram } from "./helpers";

/** A package `lib` 1.0.0 whose contract is `src/index.ts`: the baseline is taken of `before`, then `after` replaces the sources. */
interface Drift {
  root: string;
  target: ContractTarget;
  program: ts.Program;
  report: ContractReport;
  baseline: ApiBaseline;
  fixes: RestoreFix[];
}

function drift(before: Files, after: Files): Drift {
  const root = makeTempDir();
  writeFiles(root, { "package.json": JSON.stringify({ name: "lib", version: "1.0.0" }), ...before });
  const entry = `${root}/src/index.ts`;
  const target: ContractTarget = { name: "lib", kind: "api", file: entry, baseline: `${root}/.selfheal/contracts/lib.json`, root, packageRoot: root, packageName: "lib", breaking: "error", declared: true, mirrors: [] };
  writeSnapshot(snapshotContract(target, () => fixtureProgram(entry, root)));
  fs.rmSync(path.join(root, "src"), { recursive: true });
  writeFiles(root, after);
  const program = fixtureProgram(entry, root);
  const report = compareContract(target, () => program);
  assert.equal(report.status, "compared", report.problem?.message);
  const baseline = parseBaseline(target.baseline, fs.readFileSync(target.baseline, "utf8")).baseline as ApiBaseline;
  return { root, target, program, report, baseline, fixes: restoreCompatibilityFixes({ report, baseline, program }) };
}

function fixFor(state: Drift, kind: string, symbol: string): RestoreFix {
  const found = state.fixes.filter((fix) => fix.change.kind === kind && fix.change.symbol === symbol);
  assert.equal(found.length, 1, `one fix for ${kind} ${symbol}; got: ${state.fixes.map((fix) => `${fix.change.kind} ${fix.change.symbol}`).join(", ") || "none"}`);
  return found[0];
}

/** Applies fixes to the files on disk (as the pipeline's apply step does) and returns the new texts by path relative to the root. */
function apply(state: Drift, ...fixes: RestoreFix[]): Record<string, string> {
  const byFile = new Map<string, RestoreFix["changes"][number]["edits"]>();
  for (const change of fixes.flatMap((fix) => fix.changes)) byFile.set(change.file, [...(byFile.get(change.file) ?? []), ...change.edits]);
  const texts: Record<string, string> = {};
  for (const [file, edits] of byFile) {
    const text = applyOffsetEdits(fs.readFileSync(file, "utf8"), toOffsetEdits(fs.readFileSync(file, "utf8"), edits));
    fs.writeFileSync(file, text);
    texts[path.posix.relative(state.root, file)] = text;
  }
  return texts;
}

/** Type errors in the workspace's own files of a program over `files` (relative to the root). */
function typeErrors(root: string, ...files: string[]): string[] {
  const host = ts.createCompilerHost(fixtureOptions, true);
  const program = ts.createProgram({ rootNames: files.map((file) => `${root}/${file}`), options: fixtureOptions, host });
  return ts
    .getPreEmitDiagnostics(program)
    .filter((diagnostic) => diagnostic.file?.fileName.startsWith(root))
    .map((diagnostic) => `${path.posix.relative(root, diagnostic.file!.fileName)}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, " ")}`);
}

/** The breaking changes left once the fixed sources are compared with the baseline again. */
function breaksAfterFix(state: Drift): string[] {
  const program = fixtureProgram(state.target.file, state.root);
  const report = compareContract(state.target, () => program);
  return report.changes.filter((change) => change.classification === "breaking").map((change) => `${change.kind} ${change.symbol}`);
}

/** Runs the real engine over the workspace and returns the consumer's deprecated-usage findings, each with the consumer fixed by its first fix. */
async function deprecatedUses(state: Drift, consumer: string, source: string): Promise<Array<{ message: string; title: string | undefined; fixed: string | undefined }>> {
  writeFiles(state.root, { "tsconfig.json": defaultTsconfig, [consumer]: source });
  const analysis = await analyzeFolder(state.root);
  return analysis.findingsIn(consumer, "deprecated-usage").map((finding) => ({
    message: finding.message,
    title: finding.fixes[0]?.title,
    fixed: finding.fixes[0] ? applyFix(source, finding.fixes[0]) : undefined,
  }));
}

describe("contracts: restore compatibility", () => {
  afterEach(removeTempDirs);

  describe("a renamed export becomes a deprecated alias", () => {
    it("aliases a renamed function next to its declaration, closing the break and leading consumers to the new name", async () => {
      const state = drift(
        { "src/index.ts": "export function parse(text: string): number {\n  return Number(text);\n} // the parser\n" },
        { "src/index.ts": "export function parseNumber(text: string): number {\n  return Number(text);\n} // the parser\nexport const other = 1;\n" },
      );
      assert.deepEqual(state.report.changes.map((change) => `${change.kind} ${change.symbol} ${change.classification}`), ["export-removed parse breaking", "export-added parseNumber additive", "export-added other additive"]);
      const fix = fixFor(state, "export-removed", "parse");
      assert.equal(fix.title, "Restore compatibility: export `parse` as a deprecated alias of `parseNumber`");
      assert.match(fix.rationale, /refers to the very same value, not a copy/);
      assert.deepEqual(apply(state, fix), {
        "src/index.ts":
          "export function parseNumber(text: string): number {\n  return Number(text);\n} // the parser\n" +
          "/** @deprecated Use {@link parseNumber} instead. Renamed in lib after 1.0.0. */\nexport const parse = parseNumber;\n" +
          "export const other = 1;\n",
      });
      assert.deepEqual(typeErrors(state.root, "src/index.ts"), []);
      assert.deepEqual(breaksAfterFix(state), []);

      const consumer = 'import { parse, parseNumber } from "../src/index";\nexport const a = parse("1");\nexport const b = parseNumber("2");\n';
      const uses = await deprecatedUses(state, "app/consumer.ts", consumer);
      assert.deepEqual(uses, [{ message: "`parse` is deprecated: Use `parseNumber` instead. Renamed in lib after 1.0.0.", title: "Use `parseNumber` instead", fixed: consumer.replace('parse("1")', 'parseNumber("1")') }]);
      fs.writeFileSync(`${state.root}/app/consumer.ts`, uses[0].fixed!);
      assert.deepEqual(typeErrors(state.root, "app/consumer.ts"), []);
    });

    it("aliases a renamed class (value and type) in the file that declares it, and lists the alias in the entry's named re-export", async () => {
      const client = (name: string) => `export class ${name} {\n  constructor(readonly url: string) {}\n  get(path: string): string {\n    return this.url + path;\n  }\n}\n`;
      const state = drift(
        { "src/index.ts": 'export { Client } from "./client";\n', "src/client.ts": client("Client") },
        { "src/index.ts": 'export { HttpClient } from "./client";\n', "src/client.ts": client("HttpClient") },
      );
      const fix = fixFor(state, "export-removed", "Client");
      const doc = "/** @deprecated Use {@link HttpClient} instead. Renamed in lib after 1.0.0. */";
      assert.deepEqual(apply(state, fix), {
        "src/client.ts": `${client("HttpClient")}${doc}\nexport const Client = HttpClient;\n${doc}\nexport type Client = HttpClient;\n`,
        "src/index.ts": 'export { HttpClient, Client } from "./client";\n',
      });
      assert.deepEqual(typeErrors(state.root, "src/index.ts"), []);
      assert.deepEqual(breaksAfterFix(state), []);

      // The alias is the class itself, so `new Client(…)` switches too, like the type use.
      const consumer = 'import { Client, HttpClient } from "../src/index";\nexport const made: HttpClient = new Client("a");\nexport let kept: Client = made;\n';
      const uses = await deprecatedUses(state, "app/consumer.ts", consumer);
      assert.deepEqual(uses.map((use) => use.title), ["Use `HttpClient` instead", "Use `HttpClient` instead"]);
      assert.equal(uses[0].fixed, consumer.replace('new Client("a")', 'new HttpClient("a")'));
      fs.writeFileSync(`${state.root}/app/consumer.ts`, uses[1].fixed!);
      assert.equal(uses[1].fixed, consumer.replace("kept: Client", "kept: HttpClient"));
      assert.deepEqual(typeErrors(state.root, "app/consumer.ts"), []);
    });

    it("carries a generic interface's type parameters, constraints and defaults through an `export *` module", async () => {
      const types = (name: string) => `export interface ${name}<T extends object = {}, K extends keyof T = keyof T> {\n  value: T;\n  key?: K;\n}\n`;
      const state = drift(
        { "src/index.ts": 'export * from "./types";\n', "src/types.ts": types("Box") },
        { "src/index.ts": 'export * from "./types";\n', "src/types.ts": types("Container") },
      );
      const fix = fixFor(state, "export-removed", "Box");
      assert.deepEqual(apply(state, fix), {
        "src/types.ts": `${types("Container")}/** @deprecated Use {@link Container} instead. Renamed in lib after 1.0.0. */\nexport type Box<T extends object = {}, K extends keyof T = keyof T> = Container<T, K>;\n`,
      });
      assert.deepEqual(typeErrors(state.root, "src/index.ts"), []);
      assert.deepEqual(breaksAfterFix(state), []);

      // The alias passes its parameters through and copies the defaults, so `Box` is `Container`: the consumer's import migrates.
      const consumer = 'import type { Box } from "../src/index";\nexport const box: Box = { value: {} };\n';
      const uses = await deprecatedUses(state, "app/consumer.ts", consumer);
      assert.deepEqual(uses, [
        {
          message: "`Box` is deprecated: Use `Container` instead. Renamed in lib after 1.0.0.",
          title: "Migrate to `Container` (import and 1 use)",
          fixed: 'import type { Container } from "../src/index";\nexport const box: Container = { value: {} };\n',
        },
      ]);
      fs.writeFileSync(`${state.root}/app/consumer.ts`, uses[0].fixed!);
      assert.deepEqual(typeErrors(state.root, "app/consumer.ts"), []);
    });

    it("offers no alias for a renamed enum: the checker relates enums by name, so the diff would still report the change", () => {
      const state = drift({ "src/index.ts": "export enum Color {\n  Red,\n  Green,\n}\n" }, { "src/index.ts": "export enum Colour {\n  Red,\n  Green,\n}\n" });
      assert.deepEqual(state.report.changes.map((change) => `${change.kind} ${change.symbol}`), ["export-removed Color", "export-added Colour"]);
      assert.deepEqual(state.fixes, []);
    });

    it("brings back a removed second name of an export that is still there", () => {
      const state = drift(
        { "src/index.ts": "export function format(value: number): string {\n  return String(value);\n}\nexport { format as render };\n" },
        { "src/index.ts": "export function format(value: number): string {\n  return String(value);\n}\n" },
      );
      const fix = fixFor(state, "export-removed", "render");
      assert.deepEqual(apply(state, fix), {
        "src/index.ts": "export function format(value: number): string {\n  return String(value);\n}\n/** @deprecated Use {@link format} instead. Removed from lib after 1.0.0. */\nexport const render = format;\n",
      });
      assert.deepEqual(breaksAfterFix(state), []);
    });

    it("does not guess between two look-alike successors, and offers nothing for a removed value without one", () => {
      const state = drift(
        { "src/index.ts": "export function one(a: string): void {}\nexport function gone(a: number): number {\n  return a;\n}\n" },
        { "src/index.ts": "export function first(a: string): void {}\nexport function second(a: string): void {}\nexport function kept(a: boolean): boolean {\n  return a;\n}\n" },
      );
      assert.deepEqual(state.report.changes.filter((change) => change.kind === "export-removed").map((change) => change.symbol), ["gone", "one"]);
      assert.deepEqual(state.fixes, []);
    });

    it("offers no alias for a `let` (a copy would miss assignments), or when the new name is declared in a declaration file or re-exported under another name", () => {
      const vendor = "export declare function fetchIt(url: string): void;\nexport declare function fetchData(url: string): void;\nexport declare function load(key: number): void;\n";
      const state = drift(
        { "src/index.ts": 'export let counter = 0;\nexport { fetchIt, load as read } from "./vendor";\n', "src/vendor.d.ts": vendor },
        { "src/index.ts": 'export let count = 0;\nexport { fetchData, load as readKey } from "./vendor";\n', "src/vendor.d.ts": vendor },
      );
      assert.deepEqual(state.report.changes.filter((change) => change.kind === "export-removed").map((change) => change.symbol), ["counter", "fetchIt", "read"]);
      assert.deepEqual(state.fixes, []);
    });
  });

  describe("a removed interface or type alias is restored from the baseline", () => {
    it("appends the baseline declaration to the entry, deprecated, in the file's indentation", () => {
      const state = drift(
        { "src/index.ts": 'export type Level = "low" | "high";\n\t/** Connection settings. */\nexport interface Options extends Partial<Record<Level, number>> {\n\tstrict?: boolean;\n\tlevel: Level;\n}\n' },
        { "src/index.ts": 'export type Level = "low" | "high";\n\tconst indented = 1;\n' },
      );
      const fix = fixFor(state, "export-removed", "Options");
      assert.equal(fix.title, "Restore compatibility: restore the interface `Options` as deprecated");
      assert.deepEqual(apply(state, fix), {
        "src/index.ts":
          'export type Level = "low" | "high";\n\tconst indented = 1;\n' +
          "/** @deprecated Removed from lib after 1.0.0; kept so existing code compiles. */\nexport interface Options extends Partial<Record<Level, number>> {\n\tstrict?: boolean;\n\tlevel: Level;\n}\n",
      });
      assert.deepEqual(typeErrors(state.root, "src/index.ts"), []);
      assert.deepEqual(breaksAfterFix(state), []);
    });

    it("restores nothing whose names no longer resolve in the entry, and no value", () => {
      const state = drift(
        { "src/index.ts": 'export type Level = "low" | "high";\nexport interface Options {\n  level: Level;\n}\nexport const limit = 3;\n' },
        { "src/index.ts": "export const other = 1;\n" },
      );
      assert.deepEqual(state.report.changes.filter((change) => change.kind === "export-removed").map((change) => change.symbol), ["Level", "Options", "limit"]);
      const fix = fixFor(state, "export-removed", "Level");
      assert.deepEqual(state.fixes, [fix], "Options refers to Level, which is gone; limit is a value");
      assert.deepEqual(apply(state, fix), { "src/index.ts": 'export const other = 1;\n/** @deprecated Removed from lib after 1.0.0; kept so existing code compiles. */\nexport type Level = "low" | "high";\n' });
    });
  });

  describe("a parameter calls do not pass becomes optional where a neutral value exists", () => {
    const before = [
      "export function flag(a: number): void {}",
      "export function maybe(a: number): void {}",
      "export function nullable(a: number): void {}",
      "export function list(a: number): void {}",
      "export function settings(a: number): void {}",
      "export const arrow = (a: number): number => a;",
      "export class Store {",
      "  constructor(readonly name: string) {}",
      "  save(key: string): void {}",
      "}",
      "export function madeRequired(a: number, b?: boolean): void {}",
      "",
    ].join("\n");
    const after = [
      "export function flag(a: number, strict: boolean): void {}",
      "export function maybe(a: number, limit: number | undefined): void {}",
      "export function nullable(a: number, parent: string | null): void {}",
      "export function list(a: number, tags: readonly string[]): void {}",
      "export function settings(a: number, options: { retries?: number; verbose?: boolean }): void {}",
      "export const arrow = (a: number, round: boolean): number => a;",
      "export class Store {",
      "  constructor(readonly name: string, private readonly shared: string[]) {}",
      "  save(key: string, overwrite: boolean): void {}",
      "}",
      "export function madeRequired(a: number, b: boolean): void {}",
      "",
    ].join("\n");

    it("picks `?`, `= false`, `= null`, `= []` or `= {}` from the type, for functions, methods and arrows held by a const (whose change is one of the variable's type)", () => {
      const state = drift({ "src/index.ts": before }, { "src/index.ts": after });
      const titles = state.fixes.map((fix) => `${fix.change.kind} ${fix.title}`);
      assert.deepEqual(titles, [
        "required-parameter-added Restore compatibility: make the parameter `strict` of `flag` optional (`= false`)",
        "required-parameter-added Restore compatibility: make the parameter `limit` of `maybe` optional (`limit?`)",
        "required-parameter-added Restore compatibility: make the parameter `parent` of `nullable` optional (`= null`)",
        "required-parameter-added Restore compatibility: make the parameter `tags` of `list` optional (`= []`)",
        "required-parameter-added Restore compatibility: make the parameter `options` of `settings` optional (`= {}`)",
        "variable-type-widened Restore compatibility: make the parameter `round` of `arrow` optional (`= false`)",
        "required-parameter-added Restore compatibility: make the parameter `shared` of `Store.constructor` optional (`= []`)",
        "required-parameter-added Restore compatibility: make the parameter `overwrite` of `Store.save` optional (`= false`)",
        "parameter-made-required Restore compatibility: make the parameter `b` of `madeRequired` optional (`= false`)",
      ]);
      assert.match(fixFor(state, "required-parameter-added", "flag").rationale, /the body now receives `false` for `strict`.*review the body/);
      const texts = apply(state, ...state.fixes);
      assert.equal(
        texts["src/index.ts"],
        [
          "export function flag(a: number, strict: boolean = false): void {}",
          "export function maybe(a: number, limit?: number | undefined): void {}",
          "export function nullable(a: number, parent: string | null = null): void {}",
          "export function list(a: number, tags: readonly string[] = []): void {}",
          "export function settings(a: number, options: { retries?: number; verbose?: boolean } = {}): void {}",
          "export const arrow = (a: number, round: boolean = false): number => a;",
          "export class Store {",
          "  constructor(readonly name: string, private readonly shared: string[] = []) {}",
          "  save(key: string, overwrite: boolean = false): void {}",
          "}",
          "export function madeRequired(a: number, b: boolean = false): void {}",
          "",
        ].join("\n"),
      );
      assert.deepEqual(typeErrors(state.root, "src/index.ts"), []);
      assert.deepEqual(breaksAfterFix(state), []);
    });

    it("makes every parameter an arrow's old calls leave out optional in one fix, or none of them", () => {
      const state = drift(
        { "src/index.ts": "export const both = (a: number, b?: string): void => {};\nexport const stuck = function (a: number): void {};\n" },
        { "src/index.ts": "export const both = (a: number, b: string | undefined, c: boolean): void => {};\nexport const stuck = function (a: number, b: boolean, c: number): void {};\n" },
      );
      assert.deepEqual(state.report.changes.map((change) => `${change.kind} ${change.symbol}`), ["variable-type-widened both", "variable-type-widened stuck"]);
      const fix = fixFor(state, "variable-type-widened", "both");
      assert.deepEqual(state.fixes, [fix], "`stuck`'s `c: number` has no neutral value, so `b` cannot be made optional before it");
      assert.equal(fix.title, "Restore compatibility: make the parameters `b`, `c` of `both` optional (`b?`, `= false`)");
      assert.deepEqual(apply(state, fix)["src/index.ts"].split("\n")[0], "export const both = (a: number, b?: string | undefined, c: boolean = false): void => {};");
      assert.deepEqual(breaksAfterFix(state), ["variable-type-widened stuck"]);
    });

    it("offers nothing without a neutral value, before another required parameter, or on an overloaded function", () => {
      const state = drift(
        { "src/index.ts": "export function count(a: number): void {}\nexport function pair(a: number): void {}\nexport function over(a: string): void;\nexport function over(a: number): void;\nexport function over(a: string | number): void {}\n" },
        {
          "src/index.ts":
            "export function count(a: number, by: number): void {}\nexport function pair(a: number, first: boolean, second: number): void {}\n" +
            "export function over(a: string, strict: boolean): void;\nexport function over(a: number, strict: boolean): void;\nexport function over(a: string | number, strict: boolean): void {}\n",
        },
      );
      const breaks = state.report.changes.filter((change) => change.kind === "required-parameter-added").map((change) => change.symbol);
      assert.deepEqual(breaks, ["count", "pair", "pair", "over", "over"]);
      assert.deepEqual(state.fixes, []);
    });
  });

  describe("a removed optional property comes back, deprecated", () => {
    it("restores it last in an interface, an object type alias and a class, with the baseline type", () => {
      const state = drift(
        {
          "src/index.ts": [
            'export type Mode = "fast" | "safe";',
            "export interface Options {",
            "  retries: number;",
            "  mode?: Mode;",
            "}",
            "export type Point = { x: number; label?: string };",
            "export class Job {",
            "  protected readonly note?: string;",
            "  run(): void {}",
            "}",
            "",
          ].join("\n"),
        },
        {
          "src/index.ts": ['export type Mode = "fast" | "safe";', "export interface Options {", "  retries: number;", "}", "export type Point = { x: number };", "export class Job {", "  run(): void {}", "}", ""].join("\n"),
        },
      );
      assert.deepEqual(state.fixes.map((fix) => fix.title), [
        "Restore compatibility: restore the optional property `Options.mode` as deprecated",
        "Restore compatibility: restore the optional property `Point.label` as deprecated",
        "Restore compatibility: restore the optional property `Job.note` as deprecated",
      ]);
      const doc = "/** @deprecated No longer read since lib after 1.0.0; kept so existing code compiles. */";
      assert.deepEqual(apply(state, ...state.fixes), {
        "src/index.ts": [
          'export type Mode = "fast" | "safe";',
          "export interface Options {",
          "  retries: number;",
          `  ${doc}`,
          "  mode?: Mode;",
          "}",
          `export type Point = { x: number; ${doc} label?: string; };`,
          "export class Job {",
          "  run(): void {}",
          `  ${doc}`,
          "  protected readonly note?: string;",
          "}",
          "",
        ].join("\n"),
      });
      assert.deepEqual(typeErrors(state.root, "src/index.ts"), []);
      assert.deepEqual(breaksAfterFix(state), []);
    });

    it("restores nothing when the baseline type no longer resolves, or when the property was required", () => {
      const state = drift(
        { "src/index.ts": 'export type Mode = "fast" | "safe";\nexport interface Options {\n  mode?: Mode;\n  name: string;\n  keep: number;\n}\n' },
        { "src/index.ts": "export interface Options {\n  keep: number;\n}\n" },
      );
      const removed = state.report.changes.filter((change) => change.kind === "property-removed").map((change) => change.symbol);
      assert.deepEqual(removed, ["Options.mode", "Options.name"]);
      assert.deepEqual(state.fixes.map((fix) => fix.change.symbol), ["Mode"], "only the removed type alias itself");
    });
  });

  describe("edits", () => {
    it("keep a CRLF file's line endings and touch nothing else", () => {
      const state = drift(
        { "src/index.ts": "export function load(path: string): string {\r\n  return path;\r\n}\r\nexport interface Config {\r\n  name: string;\r\n  debug?: boolean;\r\n}\r\nexport interface Extra {\r\n  note: string;\r\n}\r\n" },
        { "src/index.ts": "export function read(path: string): string {\r\n  return path;\r\n}\r\nexport interface Config {\r\n  name: string;\r\n}\r\n" },
      );
      assert.equal(state.fixes.length, 3);
      const texts = apply(state, ...state.fixes);
      assert.equal(
        texts["src/index.ts"],
        "export function read(path: string): string {\r\n  return path;\r\n}\r\n" +
          "/** @deprecated Use {@link read} instead. Renamed in lib after 1.0.0. */\r\nexport const load = read;\r\n" +
          "export interface Config {\r\n  name: string;\r\n  /** @deprecated No longer read since lib after 1.0.0; kept so existing code compiles. */\r\n  debug?: boolean;\r\n}\r\n" +
          "/** @deprecated Removed from lib after 1.0.0; kept so existing code compiles. */\r\nexport interface Extra {\r\n  note: string;\r\n}\r\n",
      );
      assert.doesNotMatch(texts["src/index.ts"].replace(/\r\n/g, ""), /\n/);
      assert.deepEqual(breaksAfterFix(state), []);
    });

    it("are the same for the same input, and there are none for a report that was not compared", () => {
      const state = drift({ "src/index.ts": "export function a(x: number): void {}\n" }, { "src/index.ts": "export function a(x: number, y: boolean): void {}\n" });
      const again = restoreCompatibilityFixes({ report: state.report, baseline: state.baseline, program: fixtureProgram(state.target.file, state.root) });
      assert.deepEqual(again, state.fixes);
      assert.equal(again.length, 1);
      assert.deepEqual(restoreCompatibilityFixes({ report: { ...state.report, status: "error" }, baseline: state.baseline, program: state.program }), []);
    });
  });
});
