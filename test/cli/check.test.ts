import * as assert from "node:assert/strict";
import * as path from "node:path";
import { removeTempDirs, writeFiles } from "../unit/helpers/workspace";
import { copyFixture, demoService, runCli } from "./helpers";

/** The demo service's findings, one per line, as `rule file line:column-endLine:endColumn severity fixable`. */
const demoFindings = [
  "no-explicit-any src/domain/order.ts 22:43-22:46 warning fixable",
  "floating-promise src/http/routes.ts 17:3-17:30 error fixable",
  "no-explicit-any src/infra/database.ts 14:59-14:62 warning fixable",
  // legacyImporter.ts holds one finding of every remaining rule.
  "unused-import src/infra/legacyImporter.ts 2:43-2:54 warning fixable",
  "no-var src/infra/legacyImporter.ts 11:3-11:6 warning fixable",
  "loose-equality src/infra/legacyImporter.ts 15:12-15:14 warning fixable",
  "prefer-const src/infra/legacyImporter.ts 19:5-19:8 warning fixable",
  "non-null-assertion src/infra/legacyImporter.ts 20:24-20:48 warning -",
  "complexity src/infra/legacyImporter.ts 26:17-26:28 warning -",
  // Its replacement is not imported there, but its module exports it: the fix migrates the import.
  "deprecated-usage src/infra/legacyImporter.ts 40:28-40:39 warning fixable",
  "empty-catch src/infra/legacyImporter.ts 41:5-41:13 warning -",
  "ts-ignore src/infra/legacyImporter.ts 42:6-42:16 warning fixable",
  "import-cycle src/services/notifications.ts 2:30-2:46 warning -",
  "import-cycle src/services/orderService.ts 3:34-3:51 warning -",
  "floating-promise src/services/orderService.ts 12:3-12:57 error fixable",
  "floating-promise src/services/orderService.ts 13:3-13:26 error fixable",
  // In an arrow's expression body, not a statement of its own: reported, but removing it is no mechanical fix.
  "console-call src/services/orderService.ts 21:46-21:59 warning -",
];

interface JsonFinding {
  rule: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: string;
  message: string;
  fixable: boolean;
}

describe("cli: selfheal check", function () {
  this.timeout(120_000);
  afterEach(removeTempDirs);

  describe("--format json", () => {
    // One run of the demo serves the assertions below: each spawn costs a second.
    let root: string;
    let run: ReturnType<typeof runCli>;
    before(() => {
      root = copyFixture(demoService);
      run = runCli(["check", root, "--format", "json", "--fail-on", "never"]);
    });

    it("prints exactly the documented shape: root, findings (1-based, relative, forward slashes) and summary", () => {
      assert.equal(run.status, 0, run.stderr);
      const report = JSON.parse(run.stdout);
      assert.deepEqual(Object.keys(report), ["root", "findings", "summary"]);
      assert.equal(report.root, root.replace(/\\/g, "/"));
      for (const finding of report.findings) {
        assert.deepEqual(Object.keys(finding), ["rule", "file", "line", "column", "endLine", "endColumn", "severity", "message", "fixable"]);
        assert.ok(!finding.file.includes("\\") && !path.isAbsolute(finding.file), finding.file);
      }
      const lines = report.findings.map((f: JsonFinding) => `${f.rule} ${f.file} ${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${f.severity} ${f.fixable ? "fixable" : "-"}`);
      assert.deepEqual(lines, demoFindings);
      assert.deepEqual(Object.keys(report.summary), ["filesAnalyzed", "linesAnalyzed", "errors", "warnings", "infos", "hints", "fixable", "debtIndex", "durationMs"]);
      const { durationMs, ...summary } = report.summary;
      // (3 errors × 10 + 14 warnings × 3) per 158 lines, per thousand.
      assert.deepEqual(summary, { filesAnalyzed: 8, linesAnalyzed: 158, errors: 3, warnings: 14, infos: 0, hints: 0, fixable: 11, debtIndex: 455.7 });
      assert.ok(Number.isInteger(durationMs) && durationMs >= 0);
    });

    it("prints each rule's message, with the import cycle's loop spelled out", () => {
      const findings: JsonFinding[] = JSON.parse(run.stdout).findings;
      const cycle = findings.find((finding) => finding.rule === "import-cycle");
      assert.equal(cycle?.message, "Import cycle: ./notifications.ts → ./orderService.ts → ./notifications.ts. Modules in a cycle can observe each other half-initialized.");
      const floating = findings.find((finding) => finding.rule === "floating-promise");
      assert.equal(floating?.message, "This promise is neither awaited, returned nor handled; a rejection would go unnoticed.");
    });

    it("keeps stderr quiet without --verbose", () => {
      assert.equal(run.stderr, "");
    });

    it("prints an empty findings array and zero counts for a clean workspace", () => {
      const { status, stdout } = runCli(["check", copyFixture("clean"), "--format", "json"]);
      assert.equal(status, 0);
      const report = JSON.parse(stdout);
      assert.deepEqual(report.findings, []);
      assert.equal(report.summary.filesAnalyzed, 1);
      assert.equal(report.summary.debtIndex, 0);
    });
  });

  describe("--format text", () => {
    it("groups findings by file, tallies by rule and prints the totals, without colour when not on a TTY", () => {
      const { status, stdout } = runCli(["check", copyFixture(demoService)]);
      assert.equal(status, 1);
      assert.doesNotMatch(stdout, /\u001b\[/);
      const lines = stdout.split("\n");
      assert.equal(lines[0], "src/domain/order.ts");
      assert.equal(lines[1], "  22:43    warning  Unexpected `any`. Specify a precise type, or `unknown` if the value really can be anything.  no-explicit-any (fixable)");
      assert.ok(lines.includes("src/services/orderService.ts"));
      assert.ok(lines.some((line) => line.startsWith("  3:34     warning  Import cycle: ./orderService.ts → ./notifications.ts → ./orderService.ts.") && line.endsWith("  import-cycle")));
      assert.ok(stdout.includes("By rule:\n      3  floating-promise\n      2  import-cycle\n      2  no-explicit-any\n      1  complexity\n      1  console-call\n"));
      assert.ok(lines.includes("✖ 17 findings (3 errors, 14 warnings), 11 fixable"));
      assert.match(stdout, /\n8 files, 158 lines analyzed in \d+\.\d\d s; debt index 455\.7 per 1,000 lines\n$/);
    });

    it("says so when there is nothing to report", () => {
      const { status, stdout } = runCli(["check", copyFixture("clean")]);
      assert.equal(status, 0);
      assert.match(stdout, /^✔ no findings\n1 file, \d+ lines analyzed/);
    });

    it("is the default format and checks the current folder when none is given", () => {
      const root = copyFixture("warnings-only");
      const { status, stdout } = runCli(["check"], { cwd: root });
      assert.equal(status, 0);
      assert.match(stdout, /^src\/loose\.ts\n {2}2:32 {5}warning/);
    });
  });

  describe("exit codes and --fail-on", () => {
    it("exits 1 when there is an error finding (default --fail-on error)", () => {
      assert.equal(runCli(["check", copyFixture(demoService), "--format", "json"]).status, 1);
    });

    it("exits 0 for warnings only by default, and 1 with --fail-on warning", () => {
      const root = copyFixture("warnings-only");
      assert.equal(runCli(["check", root]).status, 0);
      assert.equal(runCli(["check", root, "--fail-on", "warning"]).status, 1);
      assert.equal(runCli(["check", root, "--fail-on=warning"]).status, 1);
    });

    it("exits 0 with --fail-on never, whatever it finds", () => {
      assert.equal(runCli(["check", copyFixture(demoService), "--fail-on", "never"]).status, 0);
    });

    it("exits 0 on a clean workspace even with --fail-on warning", () => {
      assert.equal(runCli(["check", copyFixture("clean"), "--fail-on", "warning"]).status, 0);
    });
  });

  describe("other options", () => {
    it("--no-type-aware drops the type-aware findings", () => {
      const { stdout } = runCli(["check", copyFixture(demoService), "--format", "json", "--no-type-aware", "--fail-on", "never"]);
      const rules = new Set(JSON.parse(stdout).findings.map((finding: JsonFinding) => finding.rule));
      assert.deepEqual([...rules].sort(), ["complexity", "empty-catch", "import-cycle", "no-explicit-any", "non-null-assertion"]);
    });

    it("--max-file-size-kb skips larger files and says so on stderr, keeping stdout clean JSON", () => {
      const root = copyFixture("warnings-only");
      writeFiles(root, { "src/big.ts": "export let big: any;\n" + "// padding\n".repeat(300) });
      const { stdout, stderr } = runCli(["check", root, "--format", "json", "--max-file-size-kb", "2"]);
      assert.deepEqual(JSON.parse(stdout).findings.map((finding: JsonFinding) => finding.file), ["src/loose.ts"]);
      assert.match(stderr, /^warning: skipped .*\/src\/big\.ts: 3 KiB is over selfheal\.maxFileSizeKB \(2 KiB\)$/m);
    });

    it("--verbose reports discovery on stderr", () => {
      const { stderr } = runCli(["check", copyFixture("clean"), "--verbose"]);
      assert.match(stderr, /^info: discovered 1 config\(s\) and 1 source file\(s\) in /m);
    });
  });
});
