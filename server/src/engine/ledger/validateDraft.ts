import type { EntryDraft } from "./entry";
import { LedgerError } from "./ledgerError";
import { checkWorkspacePath } from "./workspacePaths";

const sha256 = /^[0-9a-f]{64}$/;
const entryKinds = new Set(["apply", "rollback", "contract-accept", "reconcile"]);
const actorKinds = new Set(["user", "cli", "agent"]);

/** Refuses a draft the ledger could not record faithfully, naming the field: a bad entry is easier to fix before it is chained. */
export function validateDraft(draft: EntryDraft): void {
  const where = `ledger entry ${JSON.stringify(draft?.id)}`;
  const fail = (field: string, problem: string): never => {
    throw new LedgerError("ledger-invalid-entry", `${where}: ${field} ${problem}`);
  };
  if (typeof draft !== "object" || draft === null) fail("the entry", "must be an object");
  if (typeof draft.id !== "string" || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(draft.id)) fail("id", "must be 1-128 letters, digits, '.', '_' or '-'");
  if (typeof draft.time !== "string" || Number.isNaN(Date.parse(draft.time))) fail("time", "must be an ISO 8601 date");
  if (!actorKinds.has(draft.actor?.kind) || typeof draft.actor?.name !== "string") fail("actor", 'must be { kind: "user" | "cli" | "agent", name }');
  if (!entryKinds.has(draft.kind)) fail("kind", `must be one of ${[...entryKinds].join(", ")}`);
  if (typeof draft.rationale !== "string") fail("rationale", "must be a string");
  if (!Array.isArray(draft.impact) || draft.impact.some((file) => typeof file !== "string")) fail("impact", "must be a list of paths");
  if (!Array.isArray(draft.files)) fail("files", "must be a list");
  const seen = new Set<string>();
  draft.files.forEach((file, index) => {
    checkWorkspacePath(file?.path, `files[${index}].path`);
    if (seen.has(file.path)) fail(`files[${index}].path`, `repeats ${file.path}`);
    seen.add(file.path);
    for (const side of ["sha256Before", "sha256After"] as const) {
      if (file[side] !== null && !(typeof file[side] === "string" && sha256.test(file[side] as string))) fail(`files[${index}].${side}`, "must be a lowercase sha256 hex string or null");
    }
    if (file.sha256Before === file.sha256After) fail(`files[${index}]`, "records no change (before and after are the same)");
  });
  // Integers only: they serialize the same in every language, so anyone can recompute a hash (docs/ledger.md).
  const count = (field: string, value: unknown) => {
    if (!Number.isInteger(value) || (value as number) < 0) fail(field, "must be a whole number, 0 or more");
  };
  if (draft.plan !== undefined) {
    for (const key of ["files", "linesAdded", "linesRemoved"] as const) count(`plan.${key}`, draft.plan[key]);
    if (typeof draft.plan.planId !== "string" || typeof draft.plan.exportedApiTouched !== "boolean" || !Array.isArray(draft.plan.protectedPathsTouched)) {
      fail("plan", "must be { planId, files, linesAdded, linesRemoved, exportedApiTouched, protectedPathsTouched }");
    }
  }
  if (draft.decision !== undefined) {
    if (!["auto", "review", "deny"].includes(draft.decision.outcome)) fail("decision.outcome", "must be auto, review or deny");
    draft.decision.reasons?.forEach((reason, index) => {
      if (typeof reason?.message !== "string") fail(`decision.reasons[${index}].message`, "must be a string");
      if (reason.origin !== undefined) count(`decision.reasons[${index}].origin.line`, reason.origin.line);
    });
  }
  if (draft.evidence !== undefined) {
    count("evidence.diagnosticsBefore", draft.evidence.diagnosticsBefore);
    count("evidence.diagnosticsAfter", draft.evidence.diagnosticsAfter);
    draft.evidence.commands?.forEach((command, index) => {
      count(`evidence.commands[${index}].durationMs`, command?.durationMs);
      if (command.exitCode !== null && !Number.isInteger(command.exitCode)) fail(`evidence.commands[${index}].exitCode`, "must be an integer or null");
    });
  }
  if (typeof draft.forwardPatch !== "string" || typeof draft.rollbackPatch !== "string") fail("forwardPatch/rollbackPatch", "must be strings (unified diffs)");
  if (draft.kind === "rollback" && typeof draft.undoes !== "string") fail("undoes", "must name the entry a rollback undoes");
  if ("chain" in draft) fail("chain", "is set by the ledger when the entry is appended; leave it out");
}
