import * as assert from "node:assert/strict";
import { planFix } from "../../../server/src/engine/agents/planner";
import type { Finding } from "../../../server/src/engine/findings";
import { collectDiagnostics } from "../../../server/src/engine/verify/diagnostics";
import { analyze, applyFix, defaultTsconfig, removeTempDirs, type Analysis, type Files } from "../helpers/workspace";

const rule = "deprecated-usage";

/** The aliases exactly as "Restore compatibility" writes them (docs/contracts.md), behind an `export *` entry. */
const doc = (newName: string) => `/** @deprecated Use {@link ${newName}} instead. Renamed in calc after 1.2.0. */`;
const library: Files = {
  "src/lib/index.ts": 'export * from "./math";\nexport * from "./client";\n',
  "src/lib/math.ts": [
    "export function sum(values: number[]): number {",
    "  return values.reduce((total, value) => total + value, 0);",
    "}",
    doc("sum"),
    "export const add = sum;",
    "export function identity<T>(value: T): T {",
    "  return value;",
    "}",
    doc("identity"),
    "export const same = identity;",
    "export interface Container<T extends object = {}, K extends keyof T = keyof T> {",
    "  value: T;",
    "  key?: K;",
    "}",
    doc("Container"),
    "export type Box<T extends object = {}, K extends keyof T = keyof T> = Container<T, K>;",
    "",
  ].join("\n"),
  "src/lib/client.ts": [
    "export class HttpClient<T = string> {",
    "  last?: T;",
    "  constructor(readonly url: string) {}",
    "  get(path: string): string {",
    "    return this.url + path;",
    "  }",
    "}",
    doc("HttpClient"),
    "export const Client = HttpClient;",
    doc("HttpClient"),
    "export type Client<T = string> = HttpClient<T>;",
    "",
  ].join("\n"),
};

interface Offered {
  text: string;
  fixes: Array<{ title: string; isPreferred: boolean; fixed: string }>;
}

async function offered(source: string, file = "src/app.ts", extra: Files = {}): Promise<{ found: Offered[]; analysis: Analysis; findings: Finding[] }> {
  const analysis = await analyze({ ...library, ...extra, [file]: source });
  const findings = analysis.findingsIn(file, rule);
  const found = findings.map((finding) => ({
    text: analysis.textOf(finding),
    fixes: finding.fixes.map((fix) => ({ title: fix.title, isPreferred: fix.isPreferred, fixed: applyFix(source, fix) })),
  }));
  return { found, analysis, findings };
}

/** TypeScript's verdict on the fixed file, and what the rule still reports there: a migration leaves neither. */
async function afterFix(fixed: string, file = "src/app.ts", extra: Files = {}): Promise<{ errors: string[]; deprecated: string[] }> {
  const { engine, pathOf, findingsIn, textOf } = await analyze({ ...library, ...extra, [file]: fixed });
  return {
    errors: [...(collectDiagnostics(engine, [pathOf(file)]).get(pathOf(file))?.keys() ?? [])],
    deprecated: findingsIn(file, rule).map(textOf),
  };
}

describe("rule: deprecated-usage, migrating consumers of a renamed export", () => {
  afterEach(removeTempDirs);

  describe("through the import", () => {
    it("rewrites the import and every use in one fix of one file, which compiles and leaves nothing deprecated", async () => {
      const source = 'import { add } from "./lib";\n\nexport const total = add([1, 2]);\nexport const parts = [add];\n';
      const { found, analysis, findings } = await offered(source);
      const expected = 'import { sum } from "./lib";\n\nexport const total = sum([1, 2]);\nexport const parts = [sum];\n';
      assert.deepEqual(found, [
        { text: "add", fixes: [{ title: "Migrate to `sum` (import and 2 uses)", isPreferred: true, fixed: expected }] },
        { text: "add", fixes: [{ title: "Migrate to `sum` (import and 2 uses)", isPreferred: true, fixed: expected }] },
      ]);
      const fix = findings[0].fixes[0];
      assert.deepEqual(fix.changes.map((change) => change.file), [analysis.pathOf("src/app.ts")]);
      // One plan, one file: the ledger records one entry for this consumer.
      const plan = planFix(analysis.engine, findings[0], fix);
      assert.deepEqual(plan.files.map((file) => file.relativePath), ["src/app.ts"]);
      assert.deepEqual(await afterFix(expected), { errors: [], deprecated: [] });
    });

    it("migrates a class alias (value and type): `new`, generic type references, `typeof`, `extends`", async () => {
      const source = [
        'import { Client } from "./lib";',
        'export const plain: Client = new Client("a");',
        'export const typed: Client<number> = new Client<number>("b");',
        "export type Maker = typeof Client;",
        "export class Mine extends Client<boolean> {}",
        "",
      ].join("\n");
      const { found } = await offered(source);
      const expected = source.replace(/\bClient\b/g, "HttpClient");
      assert.equal(found.length, 6);
      assert.deepEqual(new Set(found.map((use) => JSON.stringify(use.fixes))), new Set([JSON.stringify([{ title: "Migrate to `HttpClient` (import and 6 uses)", isPreferred: true, fixed: expected }])]));
      assert.deepEqual(await afterFix(expected), { errors: [], deprecated: [] });
    });

    it("migrates a generic type alias that passes its parameters through, from a type-only import", async () => {
      // Arguments left out take the defaults, which the alias copies from the replacement (`K = keyof T` meaning its own T).
      const source = 'import type { Box } from "./lib";\nexport const empty: Box = { value: {} };\nexport const box: Box<{ a: number }> = { value: { a: 1 } };\nexport type Keyed = Box<{ a: number; b: string }, "b">;\n';
      const { found } = await offered(source);
      const expected = source.replace(/\bBox\b/g, "Container");
      assert.equal(found.length, 3);
      for (const use of found) assert.deepEqual(use.fixes.map((fix) => [fix.title, fix.fixed]), [["Migrate to `Container` (import and 3 uses)", expected]]);
      assert.deepEqual(await afterFix(expected), { errors: [], deprecated: [] });
    });

    it("migrates calls of a generic function through its exact alias", async () => {
      const source = 'import { same } from "./lib";\nexport const n = same<number>(1);\nexport const s = same("x");\n';
      const [first] = (await offered(source)).found;
      const expected = source.replace(/\bsame\b/g, "identity");
      assert.deepEqual(first.fixes.map((fix) => [fix.title, fix.fixed]), [["Migrate to `identity` (import and 2 uses)", expected]]);
      assert.deepEqual(await afterFix(expected), { errors: [], deprecated: [] });
    });

    it("keeps a local name given with `as`: only the imported name changes", async () => {
      const source = 'import { add as plus } from "./lib";\nexport const total = plus([1]);\n';
      const [use] = (await offered(source)).found;
      const expected = 'import { sum as plus } from "./lib";\nexport const total = plus([1]);\n';
      assert.deepEqual(use.fixes, [{ title: "Migrate to `sum` (import as `plus`)", isPreferred: true, fixed: expected }]);
      assert.deepEqual(await afterFix(expected), { errors: [], deprecated: [] });
      // `add as sum` needs no `as` any more.
      const named = 'import { add as sum } from "./lib";\nexport const total = sum([1]);\n';
      assert.equal((await offered(named)).found[0].fixes[0].fixed, 'import { sum } from "./lib";\nexport const total = sum([1]);\n');
    });

    it("with the new name imported already, drops the old specifier; that fix is preferred only where it is the only one", async () => {
      const source = 'import { add, sum } from "./lib";\nexport const a = add([1]);\nexport const b = sum([2]);\n';
      const [use] = (await offered(source)).found;
      const migrated = 'import { sum } from "./lib";\nexport const a = sum([1]);\nexport const b = sum([2]);\n';
      assert.deepEqual(use.fixes, [
        { title: "Use `sum` instead", isPreferred: true, fixed: source.replace("add([1])", "sum([1])") },
        { title: "Migrate to `sum` (import and 1 use)", isPreferred: false, fixed: migrated },
      ]);
      assert.deepEqual(await afterFix(migrated), { errors: [], deprecated: [] });

      // Under noUnusedLocals, switching the use alone would leave `add` imported and unread: only the migration is offered.
      const strict = { "tsconfig.json": JSON.stringify({ compilerOptions: { ...JSON.parse(defaultTsconfig).compilerOptions, noUnusedLocals: true } }) };
      const unread = 'import { add, sum } from "./lib";\nexport const a = add([1]);\nexport const keep = sum;\n';
      const [only] = (await offered(unread, "src/app.ts", strict)).found;
      assert.deepEqual(only.fixes.map((fix) => [fix.title, fix.isPreferred]), [["Migrate to `sum` (import and 1 use)", true]]);
      assert.deepEqual(await afterFix(only.fixes[0].fixed, "src/app.ts", strict), { errors: [], deprecated: [] });
    });

    it("removes an import declaration of its own only when the same module stays imported, in the file's CRLF line endings", async () => {
      const source = 'import { add } from "./lib";\r\nimport { sum } from "./lib";\r\nexport const a = add([1]);\r\nexport const b = sum([2]);\r\n';
      const [use] = (await offered(source)).found;
      const migrated = 'import { sum } from "./lib";\r\nexport const a = sum([1]);\r\nexport const b = sum([2]);\r\n';
      assert.deepEqual(use.fixes.map((fix) => fix.fixed), [source.replace("add([1])", "sum([1])"), migrated]);
      assert.deepEqual(await afterFix(migrated), { errors: [], deprecated: [] });
      // From another module (`./lib/math` may have effects of its own on load): no migration.
      const elsewhere = 'import { add } from "./lib/math";\nimport { sum } from "./lib";\nexport const a = add([1]);\nexport const b = sum([2]);\n';
      assert.deepEqual((await offered(elsewhere)).found[0].fixes.map((fix) => fix.title), ["Use `sum` instead"]);
    });

    it("keeps CRLF line endings when it renames", async () => {
      const source = 'import { add } from "./lib";\r\n\r\nexport const total = add([1, 2]);\r\n';
      const [use] = (await offered(source)).found;
      assert.equal(use.fixes[0].fixed, 'import { sum } from "./lib";\r\n\r\nexport const total = sum([1, 2]);\r\n');
    });

    it("offers no migration when one use cannot take the new name: the file is never left half-migrated", async () => {
      const narrow: Files = {
        "src/parse.ts": [
          "/** @deprecated Use {@link parseText} */",
          "export function parseAny(input: string | number): number {",
          "  return Number(input);",
          "}",
          "export function parseText(input: string): number {",
          "  return Number(input);",
          "}",
          "",
        ].join("\n"),
      };
      const source = 'import { parseAny } from "./parse";\nexport const a = parseAny("1");\nexport const b = parseAny(2);\n';
      const { found } = await offered(source, "src/app.ts", narrow);
      assert.deepEqual(found.map((use) => [use.text, use.fixes]), [["parseAny", []], ["parseAny", []]]);
      // The same when every use fits: migrated.
      const fitting = 'import { parseAny } from "./parse";\nexport const a = parseAny("1");\n';
      assert.deepEqual((await offered(fitting, "src/app.ts", narrow)).found[0].fixes.map((fix) => fix.fixed), ['import { parseText } from "./parse";\nexport const a = parseText("1");\n']);
    });

    it("offers no migration for uses a rename cannot carry: a shorthand property, a re-export, a doc comment", async () => {
      const cases = [
        'import { add } from "./lib";\nexport const total = add([1]);\nexport const api = { add };\n',
        'import { add } from "./lib";\nexport const total = add([1]);\nexport { add };\n',
        'import { add } from "./lib";\n/** Totals with {@link add}. */\nexport const total = add([1]);\n',
      ];
      for (const source of cases) {
        const { found } = await offered(source);
        assert.ok(found.length > 0, source);
        assert.deepEqual(found.flatMap((use) => use.fixes), [], source);
      }
    });

    it("offers no migration where the new name would mean something else: a local of that name, a file-level declaration, a global", async () => {
      const cases = [
        'import { add } from "./lib";\nexport const a = add([1]);\nexport function f(sum: number) {\n  return add([sum]);\n}\n',
        'import { add } from "./lib";\nexport const a = add([1]);\nconst sum = 3;\nexport const b = sum;\n',
      ];
      for (const source of cases) assert.deepEqual((await offered(source)).found.flatMap((use) => use.fixes), [], source);
      // `Map` is a global: importing a `Map` would shadow it for the rest of the file.
      const globals: Files = { "src/maps.ts": "export class Map {}\n/** @deprecated Use {@link Map} */\nexport const Table = Map;\n" };
      const source = 'import { Table } from "./maps";\nexport const t = new Table();\nexport const m = new globalThis.Map<string, number>();\n';
      assert.deepEqual((await offered(source, "src/app.ts", globals)).found.flatMap((use) => use.fixes), []);
    });

    it("offers no migration to a value exported only as a type, by name or by `export type *` (the migrated file is type-checked)", async () => {
      const source = 'import { add } from "./facade";\nexport const total = add([1]);\n';
      for (const facade of ['export { add } from "./lib/math";\nexport type { sum } from "./lib/math";\n', 'export { add } from "./lib/math";\nexport type * from "./lib/math";\n']) {
        const { found } = await offered(source, "src/app.ts", { "src/facade.ts": facade });
        assert.deepEqual(found.map((use) => [use.text, use.fixes]), [["add", []]], facade);
      }
      // The same facade with a value export: migrated.
      const { found } = await offered(source, "src/app.ts", { "src/facade.ts": 'export { add, sum } from "./lib/math";\n' });
      assert.deepEqual(found[0].fixes.map((fix) => fix.fixed), ['import { sum } from "./facade";\nexport const total = sum([1]);\n']);
    });
  });

  describe("one use at a time", () => {
    it("switches a namespace import's member, in values and types, `new` included", async () => {
      const source = [
        'import * as calc from "./lib";',
        "export const total = calc.add([1]);",
        'export const client = new calc.Client("a");',
        "export const box: calc.Box<{ a: number }> = { value: { a: 1 } };",
        "export let kept: calc.Client;",
        "",
      ].join("\n");
      const { found } = await offered(source);
      const fixed = found.map((use) => use.fixes.map((fix) => [fix.title, fix.fixed]));
      assert.deepEqual(fixed, [
        [["Use `sum` instead", source.replace("calc.add", "calc.sum")]],
        [["Use `HttpClient` instead", source.replace("new calc.Client", "new calc.HttpClient")]],
        [["Use `Container` instead", source.replace("calc.Box", "calc.Container")]],
        [["Use `HttpClient` instead", source.replace("kept: calc.Client", "kept: calc.HttpClient")]],
      ]);
      const all = source.replace("calc.add", "calc.sum").replace(/calc\.Client/g, "calc.HttpClient").replace("calc.Box", "calc.Container");
      assert.deepEqual(await afterFix(all), { errors: [], deprecated: [] });
    });

    it("fixes `new Old(…)` and `Old<T>` where the replacement is in scope, but not a `new` of a class that is merely alike", async () => {
      const alike: Files = {
        "src/shapes.ts": [
          "/** @deprecated Use {@link Circle} */",
          "export class Round {",
          "  constructor(readonly radius: number) {}",
          "}",
          "export class Circle {",
          "  constructor(readonly radius: number) {}",
          "}",
          "",
        ].join("\n"),
      };
      const source = [
        'import { Client, HttpClient } from "./lib";',
        'import { Circle, Round } from "./shapes";',
        'export const made = new Client<number>("a");',
        "export let typed: Client<number> = made;",
        "export const round = new Round(1);",
        "export const keep: [HttpClient, Circle] = [new HttpClient(\"b\"), new Circle(2)];",
        "",
      ].join("\n");
      const { found } = await offered(source, "src/app.ts", alike);
      assert.deepEqual(found.map((use) => [use.text, use.fixes[0]?.fixed]), [
        ["Client", source.replace("new Client<number>", "new HttpClient<number>")],
        ["Client", source.replace("typed: Client<number>", "typed: HttpClient<number>")],
        ["Round", undefined],
      ]);
    });

    it("does not switch a member that is written: a read fits, `obj.old = …` and `obj.old++` are reported only", async () => {
      const config: Files = { "src/config.ts": "export class Config {\n  /** @deprecated Use {@link Config.timeoutMs} */\n  timeout = 1;\n  timeoutMs = 1;\n}\n" };
      const source = 'import type { Config } from "./config";\nexport function tune(config: Config): number {\n  config.timeout = 5;\n  config.timeout++;\n  return config.timeout * 2;\n}\n';
      const { found } = await offered(source, "src/app.ts", config);
      assert.deepEqual(found.map((use) => use.fixes.map((fix) => fix.fixed)), [[], [], [source.replace("config.timeout * 2", "config.timeoutMs * 2")]]);
    });

    it("fixes a generic alias's reference only when the alias passes its parameters through in order", async () => {
      const aliases: Files = {
        "src/pairs.ts": [
          "export interface Pair<A, B = string> {",
          "  first: A;",
          "  second: B;",
          "}",
          "/** @deprecated Use {@link Pair} */",
          "export type Couple<A, B = string> = Pair<A, B>;",
          "/** @deprecated Use {@link Pair} */",
          "export type Other<A, B = number> = Pair<A, B>;",
          "/** @deprecated Use {@link Pair} */",
          "export type Swapped<A, B> = Pair<B, A>;",
          "/** @deprecated Use {@link Pair} */",
          "export type Keyed<B> = Pair<string, B>;",
          "",
        ].join("\n"),
      };
      const source = [
        'import type { Couple, Keyed, Other, Pair, Swapped } from "./pairs";',
        'export const a: Couple<number, string> = { first: 1, second: "x" };',
        'export const b: Couple<number> = { first: 1, second: "x" };',
        'export const c: Other<number, string> = { first: 1, second: "x" };',
        "export const d: Other<number> = { first: 1, second: 2 };",
        'export const e: Swapped<number, string> = { first: "x", second: 1 };',
        'export const f: Keyed<number> = { first: "k", second: 1 };',
        "export type Keep = Pair<1, 2>;",
        "",
      ].join("\n");
      const { found } = await offered(source, "src/app.ts", aliases);
      assert.deepEqual(found.map((use) => [use.text, use.fixes[0]?.fixed]), [
        ["Couple", source.replace("a: Couple<", "a: Pair<")],
        ["Couple", source.replace("b: Couple<", "b: Pair<")],
        ["Other", source.replace("c: Other<", "c: Pair<")],
        ["Other", undefined], // `Other`'s default (number) is not `Pair`'s (string)
        ["Swapped", undefined],
        ["Keyed", undefined],
      ]);
    });
  });
});
