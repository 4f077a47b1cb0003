/** `selfheal policy check [PATH]`: every problem in the workspace's policy files, as `file:line:col`. */
import { policyFileName } from "../../engine/policy/host";
import type { PolicyProblem } from "../../engine/policy/model";
import { oneOf, parseArgs, UsageError } from "../args";
import type { CliIo } from "../check";
import { ExitCode } from "../exitCodes";
import { discoverPolicyFiles, displayFile, loadPolicySet, plural, resolveTarget } from "./policyWorkspace";

export function checkPolicies(argv: string[], io: CliIo, cwd: string): number {
  const args = parseArgs(argv, ["format"], []);
  const format = oneOf("format", args.flags.get("format"), ["text", "json"] as const, "text");
  if (args.positionals.length > 1) throw new UsageError("policy check takes one folder or policy file");
  const target = resolveTarget(args.positionals[0], cwd, "folder-or-file");
  if (target.kind === "file" && !/\.ya?ml$/i.test(target.path)) throw new UsageError(`${args.positionals[0]} is not a policy file: give a folder or a .selfheal/policy.yaml`);
  const policyFiles = target.kind === "folder" ? discoverPolicyFiles(target.path) : [target.path];
  const policies = loadPolicySet(target.workspaceFolder, policyFiles);
  // Problems may sit in a file a policy extends; each is listed once, under the file it is in.
  const problems: PolicyProblem[] = policies.filesWithProblems().flatMap((file) => policies.problemsOf(file));
  problems.sort((a, b) => compareText(a.file, b.file) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  const errors = problems.filter((problem) => problem.severity === "error").length;
  const warnings = problems.length - errors;

  if (format === "json") {
    const report = {
      workspaceFolder: target.workspaceFolder,
      policyFiles: policyFiles.map((file) => displayFile(file, cwd)),
      problems: problems.map((problem) => ({
        id: problem.id,
        file: displayFile(problem.file, cwd),
        line: problem.range.start.line + 1,
        column: problem.range.start.character + 1,
        endLine: problem.range.end.line + 1,
        endColumn: problem.range.end.character + 1,
        severity: problem.severity,
        message: problem.message,
      })),
      summary: { policyFiles: policyFiles.length, errors, warnings },
    };
    io.stdout(JSON.stringify(report, null, 2) + "\n");
  } else if (policyFiles.length === 0) {
    io.stdout(`no ${policyFileName} under ${displayFile(target.path, cwd)}: the bundled recommended policy applies\n`);
  } else {
    for (const problem of problems) {
      io.stdout(`${displayFile(problem.file, cwd)}:${problem.range.start.line + 1}:${problem.range.start.character + 1}: ${problem.severity} ${problem.id}: ${problem.message}\n`);
    }
    io.stdout(`${plural(policyFiles.length, "policy file")}, ${plural(errors, "error")}, ${plural(warnings, "warning")}\n`);
  }
  return errors > 0 ? ExitCode.findings : ExitCode.ok;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
