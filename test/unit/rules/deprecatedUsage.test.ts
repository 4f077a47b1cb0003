import * as assert from "node:assert/strict";
import { analyze, applyFix, removeTempDirs, type Files } from "../helpers/workspace";

const rule = "deprecated-usage";

const api: Files = {
  "src/api.ts": [
    "/** @deprecated Use {@link fetchUser} instead. */",
    "export function getUser(id: string): { id: string } {",
    "  return { id };",
    "}",
    "export function fetchUser(id: string): { id: string; name?: string } {",
    "  return { id };",
    "}",
    "/** @deprecated use newFormat instead */",
    "export const oldFormat = (value: number): string => String(value);",
    "export const newFormat = (value: number): string => value.toFixed(0);",
    "/** @deprecated Use {@link narrowParse} */",
    "export function wideParse(input: string | number): number {",
    "  return Number(input);",
    "}",
    "export function narrowParse(input: string): number {",
    "  return Number(input);",
    "}",
    "/** @deprecated No replacement: inline the constant. */",
    "export const LIMIT = 10;",
    "export function parse(input: string): number;",
    "/** @deprecated Use {@link parseFlag} for booleans. */",
    "export function parse(input: boolean): number;",
    "export function parse(input: string | boolean): number {",
    "  return Number(input);",
    "}",
    "export function parseFlag(input: boolean): number {",
    "  return Number(input);",
    "}",
    "export class Client {",
    "  /** @deprecated Use {@link Client.send} instead. */",
    "  post(body: string): Promise<void> {",
    "    return this.send(body);",
    "  }",
    "  send(body: string): Promise<void> {",
    "    return Promise.resolve(void body);",
    "  }",
    "  /** @deprecated Use hidden */",
    "  old(): void {}",
    "  private hidden(): void {}",
    "}",
    "/** @deprecated Use {@link Shape} */",
    "export interface OldShape { size: number }",
    "export interface Shape { size: number }",
    "",
  ].join("\n"),
};

interface Reported {
  text: string;
  message: string;
  fixed: string | undefined;
}

async function reported(source: string, file = "src/main.ts", extra: Files = api): Promise<Reported[]> {
  const result = await analyze({ [file]: source, ...extra });
  return result.findingsIn(file, rule).map((finding) => ({ text: result.textOf(finding), message: finding.message, fixed: finding.fixes[0] ? applyFix(source, finding.fixes[0]) : undefined }));
}

describe("rule: deprecated-usage", () => {
  afterEach(removeTempDirs);

  it("reports a call to a deprecated function with the tag's text, and fixes it to the linked replacement in scope", async () => {
    const source = 'import { fetchUser, getUser } from "./api";\nexport const user = getUser("1");\nexport const other = fetchUser("2");\n';
    const [finding, ...rest] = await reported(source);
    assert.deepEqual(rest, []);
    assert.equal(finding.text, "getUser");
    assert.equal(finding.message, "`getUser` is deprecated: Use `fetchUser` instead.");
    assert.equal(finding.fixed, source.replace('getUser("1")', 'fetchUser("1")'));
  });

  it("reports the use, not the import; without the replacement in scope, migrates the import where its module exports the replacement too", async () => {
    const source = 'import { getUser } from "./api";\nexport const user = getUser("1");\n';
    assert.deepEqual(await reported(source), [{ text: "getUser", message: "`getUser` is deprecated: Use `fetchUser` instead.", fixed: 'import { fetchUser } from "./api";\nexport const user = fetchUser("1");\n' }]);
    // A module that passes on only the deprecated name: no fix, since the fix does not add imports of other modules.
    const facade = 'import { getUser } from "./facade";\nexport const user = getUser("1");\n';
    assert.deepEqual(await reported(facade, "src/main.ts", { ...api, "src/facade.ts": 'export { getUser } from "./api";\n' }), [
      { text: "getUser", message: "`getUser` is deprecated: Use `fetchUser` instead.", fixed: undefined },
    ]);
  });

  it("follows the replacement named in prose (`use newFormat instead`), also for a value passed around", async () => {
    const source = 'import { newFormat, oldFormat } from "./api";\nexport const text = oldFormat(1);\nexport const formatters = [oldFormat];\n';
    assert.deepEqual((await reported(source)).map((finding) => finding.fixed), [
      source.replace("oldFormat(1)", "newFormat(1)"),
      source.replace("[oldFormat]", "[newFormat]"),
    ]);
  });

  it("offers no fix when the replacement does not accept the call's arguments", async () => {
    const source = 'import { narrowParse, wideParse } from "./api";\nexport const a = wideParse("1");\nexport const b = wideParse(2);\nexport const keep = narrowParse;\n';
    assert.deepEqual((await reported(source)).map((finding) => finding.fixed !== undefined), [true, false]);
  });

  it("decides by the overload a call resolves to", async () => {
    const source = 'import { parse, parseFlag } from "./api";\nexport const a = parse("1");\nexport const b = parse(true);\nexport const keep = parseFlag;\n';
    const found = await reported(source);
    assert.deepEqual(found.map((finding) => finding.text), ["parse"]);
    assert.equal(found[0].fixed, source.replace("parse(true)", "parseFlag(true)"));
  });

  it("reports a call through a variable or destructured binding whose chosen signature is deprecated, without a fix, as TypeScript strikes it through", async () => {
    // Found on zod's tests: `const { format } = error; format()` and `const email = schema.email; email()`.
    const source = [
      'import { Client, parse } from "./api";',
      "export function run(client: Client): void {",
      "  const { old } = client;",
      "  old.call(client);",
      "  const post = client.post;",
      '  void post("x");',
      "  const p = parse;",
      '  p("1");',
      "  p(true);",
      "}",
      "",
    ].join("\n");
    const found = await reported(source);
    assert.deepEqual(
      found.map((finding) => [finding.text, finding.fixed]),
      [
        ["post", source.replace("client.post", "client.send")], // `client.post`: the member itself
        ["post", undefined], // `post("x")`: the call picks the deprecated method's signature
        ["p", undefined], // `p(true)` picks the deprecated overload; `p("1")` does not
      ],
    );
    assert.match(found[1].message, /^`post` is deprecated: Use `Client.send` instead\.$/);
  });

  it("does not trip over a module augmented elsewhere, whose declarations include a parentless SourceFile", async () => {
    // Found on zod's sources: `import * as z` of a module that a `declare module` augments.
    const { findings } = await analyze({
      "src/core.ts": "export const version = 4;\n",
      "src/augment.ts": 'export {};\ndeclare module "./core" {\n  interface Registry { size: number }\n}\n',
      "src/use.ts": 'import * as core from "./core";\nexport const v = core.version;\n',
    });
    assert.deepEqual(findings.filter((finding) => finding.ruleId === rule), []);
  });

  it("reports without a fix when the tag names no replacement", async () => {
    assert.deepEqual(await reported('import { LIMIT } from "./api";\nexport const n = LIMIT * 2;\n'), [
      { text: "LIMIT", message: "`LIMIT` is deprecated: No replacement: inline the constant.", fixed: undefined },
    ]);
  });

  it("fixes members through the receiver's type, but not to a private one", async () => {
    const source = 'import { Client } from "./api";\nexport async function run(client: Client) {\n  await client.post("x");\n  client.old();\n}\n';
    const found = await reported(source);
    assert.deepEqual(found.map((finding) => [finding.text, finding.fixed !== undefined]), [["post", true], ["old", false]]);
    assert.equal(found[0].fixed, source.replace("client.post", "client.send"));
  });

  it("fixes a type reference whose replacement is the same type, through a namespace import too", async () => {
    const source = 'import type { OldShape, Shape } from "./api";\nimport * as Api from "./api";\nexport const s: OldShape = { size: 1 };\nexport type Keep = Shape;\nexport const user = Api.getUser("1");\n';
    const found = await reported(source);
    assert.deepEqual(found.map((finding) => [finding.text, finding.fixed !== undefined]), [["OldShape", true], ["getUser", true]]);
    assert.equal(found[0].fixed, source.replace("s: OldShape", "s: Shape"));
    assert.equal(found[1].fixed, source.replace("Api.getUser", "Api.fetchUser"));
  });

  it("is not fooled by shadowing: a local of the deprecated name is not deprecated, a local of the replacement's name blocks the fix", async () => {
    const source = [
      'import { fetchUser, getUser } from "./api";',
      "export function a(getUser: (id: string) => unknown) {",
      '  return getUser("1");',
      "}",
      "export function b() {",
      "  const fetchUser = (id: number) => id;",
      '  return [getUser("1"), fetchUser(2)];',
      "}",
      "export const keep = fetchUser;",
      "",
    ].join("\n");
    assert.deepEqual((await reported(source)).map((finding) => [finding.text, finding.fixed]), [["getUser", undefined]]);
  });

  it("reports deprecated JSX components and decorators, without fixes", async () => {
    const tsconfig = JSON.stringify({ compilerOptions: { jsx: "preserve", strict: true, lib: ["ES2022"], noEmit: true, experimentalDecorators: true } });
    const source = [
      "/** @deprecated Use Panel */",
      "function Box(props: { title: string }) {",
      "  return <div>{props.title}</div>;",
      "}",
      "export function Panel(props: { title: string }) {",
      "  return <section>{props.title}</section>;",
      "}",
      "/** @deprecated */",
      "function legacy(target: object, key: string): void {",
      "  void target, key;",
      "}",
      "export class Form {",
      "  @legacy",
      "  field = <Box title='x' />;",
      "}",
      "",
    ].join("\n");
    const found = await reported(source, "src/view.tsx", { "tsconfig.json": tsconfig });
    assert.deepEqual(found.map((finding) => [finding.text, finding.fixed]), [["legacy", undefined], ["Box", undefined]]);
  });

  it("keeps comments around the name it replaces", async () => {
    const source = 'import { fetchUser, getUser } from "./api";\nexport const user = /* legacy */ getUser /* call */ ("1");\nexport const keep = fetchUser;\n';
    assert.equal((await reported(source))[0].fixed, source.replace("/* legacy */ getUser /* call */", "/* legacy */ fetchUser /* call */"));
  });
});
