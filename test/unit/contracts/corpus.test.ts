import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { changeKinds } from "../../../server/src/engine/contracts/changeKinds";
import { changeKey, contractFixtures, readExpected, runApiCase, type CaseChange } from "./helpers";

/**
 * The accuracy corpus: every case under test/fixtures/contracts/<case>/ is a before/after pair
 * with the exact changes expected (kind, symbol, classification, proof and where). One test
 * runs them all so the failure can show a table per rule: which rules miss, which over-report.
 */
describe("contracts: accuracy corpus (test/fixtures/contracts)", function () {
  this.timeout(300_000);
  const cases = fs
    .readdirSync(contractFixtures)
    .filter((name) => fs.existsSync(path.join(contractFixtures, name, "expected.json")) && fs.existsSync(path.join(contractFixtures, name, "before")))
    .sort();

  it("has at least 80 before/after pairs", () => {
    assert.ok(cases.length >= 80, `${cases.length} cases`);
  });

  it("classifies every pair exactly as expected", () => {
    interface Row {
      expected: number;
      found: number;
      missing: string[];
      unexpected: string[];
    }
    const rows = new Map<string, Row>();
    const row = (kind: string) => {
      let found = rows.get(kind);
      if (!found) rows.set(kind, (found = { expected: 0, found: 0, missing: [], unexpected: [] }));
      return found;
    };
    const failures: string[] = [];
    for (const name of cases) {
      const expected = readExpected(path.join(contractFixtures, name)).changes;
      let actual: CaseChange[];
      try {
        actual = runApiCase(path.join(contractFixtures, name)).actual;
      } catch (error) {
        failures.push(`${name}: threw ${error instanceof Error ? error.stack : String(error)}`);
        continue;
      }
      const remaining = actual.map(changeKey);
      for (const change of expected) {
        const entry = row(change.kind);
        entry.expected++;
        const index = remaining.indexOf(changeKey(change));
        if (index >= 0) {
          remaining.splice(index, 1);
          entry.found++;
        } else entry.missing.push(name);
      }
      for (const extra of remaining) row(extra.split(" ")[0]).unexpected.push(name);
      const missing = expected.map(changeKey).filter((key) => !actual.map(changeKey).includes(key));
      if (missing.length > 0 || remaining.length > 0) {
        failures.push(`${name}:\n${missing.map((key) => `    missing    ${key}`).join("\n")}${missing.length && remaining.length ? "\n" : ""}${remaining.map((key) => `    unexpected ${key}`).join("\n")}`);
      }
    }
    if (failures.length > 0) {
      const table = [...rows.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([kind, entry]) => `  ${kind.padEnd(38)} ${String(entry.found).padStart(3)}/${String(entry.expected).padEnd(3)} ${entry.missing.length ? `missing in ${entry.missing.join(", ")}` : ""}${entry.unexpected.length ? ` unexpected in ${entry.unexpected.join(", ")}` : ""}`)
        .join("\n");
      assert.fail(`${failures.length} of ${cases.length} cases differ.\n\nPer rule (found/expected):\n${table}\n\nCases:\n${failures.join("\n")}`);
    }
  });

  it("covers every API rule at least once, with a breaking and a non-breaking case among them", () => {
    const seen = new Map<string, Set<string>>();
    for (const name of cases) {
      for (const change of readExpected(path.join(contractFixtures, name)).changes) {
        if (!seen.has(change.kind)) seen.set(change.kind, new Set());
        seen.get(change.kind)!.add(change.classification);
      }
    }
    const apiKinds = Object.keys(changeKinds).filter((kind) => !kind.startsWith("schema-") && !kind.startsWith("mirror-"));
    assert.deepEqual(apiKinds.filter((kind) => !seen.has(kind)), [], "rules without a fixture");
    const classifications = new Set([...seen.values()].flatMap((set) => [...set]));
    assert.deepEqual([...classifications].sort(), ["additive", "breaking", "internal"]);
  });
});
