import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { JsonDocument } from "../../../server/src/engine/contracts/jsonPositions";
import { findContractTags, mirrorDrift } from "../../../server/src/engine/contracts/mirrorDrift";
import { diffSchemas } from "../../../server/src/engine/contracts/schemaDiff";
import { changeKinds } from "../../../server/src/engine/contracts/changeKinds";
import { contractFixtures, fixtureProgram } from "./helpers";

interface ExpectedChange {
  kind: string;
  symbol: string;
  classification: string;
  proof: string;
  /** Schema cases: where in after.schema.json (a JSON pointer); mirror cases: `types.ts:LINE`. */
  pointer?: string;
  at?: string;
}

const key = (change: ExpectedChange, where: string) => `${change.kind} ${change.symbol} ${change.classification} (${change.proof}) @ ${where}`;

function casesIn(folder: string): string[] {
  return fs
    .readdirSync(folder)
    .filter((name) => fs.existsSync(path.join(folder, name, "expected.json")))
    .sort();
}

describe("contracts: JSON Schema pairs (test/fixtures/contracts/schemas)", () => {
  const folder = path.join(contractFixtures, "schemas");
  const cases = casesIn(folder);

  it("has a pair for every schema rule", () => {
    const seen = new Set(cases.flatMap((name) => (JSON.parse(fs.readFileSync(path.join(folder, name, "expected.json"), "utf8")).changes as ExpectedChange[]).map((change) => change.kind)));
    assert.deepEqual(Object.keys(changeKinds).filter((kind) => kind.startsWith("schema-") && !seen.has(kind)), []);
  });

  for (const name of cases) {
    it(name, () => {
      const dir = path.join(folder, name);
      const expected = JSON.parse(fs.readFileSync(path.join(dir, "expected.json"), "utf8")) as { changes: ExpectedChange[] };
      const afterFile = path.join(dir, "after.schema.json");
      const current = new JsonDocument(afterFile, fs.readFileSync(afterFile, "utf8"));
      const baseline = JSON.parse(fs.readFileSync(path.join(dir, "before.schema.json"), "utf8")) as unknown;
      const changes = diffSchemas({ contract: "fixture", baseline, file: afterFile, current });
      const lineOf = (pointer: string) => current.rangeOf(pointer).start.line + 1;
      const actual = changes.map((change) => key(change, `line ${change.line}`)).sort();
      assert.deepEqual(actual, expected.changes.map((change) => key(change, `line ${lineOf(change.pointer ?? "")}`)).sort());
      for (const change of changes) assert.equal(change.file, afterFile);
    });
  }
});

describe("contracts: mirrored types (test/fixtures/contracts/mirrors)", () => {
  const folder = path.join(contractFixtures, "mirrors");
  for (const name of casesIn(folder)) {
    it(name, () => {
      const dir = path.join(folder, name).replace(/\\/g, "/");
      const expected = JSON.parse(fs.readFileSync(path.join(dir, "expected.json"), "utf8")) as { type: string; changes: ExpectedChange[] };
      const typeFile = `${dir}/types.ts`;
      const schemaFile = `${dir}/schema.json`;
      const program = fixtureProgram(typeFile, dir);
      const changes = mirrorDrift({ contract: "fixture", program, typeFile, typeName: expected.type, schemaFile, schema: new JsonDocument(schemaFile, fs.readFileSync(schemaFile, "utf8")) });
      const actual = changes.map((change) => key(change, `${path.posix.relative(dir, change.file)}:${change.line}`)).sort();
      assert.deepEqual(actual, expected.changes.map((change) => key(change, change.at ?? "")).sort());
    });
  }

  it("finds a `@contract path/to/schema.json` tag and resolves it against the declaring module", () => {
    const dir = path.join(folder, "in-sync").replace(/\\/g, "/");
    const program = fixtureProgram(`${dir}/types.ts`, dir);
    const tags = findContractTags(program, [`${dir}/types.ts`]);
    assert.deepEqual(
      tags.map((tag) => ({ file: tag.file, typeName: tag.typeName, schema: tag.schema, line: tag.location.range.start.line })),
      [{ file: `${dir}/types.ts`, typeName: "User", schema: `${dir}/schema.json`, line: 0 }],
    );
  });
});
