/**
 * Stable ids of every message the agent pipeline produces (documented in docs/messages.md,
 * "Pipeline messages"). The CLI prints them in front of the sentence and the language server
 * puts them in its notifications, so scripts and tests match on the id, never on the wording.
 */
export type PipelineMessageId =
  // Planning
  | "plan-nothing-to-fix" // no finding of the rule has a preferred fix in the scope
  | "plan-no-change" // the fix leaves every file as it is
  | "plan-invalid-edit" // the fix's edits overlap or point outside the file
  | "plan-file-unreadable" // a file the fix edits cannot be read
  | "plan-spans-folders" // the fixes reach into several workspace folders: one plan, one ledger, one folder
  | "plan-outside-workspace" // a file the fix edits is in no workspace folder
  | "plan-file-exists" // the fix would create a file that exists meanwhile
  | "plan-contract-unknown" // "accept as contract" names a contract the workspace no longer has
  | "plan-policy-broken" // `selfheal contracts accept` under a broken policy: what it declares and decides cannot be known
  | "plan-source-unparsable" // "accept as contract" while a source file of the contract does not parse
  | "plan-contract-not-compared" // "accept as contract" on a contract without a readable baseline, or one that cannot be compared
  // Outcomes of runPipeline
  | "pipeline-applied" // verified, applied and recorded in the ledger
  | "pipeline-denied" // the policy denies the change; nothing was verified or written
  | "pipeline-not-offered" // the rule's autofix is off under the policy
  | "pipeline-needs-review" // the policy wants a human's review and nobody confirmed it
  | "pipeline-verification-failed" // the change adds a diagnostic, or the verify command failed
  | "pipeline-stale-plan" // a file changed since the plan was made; nothing was written
  | "pipeline-already-applied" // every file already has the planned content; nothing recorded
  | "pipeline-dry-run" // everything but writing: the diffs, the decision and the verification
  | "pipeline-not-applied" // the apply step declined (the user cancelled the preview)
  | "pipeline-ledger-conflict" // the changed files' policies name different ledgers
  // Verification details
  | "verify-new-diagnostic" // TypeScript reports something it did not report before the change
  | "verify-contract-break" // the change adds a breaking difference to a registered contract (one with a baseline)
  | "verify-command-failed" // the policy's verify.command exited non-zero
  | "verify-command-timeout" // the policy's verify.command ran past verify.timeoutSeconds and was killed
  | "verify-command-skipped"; // the policy's verify.command did not run: the workspace is not trusted

/** A refusal to plan, with its id: the caller shows the message; nothing was changed. */
export class PlanError extends Error {
  constructor(
    readonly id: PipelineMessageId,
    message: string,
  ) {
    super(message);
    this.name = "PlanError";
  }
}
