import type { PolicySet } from "../engine/policy/policySet";
import type { PolicyStatus, ServerStatus } from "../protocol/customMessages";

/** The policy part of the status notification: the first broken policy if any, else the first valid one. */
export function policyStatusOf(policies: PolicySet): PolicyStatus {
  const [broken] = policies.brokenPolicies();
  // The error may sit in a file the policy extends: point at the error, where the user fixes it.
  if (broken) return { state: "broken", file: broken.problem.file, line: broken.problem.range.start.line + 1, message: broken.problem.message };
  const [first] = policies.policyFiles();
  return first ? { state: "valid", file: first } : { state: "none" };
}

/** Every policy file, for "Show Server Status". */
export function policyListOf(policies: PolicySet): ServerStatus["policies"] {
  const broken = new Map(policies.brokenPolicies().map(({ file, problem }) => [file, problem]));
  return policies.policyFiles().map((file) => {
    const problem = broken.get(file);
    if (!problem) return { file, state: "valid" };
    const { line, character } = problem.range.start;
    return { file, state: "broken", firstError: `${policies.displayPath(problem.file)}:${line + 1}:${character + 1} ${problem.message}` };
  });
}
