import * as assert from "node:assert/strict";
import { acceptableChanges, acceptChanges, acceptedFiles, acceptedVersion, migrationNote, migrationNotesFile } from "../../../server/src/engine/contracts/acceptContract";
import { schemaBaseline } from "../../../server/src/engine/contracts/baseline";
import { changeKindIds, changeKinds } from "../../../server/src/engine/contracts/changeKinds";
import { consumerAction, kindsWithAction } from "../../../server/src/engine/contracts/consumerActions";
import type { ContractReport, Snapshot } from "../../../server/src/engine/contracts/contractRunner";
import type { ContractTarget } from "../../../server/src/engine/contracts/contractTargets";
import type { ContractChange } from "../../../server/src/engine/contracts/model";
import type { FileEdit } from "../../../server/src/engine/findings";
import { applyOffsetEdits, toOffsetEdits } from "../../../server/src/engine/verify/textEdits";

const root = "/ws";
const baselineFile = `${root}/.selfheal/contracts/calc.json`;
const notesFile = `${root}/.selfheal/contracts/calc.migrations.md`;
const manifestFile = `${root}/package.json`;

function target(): ContractTarget {
  return { name: "calc", kind: "api", file: `${root}/src/index.ts`, baseline: baselineFile, root, packageRoot: root, packageName: "calc", breaking: "error", declared: false, mirrors: [] };
}

function change(overrides: Partial<ContractChange> = {}): ContractChange {
  const range = { start: { line: 1, character: 31 }, end: { line: 1, character: 32 } };
  return { contract: "calc", symbol: "add", kind: "parameter-made-required", classification: "breaking", proof: "proven", file: `${root}/src/index.ts`, line: 2, range, message: "'add': the parameter 'b' is now required", ...overrides };
}

const breaking = change();
const additive = change({ symbol: "version", kind: "export-added", classification: "additive", message: "'version' is newly exported" });
const internal = change({ symbol: "add", kind: "parameter-renamed", classification: "internal", message: "'add': renamed" });
const mirror = change({ symbol: "User.age", kind: "mirror-field-missing", message: "the schema has 'age'" });

function report(changes: ContractChange[], overrides: Partial<ContractReport> = {}): ContractReport {
  const version = { ok: false, required: "major" as const, actual: "none" as const, message: "", file: manifestFile, range: { start: { line: 2, character: 2 }, end: { line: 2, character: 11 } } };
  return { target: target(), status: "compared", baselineVersion: "1.2.0", currentVersion: "1.2.0", changes, required: "major", version, declarationProblems: [], ...overrides };
}

function snapshot(): Snapshot {
  const baseline = schemaBaseline({ name: "calc", version: "1.2.0", schema: "schema.json", document: { type: "object" } });
  return { target: target(), baseline, text: "", unchanged: false, declarationProblems: [] };
}

const manifest = '{\n  "name": "calc",\n  "version": "1.2.0"\n}\n';

function apply(changes: FileEdit[], texts: Record<string, string | undefined>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const fileChange of changes) {
    const text = texts[fileChange.file] ?? "";
    result[fileChange.file] = applyOffsetEdits(text, toOffsetEdits(text, fileChange.edits));
  }
  return result;
}

describe("contracts: accepting drift", () => {
  it("accepts at the version the drift requires, or at the package's own when it already has the bump", () => {
    assert.equal(acceptedVersion(report([breaking])), "2.0.0");
    assert.equal(acceptedVersion(report([additive], { required: "minor" })), "1.3.0");
    assert.equal(acceptedVersion(report([breaking], { baselineVersion: "0.3.1", required: "minor" })), "0.4.0", "0.x: a break is a minor bump");
    const bumped = report([breaking], { currentVersion: "3.0.0" });
    bumped.version = { ...bumped.version!, ok: true };
    assert.equal(acceptedVersion(bumped), "3.0.0");
  });

  it("leaves internal changes and mirror drift out: the baseline cannot settle a type against its schema", () => {
    assert.deepEqual(acceptableChanges(report([breaking, internal, mirror, additive])), [breaking, additive]);
    assert.deepEqual(acceptableChanges(report([breaking], { status: "no-baseline" })), []);
  });

  it("writes a migration note: breaking first with what consumers must do, additive after, sorted, deterministic", () => {
    const other = change({ symbol: "Options.strict", kind: "property-removed", message: "'Options.strict' is gone" });
    const note = migrationNote(report([breaking, additive, other, internal]), "2.0.0");
    assert.equal(
      note,
      [
        "## 2.0.0 (from 1.2.0)",
        "",
        "2 breaking changes, 1 additive change.",
        "",
        "### Breaking: consumers must act",
        "",
        "- 'Options.strict' is gone (property-removed, proven)",
        "  - What to do: stop reading and writing the property.",
        "- 'add': the parameter 'b' is now required (parameter-made-required, proven)",
        "  - What to do: pass the argument at every call that left it out.",
        "",
        "### Additive: nothing to do",
        "",
        "- 'version' is newly exported (export-added)",
        "",
      ].join("\n"),
    );
    assert.equal(migrationNote(report([other, additive, breaking]), "2.0.0"), note, "the order of the changes does not matter");
  });

  it("changes the baseline, the package's version value and the notes (created with a heading when missing)", () => {
    const texts: Record<string, string | undefined> = { [baselineFile]: '{ "old": true }\n', [manifestFile]: manifest, [notesFile]: undefined };
    const accepted = acceptChanges({ report: report([breaking]), snapshot: snapshot(), textOf: (file) => texts[file] });
    assert.equal(accepted.version, "2.0.0");
    assert.deepEqual(accepted.changes.map((fileChange) => [fileChange.file, fileChange.create ?? false]), [[baselineFile, false], [manifestFile, false], [notesFile, true]]);
    assert.deepEqual(acceptedFiles(report([breaking])), [baselineFile, manifestFile, notesFile], "the deferred fix names the same files");
    const after = apply(accepted.changes, texts);
    assert.equal(JSON.parse(after[baselineFile]).version, "2.0.0");
    assert.equal(after[manifestFile], manifest.replace('"1.2.0"', '"2.0.0"'), "only the value changes");
    assert.ok(after[notesFile].startsWith("# Migration notes: contract `calc`\n\n"));
    assert.ok(after[notesFile].endsWith(accepted.note));
  });

  it("appends to existing notes in their line endings, with one blank line between sections", () => {
    for (const [notes, separator] of [
      ["# Notes\r\n\r\nold\r\n", "\r\n"],
      ["# Notes\n\nold", "\n\n"],
      ["# Notes\n\nold\n\n", ""],
    ] as const) {
      const texts: Record<string, string | undefined> = { [baselineFile]: "{}\n", [manifestFile]: manifest, [notesFile]: notes };
      const accepted = acceptChanges({ report: report([breaking]), snapshot: snapshot(), textOf: (file) => texts[file] });
      const eol = notes.includes("\r\n") ? "\r\n" : "\n";
      assert.equal(apply(accepted.changes, texts)[notesFile], notes + separator + accepted.note.replace(/\n/g, eol), JSON.stringify(notes));
    }
  });

  it("leaves package.json alone when it has no version value to change, or the version already has the bump", () => {
    const texts: Record<string, string | undefined> = { [baselineFile]: "{}\n", [manifestFile]: '{ "name": "calc" }\n', [notesFile]: "" };
    const accepted = acceptChanges({ report: report([breaking]), snapshot: snapshot(), textOf: (file) => texts[file] });
    assert.deepEqual(accepted.changes.map((fileChange) => fileChange.file), [baselineFile, notesFile]);
    assert.equal(migrationNotesFile(baselineFile), notesFile);
  });

  it("has a specific consumer action for every kind that can break consumers", () => {
    const breakingKinds = changeKindIds.filter((kind) => changeKinds[kind].classification === "breaking" && !kind.startsWith("mirror-"));
    const missing = breakingKinds.filter((kind) => !kindsWithAction().includes(kind));
    assert.deepEqual(missing, []);
    assert.equal(consumerAction({ kind: "export-added", classification: "additive" }), "nothing is required; recompile to pick it up.");
    assert.equal(consumerAction({ kind: "parameter-type-widened", classification: "breaking" }), "recompile, and fix the uses the compiler reports.", "a usually additive kind that breaks in its position");
  });
});
