import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { checkFixSafety, type FixSafetyReport } from "../../server/src/engine/verify/fixSafety";
import { analyze, removeTempDirs } from "./helpers/workspace";

const repoRoot = path.resolve(__dirname, "..", "..", "..");
const fixture = path.join(repoRoot, "test", "fixtures", "fix-safety");
const demoService = path.join(repoRoot, "examples", "demo-service");

/** The fixes of issue 3's rules, and floating-promise's: the ones that claim to keep the program's meaning. */
const meaningPreserving = ["loose-equality", "no-var", "prefer-const", "console-call", "ts-ignore", "unused-import", "deprecated-usage", "floating-promise"];

/** Problems as one readable line each, so a failure says which fix broke what. */
const describeProblems = (report: FixSafetyReport) =>
  report.problems.map((problem) => `${problem.mode} ${problem.kind} ${problem.ruleId} ${path.relative(repoRoot, problem.file)}:${problem.range.start.line + 1}:${problem.range.start.character + 1} "${problem.fixTitle}": ${problem.detail}`);

describe("fix safety (every fix applied alone and all together)", function () {
  this.timeout(180_000);
  afterEach(removeTempDirs);

  describe("the fix-safety fixture workspace", () => {
    let report: FixSafetyReport;
    before(async () => {
      report = await checkFixSafety(fixture, { ruleIds: meaningPreserving });
    });

    it("offers fixes of every rule under test, many of each", () => {
      for (const rule of meaningPreserving) {
        const minimum = rule === "floating-promise" ? 1 : 5;
        assert.ok((report.byRule[rule]?.offered ?? 0) >= minimum, `${rule}: ${report.byRule[rule]?.offered ?? 0} fixes offered`);
      }
      assert.ok(report.fixesOffered >= 80, `${report.fixesOffered} fixes offered`);
      assert.equal(report.fixesCheckedAlone, report.fixesOffered);
      // All together: everything but the fixes that share a span with one already taken.
      assert.ok(report.fixesAppliedTogether >= report.fixableFindings - 5, `${report.fixesAppliedTogether} of ${report.fixableFindings} applied together`);
    });

    it("(a) no fix, alone or together, makes TypeScript report anything new", () => {
      assert.deepEqual(describeProblems(report).filter((line) => line.includes(" new-diagnostic ")), []);
      assert.equal(report.brokenBuilds, 0);
    });

    it("(b) no fixed spot offers the same fix again", () => {
      assert.deepEqual(describeProblems(report).filter((line) => line.includes(" offered-again ")), []);
    });

    it("(c) every fix leaves the text outside its edits byte-for-byte unchanged, with valid, non-empty edits", () => {
      assert.deepEqual(describeProblems(report).filter((line) => /outside-edit-changed|invalid-edit|no-change/.test(line)), []);
    });
  });

  describe("examples/demo-service", () => {
    it("passes all three checks for its meaning-preserving fixes", async () => {
      const report = await checkFixSafety(demoService, { ruleIds: meaningPreserving, aloneScope: "all" });
      assert.ok(report.fixesOffered >= 3, `${report.fixesOffered} fixes offered`);
      assert.deepEqual(describeProblems(report), []);
    });

    it("catches a fix that breaks the build: no-explicit-any's `unknown` (offered, never preferred, for that reason)", async () => {
      const report = await checkFixSafety(demoService, { ruleIds: ["no-explicit-any"] });
      assert.ok(report.brokenBuilds >= 1);
      const broken = report.problems.filter((problem) => problem.kind === "new-diagnostic" && problem.mode === "alone");
      assert.ok(broken.some((problem) => problem.file.endsWith("src/domain/order.ts") && /TS18046 'payload' is of type 'unknown'/.test(problem.detail)), describeProblems(report).join("\n"));
      assert.equal(report.byRule["no-explicit-any"].broken, broken.length);
    });
  });

  it("leaves the files on disk untouched and counts only preferred fixes when asked", async () => {
    const source = "declare function save(): Promise<void>;\nexport async function run() {\n  save();\n}\n";
    const { root } = await analyze({ "src/main.ts": source });
    const all = await checkFixSafety(root);
    const preferred = await checkFixSafety(root, { preferredOnly: true });
    assert.deepEqual([all.fixesOffered, preferred.fixesOffered], [2, 1]);
    assert.deepEqual(describeProblems(all), []);
    assert.equal(fs.readFileSync(path.join(root, "src/main.ts"), "utf8"), source);
  });
});
