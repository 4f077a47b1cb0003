import type { DecisionReason } from "../policy/model";
import { policyFileName } from "./ledgerRecord";

/** A reason as people read it: the sentence, then the policy line behind it, e.g. `… (.selfheal/policy.yaml:7)`. */
export function describeReason(reason: DecisionReason, root: string): string {
  if (!reason.origin) return reason.message;
  return `${reason.message} (${policyFileName(reason.origin.file, root)}:${reason.origin.line + 1})`;
}
