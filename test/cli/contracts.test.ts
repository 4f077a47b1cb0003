import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";
import { UsageError } from "../../server/src/cli/args";
import { makeTempDir, removeTempDirs, writeFiles } from "../unit/helpers/workspace";
import { packageTsconfig, repoRoot, runContracts } from "./helpers";

/**
 * `selfheal contracts list|snapshot|diff`, called the way main() calls it (in process: the
 * command is wired into main by the lead), over small workspaces written to temp folders.
 */
const run = runContracts;
const tsconfig = packageTsconfig;

/** A package whose `exports` point at build output that does not exist yet: the contract follows the source through outDir → rootDir. */
function workspace(version = "1.2.0", extra: Record<string, string> = {}): string {
  const root = makeTempDir();
  writeFiles(root, {
    "packages/core/package.json": JSON.stringify({ name: "@acme/core", version, exports: { ".": { types: "./dist/index.d.ts", default: "./dist/index.js" } } }, null, 2),
    "packages/core/tsconfig.json": tsconfig,
    "packages/core/src/index.ts": "export interface Options {\n  strict?: boolean;\n}\nexport function parse(text: string, options?: Options): number {\n  return text.length;\n}\n",
    ...extra,
  });
  return root;
}

function edit(root: string, file: string, text: string): void {
  fs.writeFileSync(path.join(root, file), text);
}

describe("cli: selfheal contracts", function () {
  this.timeout(120_000);
  afterEach(removeTempDirs);

  it("lists declared contracts and package entry points, with where each was found", async () => {
    const root = workspace("1.2.0", { ".selfheal/policy.yaml": "version: 1\ncontracts:\n  - { name: user-schema, schema: schemas/user.schema.json }\n", "schemas/user.schema.json": '{ "type": "object" }\n' });
    const { code, stdout } = await run(["list"], root);
    assert.equal(code, 0);
    assert.equal(
      stdout,
      [
        "user-schema  schema schemas/user.schema.json  no baseline yet",
        'acme-core  api packages/core/src/index.ts  no baseline yet  (found: @acme/core exports["."].types)',
        "2 contracts",
        "",
      ].join("\n"),
    );
  });

  it("snapshots deterministically: a second snapshot of the same code leaves the file as it is", async () => {
    const root = workspace();
    const first = await run(["snapshot"], root);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout, "wrote .selfheal/contracts/acme-core.json (acme-core 1.2.0, 2 exports)\n");
    const written = fs.readFileSync(path.join(root, ".selfheal/contracts/acme-core.json"), "utf8");
    assert.ok(!written.includes(root), "no absolute path in the baseline");
    const again = await run(["snapshot", "acme-core"], root);
    assert.equal(again.stdout, "unchanged .selfheal/contracts/acme-core.json (acme-core 1.2.0, 2 exports)\n");
    assert.equal(fs.readFileSync(path.join(root, ".selfheal/contracts/acme-core.json"), "utf8"), written);
  });

  it("diff: no drift exits 0; a breaking change exits 1 with file:line:col, kind, proof, symbol and the version bump it needs", async () => {
    const root = workspace();
    await run(["snapshot"], root);
    const clean = await run(["diff"], root);
    assert.equal(clean.code, 0);
    assert.equal(clean.stdout, "contract acme-core (packages/core/src/index.ts; baseline 1.2.0, now 1.2.0): no drift\n1 contract compared: 0 breaking, 0 additive, 0 internal\n");

    edit(root, "packages/core/src/index.ts", "export interface Options {\n  strict?: boolean;\n}\nexport function parse(text: string, options: Options): number {\n  return text.length;\n}\n");
    const broken = await run(["diff"], root);
    assert.equal(broken.code, 1);
    assert.equal(
      broken.stdout,
      [
        "contract acme-core (packages/core/src/index.ts; baseline 1.2.0, now 1.2.0)",
        "  packages/core/src/index.ts:4:37 breaking parameter-made-required (proven) parse: 'parse': the parameter 'options' is now required: calls that omit it no longer compile",
        "  packages/core/package.json:3:3 contract-version-bump: the drift requires a major bump (to 2.0.0 or later), but the version is still 1.2.0",
        "1 contract compared: 1 breaking, 0 additive, 0 internal; 1 version bump missing",
        "",
      ].join("\n"),
    );
    assert.equal((await run(["diff", "--fail-on", "never"], root)).code, 0);
  });

  it("diff --fail-on: an additive change passes the default gate and fails --fail-on additive", async () => {
    const root = workspace();
    await run(["snapshot"], root);
    edit(root, "packages/core/src/index.ts", "export interface Options {\n  strict?: boolean;\n}\nexport function parse(text: string, options?: Options): number {\n  return text.length;\n}\nexport const version = 2;\n");
    assert.equal((await run(["diff"], root)).code, 0);
    const strict = await run(["diff", "--fail-on", "additive"], root);
    assert.equal(strict.code, 1);
    assert.match(strict.stdout, /packages\/core\/src\/index\.ts:7:14 additive export-added \(proven\) version: 'version' is newly exported\n/);
    assert.match(strict.stdout, /contract-version-bump: the drift requires a minor bump \(to 1\.3\.0 or later\), but the version is still 1\.2\.0/);
  });

  it("diff: a bump that covers the drift is reported as such; 0.x versions follow the 0.x rules", async () => {
    const root = workspace("0.3.1");
    await run(["snapshot"], root);
    edit(root, "packages/core/src/index.ts", "export function parse(text: string): number {\n  return text.length;\n}\n");
    const json = JSON.parse((await run(["diff", "--format", "json"], root)).stdout) as { contracts: Array<{ requiredBump: string; versionCheck: { ok: boolean; message: string } }> };
    assert.equal(json.contracts[0].requiredBump, "minor", "0.x: breaking → minor");
    assert.equal(json.contracts[0].versionCheck.ok, false);
    edit(root, "packages/core/package.json", JSON.stringify({ name: "@acme/core", version: "0.4.0", exports: { ".": { types: "./dist/index.d.ts" } } }));
    const bumped = JSON.parse((await run(["diff", "--format", "json"], root)).stdout) as typeof json;
    assert.deepEqual(bumped.contracts[0].versionCheck, { ok: true, required: "minor", actual: "minor", message: "a minor bump is required and 0.3.1 → 0.4.0 is one", file: "packages/core/package.json", line: 1 });
  });

  it("diff --format json: each change has contract, symbol, kind, classification, proof, file, line, message", async () => {
    const root = workspace();
    await run(["snapshot"], root);
    edit(root, "packages/core/src/index.ts", "export interface Options {\n  strict?: boolean;\n}\n");
    const { code, stdout } = await run(["diff", "--format", "json"], root);
    assert.equal(code, 1);
    const report = JSON.parse(stdout) as { changes: unknown[]; summary: Record<string, number> };
    // A removal points at the removed entry in the baseline file.
    const baselineLines = fs.readFileSync(path.join(root, ".selfheal/contracts/acme-core.json"), "utf8").split("\n");
    const parseLine = baselineLines.findIndex((line) => line === '      "parse": {') + 1;
    assert.ok(parseLine > 0);
    assert.deepEqual(report.changes, [
      {
        contract: "acme-core",
        symbol: "parse",
        kind: "export-removed",
        classification: "breaking",
        proof: "proven",
        file: ".selfheal/contracts/acme-core.json",
        line: parseLine,
        column: 7,
        message: "'parse' is no longer exported: code that imports it fails to compile",
      },
    ]);
    assert.deepEqual(report.summary, { breaking: 1, additive: 0, internal: 0, versionBumpsMissing: 1, problems: 0 });
  });

  it("diff --format sarif is valid SARIF 2.1.0 with a rule per change kind", async () => {
    const root = workspace();
    await run(["snapshot"], root);
    edit(root, "packages/core/src/index.ts", "export interface Options {\n  strict?: boolean;\n}\nexport function parse(text: string | Uint8Array, options?: Options): number {\n  return text.length;\n}\n");
    const { stdout } = await run(["diff", "--format", "sarif", "--fail-on", "never"], root);
    const log = JSON.parse(stdout) as { runs: Array<{ tool: { driver: { rules: Array<{ id: string }> } }; results: Array<{ ruleId: string; ruleIndex: number; level: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }> }> }> };
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(fs.readFileSync(path.join(repoRoot, "node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"), "utf8")));
    assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
    const [runLog] = log.runs;
    const results = runLog.results.map((result) => [result.ruleId, result.level, result.locations[0].physicalLocation.artifactLocation.uri, result.locations[0].physicalLocation.region.startLine, runLog.tool.driver.rules[result.ruleIndex].id]);
    assert.deepEqual(results, [["parameter-type-widened", "note", "packages/core/src/index.ts", 4, "parameter-type-widened"], ["contract-version-bump", "error", "packages/core/package.json", 3, "contract-version-bump"]]);
  });

  it("fails closed: a declared contract without a baseline, or with a baseline edited by hand, exits 1 and says which", async () => {
    const root = workspace("1.0.0", { ".selfheal/policy.yaml": "version: 1\ncontracts:\n  - { name: public-api, entry: packages/core/src/index.ts }\n" });
    const missing = await run(["diff"], root);
    assert.equal(missing.code, 1);
    assert.match(missing.stdout, /^contract public-api \(packages\/core\/src\/index\.ts\): contract-baseline-missing: no baseline at \.selfheal\/contracts\/public-api\.json: take one with `selfheal contracts snapshot public-api`$/m);
    await run(["snapshot", "public-api"], root);
    const baselineFile = path.join(root, ".selfheal/contracts/public-api.json");
    fs.writeFileSync(baselineFile, fs.readFileSync(baselineFile, "utf8").replace('"returns": "number"', '"returns": "string"'));
    const edited = await run(["diff"], root);
    assert.equal(edited.code, 1);
    assert.match(edited.stdout, /contract-baseline-invalid: \.selfheal\/contracts\/public-api\.json:\d+: 'hash' does not match 'api': the file was edited by hand/);
    fs.writeFileSync(baselineFile, "{ not json");
    assert.match((await run(["diff"], root)).stdout, /contract-baseline-invalid: \.selfheal\/contracts\/public-api\.json:1:7: ',' expected\. \(the baseline is not valid JSON\)/);
  });

  it("refuses to judge contracts under a broken policy", async () => {
    const root = workspace("1.0.0", { ".selfheal/policy.yaml": "version: 1\ncontracts:\n  - { name: Public API, entry: packages/core/src/index.ts }\n" });
    const { code, stderr } = await run(["diff"], root);
    assert.equal(code, 1);
    assert.match(stderr, /^\.selfheal\/policy\.yaml:3:\d+: error policy-invalid-value: /m);
    assert.match(stderr, /selfheal: \.selfheal\/policy\.yaml is broken: the contracts under \. cannot be known and are not judged; fix it first/);
  });

  it("still judges the contracts outside a broken policy's folder, and fails closed", async () => {
    const root = workspace("1.0.0", { "vendor/.selfheal/policy.yaml": "version: 1\nrules: { no-such-rule: error }\n", "vendor/lib/package.json": JSON.stringify({ name: "vendored", types: "./index.d.ts" }), "vendor/lib/index.d.ts": "export declare const x: number;\n" });
    const listed = await run(["list"], root);
    assert.equal(listed.code, 1);
    assert.equal(listed.stdout, 'acme-core  api packages/core/src/index.ts  no baseline yet  (found: @acme/core exports["."].types)\n1 contract\n');
    assert.match(listed.stderr, /vendor\/\.selfheal\/policy\.yaml is broken: the contracts under vendor cannot be known/);
    await run(["snapshot"], root);
    const diff = await run(["diff"], root);
    assert.equal(diff.code, 1, "fails closed");
    assert.match(diff.stdout, /contract acme-core \(packages\/core\/src\/index\.ts; baseline 1\.0\.0, now 1\.0\.0\): no drift/);
  });

  it("reports a type drifting from the schema its @contract tag names", async () => {
    const root = workspace("1.0.0", {
      "packages/core/src/user.ts": "/** @contract ../../../schemas/user.schema.json */\nexport interface User {\n  id: string;\n  age: string;\n}\n",
      "schemas/user.schema.json": JSON.stringify({ type: "object", properties: { id: { type: "string" }, age: { type: "integer" } }, required: ["id", "age"] }, null, 2),
    });
    await run(["snapshot"], root);
    const { code, stdout } = await run(["diff"], root);
    assert.equal(code, 1);
    assert.match(stdout, /@contract mirrors\n {2}packages\/core\/src\/user\.ts:4:3 breaking mirror-type-mismatch \(proven\) User\.age: 'User\.age' does not match its schema: the type allows string, the schema integer/);
  });

  it("checks a policy's mirrors: entry against its schema, with or without a baseline of the schema", async () => {
    const root = workspace("1.0.0", {
      ".selfheal/policy.yaml": 'version: 1\ncontracts:\n  - { name: user-schema, schema: schemas/user.schema.json, mirrors: [{ type: "packages/core/src/user.ts#User", schema: schemas/user.schema.json }] }\n',
      "packages/core/src/user.ts": "export interface User {\n  id: string;\n}\n",
      "schemas/user.schema.json": JSON.stringify({ type: "object", properties: { id: { type: "string" }, email: { type: "string" } }, required: ["id"] }, null, 2),
    });
    const before = await run(["diff"], root);
    assert.equal(before.code, 1);
    assert.match(before.stdout, /contract user-schema \(schemas\/user\.schema\.json\): contract-baseline-missing: .*\n {2}packages\/core\/src\/user\.ts:1:18 breaking mirror-field-missing \(proven\) User\.email: the schema user\.schema\.json has the property 'email' but the type User does not\n/);
    await run(["snapshot", "user-schema"], root);
    const after = await run(["diff", "--format", "json"], root);
    const report = JSON.parse(after.stdout) as { contracts: Array<{ name: string; status: string; changes: Array<{ kind: string; symbol: string }> }> };
    const schema = report.contracts.find((contract) => contract.name === "user-schema")!;
    assert.equal(schema.status, "compared");
    assert.deepEqual(schema.changes.map(({ kind, symbol }) => ({ kind, symbol })), [{ kind: "mirror-field-missing", symbol: "User.email" }]);
  });

  it("says so when a declared entry module does not exist", async () => {
    const root = workspace("1.0.0", { ".selfheal/policy.yaml": "version: 1\ncontracts:\n  - { name: gone, entry: packages/core/src/gone.ts }\n" });
    const { code, stderr } = await run(["snapshot", "gone"], root);
    assert.equal(code, 1);
    assert.equal(stderr, "selfheal: contract-entry-missing: packages/core/src/gone.ts, the entry of 'gone', does not exist\n");
  });

  it("usage errors: unknown subcommand, unknown contract name (with did-you-mean), bad --fail-on", async () => {
    const root = workspace();
    await assert.rejects(run(["snap"], root), (error: unknown) => error instanceof UsageError && /unknown contracts subcommand 'snap'; did you mean 'snapshot'\?/.test(error.message));
    await assert.rejects(run(["snapshot", "acme-cor"], root), (error: unknown) => error instanceof UsageError && /no contract named 'acme-cor'; did you mean 'acme-core'\?/.test(error.message));
    await assert.rejects(run(["diff", "--fail-on", "error"], root), (error: unknown) => error instanceof UsageError && /--fail-on must be one of: breaking, additive, never/.test(error.message));
  });
});
