import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { ledgerCommand } from "../../server/src/cli/ledgerCommand";
import { readLedger } from "../../server/src/engine/ledger/verify";
import { makeTempDir, removeTempDirs, writeFiles } from "../unit/helpers/workspace";
import { packageTsconfig, runContracts } from "./helpers";

/**
 * `selfheal contracts accept NAME`: the drift becomes the new baseline at the version it needs,
 * with a migration note, through the pipeline (policy, verification) and recorded in the ledger
 * as a `contract-accept` entry that rolls back to the old baseline, version and notes.
 */
const run = runContracts;
const tsconfig = packageTsconfig;
const original = "export interface Options {\n  strict?: boolean;\n}\nexport function parse(text: string, options?: Options): number {\n  return text.length;\n}\n";
const broken = "export interface Options {\n  strict?: boolean;\n}\nexport function parse(text: string, options: Options): number {\n  return text.length;\n}\nexport const version = 2;\n";

function workspace(policy = "version: 1\n"): string {
  const root = makeTempDir();
  writeFiles(root, {
    ".selfheal/policy.yaml": policy,
    "packages/core/package.json": JSON.stringify({ name: "@acme/core", version: "1.2.0", exports: { ".": { types: "./dist/index.d.ts", default: "./dist/index.js" } } }, null, 2) + "\n",
    "packages/core/tsconfig.json": tsconfig,
    "packages/core/src/index.ts": original,
  });
  return root;
}

const read = (root: string, file: string) => fs.readFileSync(path.join(root, file), "utf8");
const baselineFile = ".selfheal/contracts/acme-core.json";
const notesFile = ".selfheal/contracts/acme-core.migrations.md";

describe("cli: selfheal contracts accept", function () {
  this.timeout(120_000);
  afterEach(removeTempDirs);

  it("needs review by default: prints both patches and changes nothing without --yes", async () => {
    const root = workspace();
    assert.equal((await run(["snapshot"], root)).code, 0);
    const baseline = read(root, baselineFile);
    fs.writeFileSync(path.join(root, "packages/core/src/index.ts"), broken);
    const result = await run(["accept", "acme-core"], root);
    assert.equal(result.code, 1, result.stdout);
    assert.match(result.stdout, /^plan [0-9a-f]{12}: Accept as contract v2\.0\.0 \(acme-core\)$/m);
    assert.match(result.stdout, /pipeline-needs-review/);
    assert.match(result.stdout, /\+\+\+ b\/\.selfheal\/contracts\/acme-core\.migrations\.md/);
    assert.match(result.stdout, /-  "version": "1\.2\.0",\n\+  "version": "2\.0\.0",/);
    assert.equal(read(root, baselineFile), baseline);
    assert.ok(!fs.existsSync(path.join(root, notesFile)));
  });

  it("--yes: new baseline at 2.0.0, package.json bumped, migration note written, recorded as contract-accept; diff is clean; rollback restores all three", async () => {
    const root = workspace();
    await run(["snapshot"], root);
    const baselineBefore = read(root, baselineFile);
    const manifestBefore = read(root, "packages/core/package.json");
    fs.writeFileSync(path.join(root, "packages/core/src/index.ts"), broken);
    const result = await run(["accept", "acme-core", "--yes"], root);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /pipeline-applied: applied \.selfheal\/contracts\/acme-core\.json, \.selfheal\/contracts\/acme-core\.migrations\.md, packages\/core\/package\.json/);
    assert.equal(JSON.parse(read(root, "packages/core/package.json")).version, "2.0.0");
    assert.equal(JSON.parse(read(root, baselineFile)).version, "2.0.0");
    const notes = read(root, notesFile);
    assert.match(notes, /^# Migration notes: contract `acme-core`\n/);
    assert.match(notes, /^## 2\.0\.0 \(from 1\.2\.0\)$/m);
    assert.match(notes, /^1 breaking change, 1 additive change\.$/m);
    assert.match(notes, /^- 'parse': the parameter 'options' is now required: .*\(parameter-made-required, proven\)\n  - What to do: pass the argument at every call that left it out\.$/m);
    assert.match(notes, /^- 'version' is newly exported \(export-added\)$/m);

    const diff = await run(["diff"], root);
    assert.equal(diff.code, 0, diff.stdout);

    const { entries } = await readLedger(path.join(root, ".selfheal/ledger.jsonl"));
    assert.equal(entries.length, 1);
    const entry = entries[0].predicate;
    assert.equal(entry.kind, "contract-accept");
    assert.equal(entry.contract, "acme-core");
    assert.equal(entry.rule, "contract-breaking");
    assert.match(entry.rationale, /^Accepts the drift of contract 'acme-core' as 2\.0\.0 \(from 1\.2\.0, a major bump/);
    assert.deepEqual(entry.files.map((file) => [file.path, file.sha256Before === null]), [
      [".selfheal/contracts/acme-core.json", false],
      [".selfheal/contracts/acme-core.migrations.md", true],
      ["packages/core/package.json", false],
    ]);

    let out = "";
    const code = await ledgerCommand(["rollback", entry.id, root], { stdout: (text) => (out += text), stderr: (text) => (out += text), isTty: false, version: "9.9.9" });
    assert.equal(code, 0, out);
    assert.equal(read(root, baselineFile), baselineBefore);
    assert.equal(read(root, "packages/core/package.json"), manifestBefore);
    assert.ok(!fs.existsSync(path.join(root, notesFile)), "the notes file the accept created is gone again");
  });

  it("appends to existing notes, and keeps the package's version when it already has the bump", async () => {
    const root = workspace();
    await run(["snapshot"], root);
    writeFiles(root, { [notesFile]: "# Our notes\n\nhand-written\n" });
    fs.writeFileSync(path.join(root, "packages/core/src/index.ts"), original + "export const version = 2;\n");
    const manifest = read(root, "packages/core/package.json").replace('"1.2.0"', '"1.3.0"');
    fs.writeFileSync(path.join(root, "packages/core/package.json"), manifest);
    const result = await run(["accept", "acme-core", "--yes"], root);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /Accept as contract v1\.3\.0 \(acme-core\)/);
    assert.equal(read(root, "packages/core/package.json"), manifest, "package.json is left alone");
    assert.match(read(root, notesFile), /^# Our notes\n\nhand-written\n\n## 1\.3\.0 \(from 1\.2\.0\)\n\n0 breaking changes, 1 additive change\.\n/);
  });

  it("accepts a schema contract's drift the same way: its baseline and notes (no package.json to bump)", async () => {
    const root = workspace("version: 1\ncontracts:\n  - { name: user-schema, schema: schemas/user.schema.json }\n");
    writeFiles(root, { "schemas/user.schema.json": JSON.stringify({ type: "object", properties: { id: { type: "string" }, age: { type: "integer" } }, required: ["id"] }, null, 2) + "\n" });
    assert.equal((await run(["snapshot", "user-schema"], root)).code, 0);
    writeFiles(root, { "schemas/user.schema.json": JSON.stringify({ type: "object", properties: { id: { type: "string" } }, required: ["id"] }, null, 2) + "\n" });
    const result = await run(["accept", "user-schema", "--yes"], root);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /pipeline-applied: applied \.selfheal\/contracts\/user-schema\.json, \.selfheal\/contracts\/user-schema\.migrations\.md;/);
    assert.match(read(root, ".selfheal/contracts/user-schema.migrations.md"), /\(schema-property-removed, heuristic\)\n  - What to do: stop reading the property; stop sending it if additional properties are not allowed\.\n/);
    assert.equal((await run(["diff"], root)).code, 0);
  });

  it("refuses a half-typed source and a broken policy, saying where, and writes nothing", async () => {
    const root = workspace();
    await run(["snapshot"], root);
    const baseline = read(root, baselineFile);
    fs.writeFileSync(path.join(root, "packages/core/src/index.ts"), "export function parse(text: string, options: Options\n");
    const halfTyped = await run(["accept", "acme-core", "--yes"], root);
    assert.equal(halfTyped.code, 1);
    assert.match(halfTyped.stderr, /selfheal: plan-source-unparsable: contract 'acme-core' cannot be accepted while its sources do not parse \(packages\/core\/src\/index\.ts:2:1: /);
    fs.writeFileSync(path.join(root, "packages/core/src/index.ts"), broken);
    writeFiles(root, { ".selfheal/policy.yaml": "version: 1\nrules: [oops\n" });
    const brokenPolicy = await run(["accept", "acme-core", "--yes"], root);
    assert.equal(brokenPolicy.code, 1);
    assert.match(brokenPolicy.stderr, /^\.selfheal\/policy\.yaml:\d+:\d+: error /m);
    assert.match(brokenPolicy.stderr, /selfheal: plan-policy-broken: \.selfheal\/policy\.yaml cannot be read/);
    assert.equal(read(root, baselineFile), baseline, "nothing was written");
    assert.ok(!fs.existsSync(path.join(root, notesFile)));
  });

  it("fails closed: denied by a protected path, refused with no drift, and an unknown name is a usage error", async () => {
    const root = workspace("version: 1\nprotected:\n  - paths: [\".selfheal/contracts/**\"]\n    autofix: deny\n    reason: baselines change by hand\n");
    await run(["snapshot"], root);
    const clean = await run(["accept", "acme-core", "--yes"], root);
    assert.equal(clean.code, 1);
    assert.match(clean.stderr, /selfheal: plan-no-change: contract 'acme-core' has no drift to accept any more/);
    fs.writeFileSync(path.join(root, "packages/core/src/index.ts"), broken);
    const denied = await run(["accept", "acme-core", "--yes"], root);
    assert.equal(denied.code, 1);
    assert.match(denied.stderr, /pipeline-denied: denied by policy: .*protected by "\.selfheal\/contracts\/\*\*": baselines change by hand/);
    await assert.rejects(run(["accept", "nope"], root), /no contract is named 'nope' in this folder \(it has acme-core\)/);
  });
});
