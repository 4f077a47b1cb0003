import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { Engine } from "../../../server/src/engine/analysis/engine";
import { consumersOf, contractFindings, maxRelatedConsumers, type FindingSources } from "../../../server/src/engine/contracts/contractFindings";
import { snapshotContract, writeSnapshot, type ContractReport } from "../../../server/src/engine/contracts/contractRunner";
import type { ContractTarget } from "../../../server/src/engine/contracts/contractTargets";
import type { ContractChange } from "../../../server/src/engine/contracts/model";
import type { Range } from "../../../server/src/engine/findings";
import { defaultTsconfig, makeTempDir, removeTempDirs } from "../helpers/workspace";

const root = "/ws";
const at = (line: number, character: number, length = 1): Range => ({ start: { line, character }, end: { line, character: character + length } });

function target(overrides: Partial<ContractTarget> = {}): ContractTarget {
  return { name: "calc", kind: "api", file: `${root}/src/index.ts`, baseline: `${root}/.selfheal/contracts/calc.json`, root, packageRoot: root, packageName: "calc", breaking: "error", declared: false, mirrors: [], ...overrides };
}

function change(overrides: Partial<ContractChange> = {}): ContractChange {
  return { contract: "calc", symbol: "add", kind: "parameter-made-required", classification: "breaking", proof: "proven", file: `${root}/src/index.ts`, line: 2, range: at(1, 31), message: "'add': the parameter 'b' is now required", ...overrides };
}

function report(changes: ContractChange[], overrides: Partial<ContractReport> = {}): ContractReport {
  return { target: target(), status: "compared", baselineVersion: "1.2.0", currentVersion: "1.2.0", changes, required: "none", declarationProblems: [], ...overrides };
}

/** A workspace of texts and an import graph, as the engine lends them. */
function sources(texts: Record<string, string>, importers: Record<string, string[]> = {}): FindingSources {
  return { importersOf: (file) => importers[file] ?? [], textOf: (file) => texts[file] };
}

describe("contracts: findings for the editor", () => {
  afterEach(removeTempDirs);

  it("puts a change at its declaration with classification, proof, baseline version and the files that use it", () => {
    const texts = {
      [`${root}/src/index.ts`]: "export function add(a: number, b: number) {}\n",
      [`${root}/src/consumer.ts`]: 'import { add } from "./index";\nadd(1);\n',
      [`${root}/src/other.ts`]: 'import { negate } from "./index";\nconst adder = 1;\n',
      [`${root}/app/deep.ts`]: 'import * as calc from "../src/reexport";\n\n  calc.add(2);\n',
    };
    const [finding] = contractFindings([report([change()])], sources(texts, { [`${root}/src/index.ts`]: [`${root}/src/consumer.ts`, `${root}/src/other.ts`, `${root}/app/deep.ts`] }));
    assert.equal(finding.ruleId, "contract-breaking");
    assert.equal(finding.file, `${root}/src/index.ts`);
    assert.deepEqual(finding.range, at(1, 31));
    assert.equal(finding.severity, "error");
    assert.equal(finding.message, "breaking (proven): 'add': the parameter 'b' is now required — contract 'calc', baseline 1.2.0; used by 2 files");
    assert.deepEqual(finding.related, [
      { file: `${root}/src/consumer.ts`, range: at(0, 9, 3), message: "uses add" },
      { file: `${root}/app/deep.ts`, range: at(2, 7, 3), message: "uses add" },
    ], "other.ts imports the entry but names add nowhere ('adder' is another name)");
  });

  it("caps the related files and says how many there are", () => {
    const consumers = Array.from({ length: maxRelatedConsumers + 5 }, (_, index) => `${root}/src/c${String(index).padStart(2, "0")}.ts`);
    const texts = Object.fromEntries(consumers.map((file) => [file, "add(1);\n"]));
    const [finding] = contractFindings([report([change()])], sources(texts, { [`${root}/src/index.ts`]: consumers }));
    assert.equal(finding.related.length, maxRelatedConsumers);
    assert.match(finding.message, /used by 25 files \(the first 20 listed\)$/);
  });

  it("looks for the export a member change belongs to, and for nothing in an export= module", () => {
    const texts = { [`${root}/a.ts`]: "let x: Options = { strict: true };\n" };
    const graph = { [`${root}/src/index.ts`]: [`${root}/a.ts`] };
    assert.deepEqual(consumersOf(`${root}/src/index.ts`, "Options.strict", sources(texts, graph)).map((related) => related.range), [at(0, 7, 7)]);
    assert.deepEqual(consumersOf(`${root}/src/index.ts`, "export=.helper", sources(texts, graph)), []);
  });

  it("shows a removed export on the entry's first line, since it has no declaration left", () => {
    const gone = change({ kind: "export-removed", symbol: "subtract", file: `${root}/.selfheal/contracts/calc.json`, range: at(40, 4), message: "the export 'subtract' was removed" });
    const [finding] = contractFindings([report([gone])], sources({ [`${root}/src/index.ts`]: "// calc\nexport {};\n" }));
    assert.equal(finding.file, `${root}/src/index.ts`);
    assert.deepEqual(finding.range, at(0, 0, "// calc".length));
    assert.match(finding.message, /\(`subtract` has no declaration any more: shown on the entry's first line\)$/);
  });

  it("takes a break's severity from the contract (none when off), additive as information, internal as a hint", () => {
    const additive = change({ kind: "export-added", symbol: "mul", classification: "additive", message: "new export 'mul'" });
    const internal = change({ kind: "parameter-renamed", classification: "internal", message: "renamed" });
    const warned = contractFindings([report([change(), additive, internal], { target: target({ breaking: "warning" }) })], sources({}));
    assert.deepEqual(warned.map((finding) => [finding.ruleId, finding.severity]), [["contract-breaking", "warning"], ["contract-additive", "info"], ["contract-internal", "hint"]]);
    const off = contractFindings([report([change(), additive], { target: target({ breaking: "off" }) })], sources({}));
    assert.deepEqual(off.map((finding) => finding.ruleId), ["contract-additive"]);
  });

  it("puts one version finding on a package.json shared by several entry points, with the biggest bump required", () => {
    const version = (required: "major" | "minor", message: string) => ({ ok: false, required, actual: "none" as const, message, file: `${root}/package.json`, range: at(2, 2, 18) });
    const main = report([change()], { required: "major", version: version("major", "the drift requires a major bump (to 2.0.0 or later), but the version is still 1.2.0") });
    const utils = report([change({ contract: "calc-utils", classification: "additive", kind: "export-added" })], { target: target({ name: "calc-utils", file: `${root}/src/utils.ts`, baseline: `${root}/.selfheal/contracts/calc-utils.json` }), required: "minor", version: version("minor", "minor") });
    const passing = report([], { target: target({ name: "calc-other", baseline: `${root}/.selfheal/contracts/calc-other.json` }), version: { ...version("minor", "fine"), ok: true } });
    const bumps = contractFindings([utils, main, passing], sources({})).filter((finding) => finding.ruleId === "contract-version-bump");
    assert.equal(bumps.length, 1);
    assert.deepEqual(bumps[0].range, at(2, 2, 18));
    assert.equal(bumps[0].severity, "error");
    assert.equal(bumps[0].message, "the drift requires a major bump (to 2.0.0 or later), but the version is still 1.2.0 (contracts 'calc', 'calc-utils': 1 breaking, 1 additive)");
    const additiveOnly = contractFindings([utils], sources({})).filter((finding) => finding.ruleId === "contract-version-bump");
    assert.equal(additiveOnly[0].severity, "warning", "no break: a warning");
  });

  it("reports a contract that could not be compared at the policy entry that declares it", () => {
    const origin = { file: `${root}/.selfheal/policy.yaml`, line: 3, character: 4, key: "contracts[0]" };
    const [finding] = contractFindings([report([], { status: "error", target: target({ declared: true, origin }), problem: { id: "contract-baseline-missing", message: "no baseline at .selfheal/contracts/calc.json" } })], sources({}));
    assert.deepEqual([finding.ruleId, finding.file, finding.range.start, finding.severity], ["contract-baseline-missing", origin.file, { line: 3, character: 4 }, "error"]);
    assert.equal(finding.message, "contract 'calc': no baseline at .selfheal/contracts/calc.json");
  });

  it("compares through the engine: findings appear at the drifted declaration and go once it is restored", () => {
    const folder = makeTempDir();
    const files: Record<string, string> = {
      "package.json": JSON.stringify({ name: "calc", version: "0.3.0", types: "./src/index.ts" }, null, 2),
      "tsconfig.json": defaultTsconfig,
      "src/index.ts": "export function add(a: number, b?: number): number {\n  return a + (b ?? 0);\n}\n",
      "src/use.ts": 'import { add } from "./index";\nexport const two = add(2);\n',
    };
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(folder, name)), { recursive: true });
      fs.writeFileSync(path.join(folder, name), text);
    }
    const engine = new Engine();
    engine.workspace.addFolder(folder);
    engine.policies.load(engine.workspace.folderList(), engine.workspace.policyFiles());
    const [calc] = engine.contracts.targets();
    writeSnapshot(snapshotContract(calc, (file) => engine.workspace.projectOf(file)?.program()));
    for (const file of engine.workspace.analyzedFiles()) engine.analyzeSyntax(file);
    assert.deepEqual(engine.checkContracts().files, []);

    const index = `${folder}/src/index.ts`;
    engine.updateDocument(index, files["src/index.ts"].replace("b?: number", "b: number"), 2);
    assert.deepEqual(engine.contracts.affectedBy(`${folder}/src/use.ts`).map((target) => target.name), ["calc"], "the entry's program holds use.ts");
    const { files: changed, compared } = engine.checkContracts((target) => target.name === "calc");
    assert.deepEqual(compared, ["calc"]);
    assert.deepEqual(changed, [`${folder}/package.json`, index]);
    const [breaking] = engine.findingsFor(index).filter((finding) => finding.ruleId.startsWith("contract-"));
    assert.deepEqual([breaking.ruleId, breaking.range.start], ["contract-breaking", { line: 0, character: 31 }]);
    assert.deepEqual(breaking.related.map((related) => related.file), [`${folder}/src/use.ts`]);
    const [bump] = engine.findingsFor(`${folder}/package.json`);
    assert.match(bump.message, /a minor bump \(to 0\.4\.0 or later, by the 0\.x rules\)/);
    assert.ok(engine.filesWithResults().includes(`${folder}/package.json`), "published like any file with findings");

    engine.updateDocument(index, files["src/index.ts"], 3);
    engine.checkContracts();
    assert.deepEqual(engine.findingsFor(index).filter((finding) => finding.ruleId.startsWith("contract-")), []);
    assert.deepEqual(engine.findingsFor(`${folder}/package.json`), []);
  });
});
