/**
 * The decider: may automation apply this change on its own, only after review, or not at all?
 * Every applicable policy line contributes a reason; the most restrictive one decides, and all
 * of them are returned so the user sees each line that held the change back.
 */
import { outcomeRank, type Autofix, type Decision, type DecisionReason, type Outcome, type PolicyOrigin, type ProposedChange, type ProtectedPaths } from "./model";

/** A rule's autofix for one file, as the compiled policy resolves it. */
export interface AutofixSetting {
  autofix: Autofix;
  origin?: PolicyOrigin;
  /** The rule entry's `paths` do not match the file: the rule is off there. */
  outsidePaths?: boolean;
}

export interface ScopeVerdict {
  inScope: boolean;
  origin?: PolicyOrigin;
  /** Why, for the message: excluded by a glob, not included, or outside the policy's folder. */
  cause?: { kind: "excluded"; glob: string } | { kind: "not-included"; globs: readonly string[] } | { kind: "outside-root" };
}

/** What the decider needs from a compiled policy. */
export interface DecisionContext {
  /** The file as messages show it (relative to the policy's folder). */
  display(file: string): string;
  scope(file: string): ScopeVerdict;
  autofix(file: string | undefined, ruleId: string): AutofixSetting;
  protectedEntries: ReadonlyArray<{ entry: ProtectedPaths; firstMatch(file: string): number }>;
  limits: { maxFilesPerChange?: { value: number; origin: PolicyOrigin }; maxLinesPerChange?: { value: number; origin: PolicyOrigin } };
}

export function decideChange(context: DecisionContext, change: ProposedChange): Decision {
  const reasons: DecisionReason[] = [];
  let offered = true;

  for (const file of change.files) {
    const verdict = context.scope(file);
    if (!verdict.inScope) reasons.push({ outcome: "deny", message: scopeMessage(context.display(file), verdict), ...(verdict.origin ? { origin: verdict.origin } : {}) });
  }

  const groups = new Map<string, { setting: AutofixSetting; files: string[] }>();
  for (const file of change.files.length > 0 ? change.files : [undefined]) {
    const setting = context.autofix(file, change.ruleId);
    const key = `${setting.autofix}|${setting.outsidePaths ? "outside" : ""}|${setting.origin?.file ?? ""}:${setting.origin?.line ?? ""}:${setting.origin?.character ?? ""}`;
    const group = groups.get(key) ?? { setting, files: [] };
    if (file !== undefined) group.files.push(context.display(file));
    groups.set(key, group);
  }
  for (const { setting, files } of groups.values()) {
    if (setting.autofix === "off") offered = false;
    reasons.push(autofixReason(change.ruleId, setting, files));
  }

  for (const { entry, firstMatch } of context.protectedEntries) {
    const matched: string[] = [];
    let glob: string | undefined;
    for (const file of change.files) {
      const index = firstMatch(file);
      if (index < 0) continue;
      matched.push(context.display(file));
      glob ??= entry.paths[index];
    }
    if (matched.length === 0) continue;
    const owner = entry.owner !== undefined ? ` (owner: ${entry.owner})` : "";
    reasons.push({ outcome: entry.autofix, message: `${fileList(matched)} ${matched.length === 1 ? "is" : "are"} protected by "${glob}": ${entry.reason}${owner}`, origin: entry.origin });
  }

  const { maxFilesPerChange, maxLinesPerChange } = context.limits;
  if (maxFilesPerChange && change.files.length > maxFilesPerChange.value) {
    reasons.push({ outcome: "deny", message: `the change touches ${change.files.length} files; limits.maxFilesPerChange is ${maxFilesPerChange.value}`, origin: maxFilesPerChange.origin });
  }
  if (maxLinesPerChange && change.linesTouched > maxLinesPerChange.value) {
    reasons.push({ outcome: "deny", message: `the change touches ${change.linesTouched} lines; limits.maxLinesPerChange is ${maxLinesPerChange.value}`, origin: maxLinesPerChange.origin });
  }

  // Stable: among equally restrictive reasons the order above (scope, rule, protected, limits) holds.
  reasons.sort((a, b) => outcomeRank[b.outcome] - outcomeRank[a.outcome]);
  return { outcome: reasons[0].outcome, offered, reasons };
}

function scopeMessage(file: string, verdict: ScopeVerdict): string {
  const cause = verdict.cause;
  if (cause?.kind === "excluded") return `${file} is excluded from the policy's scope by "${cause.glob}": automation may not change it`;
  if (cause?.kind === "not-included") return `${file} is outside the policy's scope: no include glob (${cause.globs.map((glob) => `"${glob}"`).join(", ")}) matches it, so automation may not change it`;
  return `${file} is outside this policy's folder: the policy does not let automation change it`;
}

function autofixReason(ruleId: string, setting: AutofixSetting, files: string[]): DecisionReason {
  const origin = setting.origin ? { origin: setting.origin } : {};
  const key = setting.origin?.key;
  if (setting.outsidePaths) {
    return { outcome: "deny", message: `${ruleId} does not apply to ${fileList(files)}: ${key} does not match ${files.length === 1 ? "it" : "them"}, so its fixes are not offered there`, ...origin };
  }
  if (key === undefined) return { outcome: "review", message: `no policy line sets autofix for ${ruleId}: the default is review` };
  const outcomes: Record<Autofix, [Outcome, string]> = {
    auto: ["auto", `${ruleId} fixes may apply without review (${key})`],
    review: ["review", `${ruleId} fixes need review (${key})`],
    deny: ["deny", `${ruleId} fixes are denied (${key})`],
    off: ["deny", `${ruleId} fixes are off (${key}): they are not offered`],
  };
  const [outcome, message] = outcomes[setting.autofix];
  return { outcome, message, ...origin };
}

function fileList(files: readonly string[]): string {
  if (files.length <= 3) return files.join(", ");
  return `${files.slice(0, 3).join(", ")} and ${files.length - 3} more files`;
}
