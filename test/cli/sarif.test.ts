import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";
import { allRules } from "../../server/src/engine/rules";
import { removeTempDirs, writeFiles } from "../unit/helpers/workspace";
import { copyFixture, demoService, repoRoot, runCli } from "./helpers";

// The OASIS SARIF 2.1.0 schema as shipped by @microsoft/jest-sarif. It is draft-04, hence ajv-draft-04.
const schemaPath = path.join(repoRoot, "node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json");

function validator() {
  // The schema's `language` pattern has a stray `]` that is only legal without the `u` flag.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv); // The schema uses uri, uri-reference and date-time.
  return ajv.compile(JSON.parse(fs.readFileSync(schemaPath, "utf8")));
}

interface SarifRun {
  tool: { driver: { name: string; version: string; rules: Array<{ id: string; defaultConfiguration: { level: string } }> } };
  originalUriBaseIds: Record<string, { uri: string }>;
  results: Array<{
    ruleId: string;
    ruleIndex: number;
    level: string;
    message: { text: string };
    locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: { startLine: number; startColumn: number; endLine: number; endColumn: number } } }>;
  }>;
}

function sarifOf(root: string): SarifRun {
  const { status, stdout, stderr } = runCli(["check", root, "--format", "sarif", "--fail-on", "never"]);
  assert.equal(status, 0, stderr);
  const log = JSON.parse(stdout) as { version: string; runs: SarifRun[] };
  const validate = validator();
  assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
  assert.equal(log.version, "2.1.0");
  assert.equal(log.runs.length, 1);
  return log.runs[0];
}

/** Where a result points on disk, resolved the way a SARIF viewer does: uri against its base id. */
function fileOf(run: SarifRun, result: SarifRun["results"][number]): string {
  const location = result.locations[0].physicalLocation.artifactLocation;
  return fileURLToPath(new URL(location.uri, run.originalUriBaseIds[location.uriBaseId].uri));
}

describe("cli: --format sarif", function () {
  this.timeout(120_000);
  afterEach(removeTempDirs);

  it("is valid SARIF 2.1.0 and carries each finding's rule, level, region and relative artifact", () => {
    const root = copyFixture(demoService);
    const run = sarifOf(root);
    assert.equal(run.tool.driver.name, "selfheal");
    const driverRules = run.tool.driver.rules.map((rule) => [rule.id, rule.defaultConfiguration.level]);
    assert.deepEqual(driverRules.slice(0, 4), [
      ["no-explicit-any", "warning"],
      ["floating-promise", "error"],
      ["import-cycle", "warning"],
      ["empty-catch", "warning"],
    ]);
    // Every rule the engine knows is described, in its order, whether or not it found anything.
    assert.deepEqual(driverRules.map(([id]) => id), allRules.map((rule) => rule.meta.id));
    assert.equal(run.results.length, 17, "one result per finding of the demo service (see check.test.ts)");
    const routes = run.results.find((result) => result.locations[0].physicalLocation.artifactLocation.uri === "src/http/routes.ts");
    assert.ok(routes);
    assert.equal(routes.ruleId, "floating-promise");
    assert.equal(run.tool.driver.rules[routes.ruleIndex].id, "floating-promise");
    assert.equal(routes.level, "error");
    assert.deepEqual(routes.locations[0].physicalLocation.region, { startLine: 17, startColumn: 3, endLine: 17, endColumn: 30 });
    assert.equal(routes.locations[0].physicalLocation.artifactLocation.uriBaseId, "SRCROOT");
    for (const result of run.results) {
      assert.equal(fs.realpathSync(fileOf(run, result)), fs.realpathSync(path.join(root, result.locations[0].physicalLocation.artifactLocation.uri)));
    }
    assert.deepEqual([...new Set(run.results.map((result) => result.level))].sort(), ["error", "warning"]);
  });

  it("is checked by a validator that does reject broken logs", () => {
    // Guards the other tests: a schema that failed to load would accept anything.
    const { stdout } = runCli(["check", copyFixture(demoService), "--format", "sarif", "--fail-on", "never"]);
    const log = JSON.parse(stdout);
    log.runs[0].results[0].level = "fatal";
    delete log.runs[0].results[1].message;
    const validate = validator();
    assert.equal(validate(log), false);
    assert.deepEqual(validate.errors?.map((error) => error.instancePath).sort(), ["/runs/0/results/0/level", "/runs/0/results/1"]);
  });

  it("is valid with no results", () => {
    assert.deepEqual(sarifOf(copyFixture("clean")).results, []);
  });

  it("encodes paths so that spaces, `#`, `?` and `%` in folder and file names resolve to the right file", function () {
    if (process.platform === "win32") this.skip(); // `?` is not allowed in Windows file names.
    const root = path.join(copyFixture("warnings-only"), "..", "my project #1");
    fs.renameSync(path.join(root, "..", "warnings-only"), root);
    writeFiles(root, { "src/odd #name?v=1%.ts": "export let odd: any;\n" });
    const run = sarifOf(root);
    const files = run.results.map((result) => fileOf(run, result)).sort();
    assert.deepEqual(files, [path.join(root, "src/loose.ts"), path.join(root, "src/odd #name?v=1%.ts")].sort());
  });
});
