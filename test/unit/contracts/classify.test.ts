import * as assert from "node:assert/strict";
import * as path from "node:path";
import { currentApi, snapshotApi } from "../../../server/src/engine/contracts/apiContract";
import { parseBaseline, serializeBaseline, type ApiBaseline, type LoadedBaseline } from "../../../server/src/engine/contracts/baseline";
import { diffContracts } from "../../../server/src/engine/contracts/classify";
import { textualRelation, unionMembers } from "../../../server/src/engine/contracts/diffContext";
import { contractFixtures, fixtureProgram, runApiCase } from "./helpers";

/** A corpus case classified without the checker: every type judgement is then a heuristic. */
function withoutChecker(name: string) {
  const dir = path.join(contractFixtures, name).replace(/\\/g, "/");
  const before = `${dir}/before/index.ts`;
  const after = `${dir}/after/index.ts`;
  const { baseline } = snapshotApi({ program: fixtureProgram(before, `${dir}/before`), entryFile: before, name: "fixture", version: "1.0.0", entry: "index.ts" });
  const loaded = parseBaseline(`${dir}/baseline.json`, serializeBaseline(baseline)) as LoadedBaseline<ApiBaseline>;
  return diffContracts(loaded, currentApi({ program: fixtureProgram(after, `${dir}/after`), entryFile: after, name: "fixture" }));
}

describe("contracts: classification", () => {
  it("without the checker, judges types from their text (union members as sets) and says so: heuristic", () => {
    const narrowed = withoutChecker("parameter-type-narrowed");
    assert.deepEqual(narrowed.map(({ kind, classification, proof }) => ({ kind, classification, proof })), [{ kind: "parameter-type-narrowed", classification: "breaking", proof: "heuristic" }]);
    const rewritten = withoutChecker("parameter-type-rewritten");
    assert.deepEqual(rewritten.map(({ kind, proof }) => ({ kind, proof })), [{ kind: "parameter-type-changed", proof: "heuristic" }], "the text cannot show that two object types are one");
    const structural = withoutChecker("required-parameter-added");
    assert.deepEqual(structural.map(({ kind, proof }) => ({ kind, proof })), [{ kind: "required-parameter-added", proof: "proven" }], "arity rules need no checker");
  });

  it("reads union members at the top level only", () => {
    assert.deepEqual(unionMembers('"a" | (string | number)[] | { x: 1 | 2 }'), ['"a"', "(string | number)[]", "{ x: 1 | 2 }"]);
    assert.deepEqual(unionMembers("() => string | number"), ["() => string | number"]);
    assert.equal(textualRelation("string", "number | string"), "widened");
    assert.equal(textualRelation("number | string", "string"), "narrowed");
    assert.equal(textualRelation("string", "number"), "changed");
    assert.equal(textualRelation("string", "any"), "to-any");
  });

  it("points at the current declaration, and at the baseline's line for what is gone", () => {
    const { changes, baselineText } = runApiCase(path.join(contractFixtures, "export-renamed"));
    const removed = changes.find((change) => change.kind === "export-removed")!;
    assert.ok(removed.file.endsWith("/baseline.json"));
    assert.equal(baselineText.split("\n")[removed.range.start.line], '      "parse": {');
    const added = changes.find((change) => change.kind === "export-added")!;
    assert.ok(added.file.endsWith("/after/index.ts"));
    assert.deepEqual(added.range, { start: { line: 0, character: 16 }, end: { line: 0, character: 25 } });
    assert.equal(added.line, 1);
  });

  it("names the change in plain words: what changed, and why it breaks consumers", () => {
    const [change] = runApiCase(path.join(contractFixtures, "return-type-widened")).changes;
    assert.equal(change.message, "'first': the return type allows more values: 'string' → 'string | undefined': code that uses the result as the old type may no longer compile");
  });
});
