/** `selfheal policy test [PATH]`: runs `.selfheal/policy.test.yaml` next to each policy under PATH. */
import * as fs from "node:fs";
import * as path from "node:path";
import { policyFileName } from "../../engine/policy/host";
import { describeMismatch, parsePolicyTests, policyTestFileName, runPolicyTests, type PolicyTestProblem, type PolicyTestResult, type PolicyTestSuite, subjectOf } from "../../engine/policy/policyTests";
import type { PolicySet } from "../../engine/policy/policySet";
import { oneOf, parseArgs, UsageError } from "../args";
import type { CliIo } from "../check";
import { ExitCode } from "../exitCodes";
import { discoverPolicyFiles, displayFile, displayOrigin, hostOn, jsonOrigin, loadPolicySet, plural, resolveTarget } from "./policyWorkspace";

/** One test file's outcome: a problem in it, a broken policy, or its cases' results. */
interface SuiteRun {
  suite: PolicyTestSuite;
  policyFile: string;
  /** The policy next to the test file could not be read: its cases were not run (they would all see "deny"). */
  brokenPolicy?: { file: string; line: number; character: number; message: string };
  results: PolicyTestResult[];
}

export function testPolicies(argv: string[], io: CliIo, cwd: string): number {
  const args = parseArgs(argv, ["format"], []);
  const format = oneOf("format", args.flags.get("format"), ["text", "json"] as const, "text");
  if (args.positionals.length > 1) throw new UsageError("policy test takes one folder or policy file");
  const target = resolveTarget(args.positionals[0], cwd, "folder-or-file");
  const policyFiles = target.kind === "folder" ? discoverPolicyFiles(target.path) : [policyFileBeside(target.path)];
  // Every policy of the workspace folder is loaded: a case's file may be governed by a nested package policy.
  const allPolicies = target.kind === "folder" && target.workspaceFolder === target.path ? policyFiles : discoverPolicyFiles(target.workspaceFolder);
  const testFiles = policyFiles.map(testFileBeside).filter((file) => fs.existsSync(file));

  const byDate = new Map<string, PolicySet>();
  const policiesOn = (date: string | undefined): PolicySet => {
    const key = date ?? "today";
    let policies = byDate.get(key);
    if (!policies) byDate.set(key, (policies = loadPolicySet(target.workspaceFolder, allPolicies, date === undefined ? undefined : hostOn(date))));
    return policies;
  };

  const runs: SuiteRun[] = testFiles.map((testFile) => {
    const suite = parsePolicyTests(testFile, fs.readFileSync(testFile, "utf8"));
    const policyFile = policyFileBeside(testFile);
    const policies = policiesOn(suite.date);
    const broken = policies.brokenPolicies().find((entry) => entry.file === policyFile);
    if (suite.problems.length > 0) return { suite, policyFile, results: [] };
    if (broken) {
      const { problem } = broken;
      return { suite, policyFile, brokenPolicy: { file: problem.file, line: problem.range.start.line, character: problem.range.start.character, message: problem.message }, results: [] };
    }
    return { suite, policyFile, results: runPolicyTests(suite, subjectOf(policies)) };
  });

  const passed = runs.reduce((sum, run) => sum + run.results.filter((result) => result.passed).length, 0);
  const failed = runs.reduce((sum, run) => sum + run.results.filter((result) => !result.passed).length, 0);
  const notRun = runs.reduce((sum, run) => sum + (run.brokenPolicy ? run.suite.cases.length : 0), 0);
  const brokenFiles = runs.filter((run) => run.suite.problems.length > 0).length;

  if (format === "json") io.stdout(JSON.stringify(jsonReport(runs, { passed, failed, notRun, brokenFiles }, cwd), null, 2) + "\n");
  else if (testFiles.length === 0) {
    const policies = policyFiles.length === 0 ? `no ${policyFileName}` : `no ${path.posix.basename(policyTestFileName)} beside the ${plural(policyFiles.length, "policy file")}`;
    io.stdout(`${policies} under ${displayFile(target.path, cwd)}: nothing to test\n`);
  } else {
    io.stdout(runs.map((run) => textOf(run, cwd)).join("\n"));
    const extra = [notRun > 0 ? `${notRun} not run (broken policy)` : "", brokenFiles > 0 ? plural(brokenFiles, "unreadable test file") : ""].filter(Boolean);
    io.stdout(`\n${passed} passed, ${failed} failed${extra.length > 0 ? `, ${extra.join(", ")}` : ""}\n`);
  }
  return failed + notRun + brokenFiles > 0 ? ExitCode.findings : ExitCode.ok;
}

/** `.selfheal/policy.yaml` for PATH given as either file of the pair. */
function policyFileBeside(file: string): string {
  if (path.posix.basename(file) === path.posix.basename(policyTestFileName)) return path.posix.join(path.posix.dirname(file), path.posix.basename(policyFileName));
  if (path.posix.basename(file) === path.posix.basename(policyFileName)) return file;
  throw new UsageError(`${file} is neither a policy (${policyFileName}) nor its tests (${policyTestFileName})`);
}

function testFileBeside(policyFile: string): string {
  return path.posix.join(path.posix.dirname(policyFile), path.posix.basename(policyTestFileName));
}

function textOf(run: SuiteRun, cwd: string): string {
  const lines = [displayFile(run.suite.file, cwd)];
  for (const problem of run.suite.problems) lines.push(`  ${problemLine(problem, cwd)}`);
  if (run.brokenPolicy) {
    const { file, line, character, message } = run.brokenPolicy;
    lines.push(`  ✗ ${plural(run.suite.cases.length, "case")} not run: the policy is broken at ${displayFile(file, cwd)}:${line + 1}:${character + 1}: ${message}`);
  }
  for (const result of run.results) {
    if (result.passed) {
      lines.push(`  ✓ ${result.testCase.name}`);
      continue;
    }
    lines.push(`  ✗ ${result.testCase.name}: ${result.mismatches.map((mismatch) => describeMismatch(mismatch, (origin) => displayOrigin(origin, cwd))).join("; ")}`);
    lines.push(`      at ${displayFile(run.suite.file, cwd)}:${result.testCase.line + 1}:${result.testCase.character + 1}`);
  }
  return lines.join("\n") + "\n";
}

export function problemLine(problem: PolicyTestProblem, cwd: string): string {
  return `${displayFile(problem.file, cwd)}:${problem.range.start.line + 1}:${problem.range.start.character + 1}: ${problem.severity} ${problem.id}: ${problem.message}`;
}

function jsonReport(runs: SuiteRun[], summary: { passed: number; failed: number; notRun: number; brokenFiles: number }, cwd: string) {
  return {
    suites: runs.map((run) => ({
      file: displayFile(run.suite.file, cwd),
      policy: displayFile(run.policyFile, cwd),
      date: run.suite.date ?? null,
      problems: run.suite.problems.map((problem) => ({ id: problem.id, file: displayFile(problem.file, cwd), line: problem.range.start.line + 1, column: problem.range.start.character + 1, message: problem.message })),
      brokenPolicy: run.brokenPolicy ? { file: displayFile(run.brokenPolicy.file, cwd), line: run.brokenPolicy.line + 1, column: run.brokenPolicy.character + 1, message: run.brokenPolicy.message } : null,
      results: run.results.map((result) => ({
        name: result.testCase.name,
        line: result.testCase.line + 1,
        passed: result.passed,
        mismatches: result.mismatches.map((mismatch) => ({ message: mismatch.message, evidence: mismatch.evidence.map(({ message, origin }) => ({ message, origin: jsonOrigin(origin, cwd) ?? null })) })),
        decision: result.decision
          ? {
              outcome: result.decision.outcome,
              offered: result.decision.offered,
              reasons: result.decision.reasons.map((reason) => ({ outcome: reason.outcome, message: reason.message, origin: jsonOrigin(reason.origin, cwd) ?? null })),
            }
          : null,
      })),
    })),
    summary,
  };
}
