import * as assert from "node:assert/strict";
import { analyze, removeTempDirs } from "../helpers/workspace";

const rule = "non-null-assertion";

async function reported(source: string, file = "src/main.ts", extra: Record<string, string> = {}): Promise<string[]> {
  const result = await analyze({ [file]: source, ...extra });
  return result.findingsIn(file, rule).map((finding) => result.textOf(finding));
}

describe("rule: non-null-assertion", () => {
  afterEach(removeTempDirs);

  it("reports `x!` in reads, calls, member chains and assignment targets", async () => {
    const source = [
      "declare const map: Map<string, { name?: string }>;",
      "declare let slot: string | undefined;",
      "export const a = map.get('a')!.name;",
      "export const b = map.get('b')!.name!.length;",
      "slot! = 'x';",
      "",
    ].join("\n");
    assert.deepEqual(await reported(source), ["map.get('a')!", "map.get('b')!.name!", "map.get('b')!", "slot!"]);
  });

  it("does not report definite assignment (`let x!: T`), `!=`, or logical not", async () => {
    const source = "let late!: number;\nexport class Box {\n  value!: string;\n}\ndeclare const a: number | null;\nexport const b = a != null && !late;\n";
    assert.deepEqual(await reported(source), []);
  });

  it("reports inside generics, decorators' arguments and TSX, and offers no fix", async () => {
    const tsconfig = JSON.stringify({ compilerOptions: { jsx: "preserve", strict: true, lib: ["ES2022"], noEmit: true, experimentalDecorators: true } });
    const source = [
      "declare const ids: string[] | undefined;",
      "declare function tag(value: string): (target: object, key: string) => void;",
      "export function first<T>(items: T[] | undefined): T {",
      "  return items![0];",
      "}",
      "export class Form {",
      "  @tag(ids![0])",
      "  field = '';",
      "}",
      "export const view = <p>{ids!.length}</p>;",
      "",
    ].join("\n");
    const result = await analyze({ "src/main.tsx": source, "tsconfig.json": tsconfig });
    const findings = result.findingsIn("src/main.tsx", rule);
    assert.deepEqual(findings.map((finding) => result.textOf(finding)), ["items!", "ids!", "ids!"]);
    assert.ok(findings.every((finding) => finding.fixes.length === 0 && finding.severity === "warning"));
  });
});
