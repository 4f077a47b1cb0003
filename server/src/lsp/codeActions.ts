import * as path from "node:path";
import { type CodeAction, CodeActionKind, type CodeActionParams, CodeActionTriggerKind, type Diagnostic } from "vscode-languageserver/node";
import { folderOf } from "../engine/agents/planner";
import type { Engine } from "../engine/analysis/engine";
import type { Finding, Fix, Range } from "../engine/findings";
import type { Decision, ProposedChange } from "../engine/policy/model";
import { isUnder } from "../engine/workspace/paths";
import { applyFixAllCommand, applyFixCommand, type FixAllReference, type FixReference, previewFixCommand } from "../protocol/customMessages";
import { disabledReason, proposedChangeOf } from "./fixPolicy";
import { uriToPath } from "./uris";

/** "Fix all of a rule" in the file: a `source.fixAll` kind, which is what editors run for "fix everything in this file". */
export const fixAllInFileKind = `${CodeActionKind.SourceFixAll}.selfheal`;
/**
 * "Fix all of a rule" in the workspace folder. Deliberately not under `source.fixAll`: editors run
 * those on save (`editor.codeActionsOnSave`), and a save must not change other files.
 */
export const fixAllInWorkspaceKind = `${CodeActionKind.Source}.selfheal.fixAllInWorkspace`;

export const codeActionKinds = [CodeActionKind.QuickFix, fixAllInFileKind, fixAllInWorkspaceKind];

export interface CodeActionOptions {
  /** The client shows a disabled action with its reason (`codeAction.disabledSupport`); otherwise a denied fix is left out. */
  disabledSupport: boolean;
  /** The document's version as the editor numbers it (null when it is not open): the commands refuse to apply to another. */
  version: number | null;
  /** The client has the preview commands (the extension does; other editors get no preview action they could not run). */
  previews: boolean;
}

/**
 * Quick fixes for our diagnostics in the requested range, and "fix all" source actions. Served
 * from the findings already computed for the document's current version, so a request costs a
 * lookup, never an analysis: if the findings are stale (the user typed since), no fix is offered
 * rather than a wrong one.
 *
 * Every fix is put to the policy first and its title ends with the decision: `(auto)` applies as
 * soon as it is verified, `(review)` opens the editor's refactor preview first. A fix whose
 * rule has `autofix: off` is not listed; a denied one (a protected path, a limit, a broken
 * policy) is listed disabled, with the reason and the policy line, and carries no command: a
 * client that ignores `disabled` has nothing to run (and the command refuses it anyway).
 *
 * No action carries an edit. Each carries a server command that plans again against the text
 * at that moment, verifies, applies through `workspace/applyEdit` and records the change.
 */
export function codeActionsFor(engine: Engine, params: CodeActionParams, options: CodeActionOptions): CodeAction[] {
  const file = uriToPath(params.textDocument.uri);
  if (!file) return [];
  const only = params.context.only;
  const wanted = (kind: string) => !only || only.some((requested) => requested === "" || kind === requested || kind.startsWith(`${requested}.`));
  const actions: CodeAction[] = [];
  if (wanted(CodeActionKind.QuickFix)) actions.push(...quickFixes(engine, file, params, options));
  // Source actions only when asked for by kind, and never automatically (on save): each is a
  // verified, recorded change the user chose, not a side effect of saving.
  if (only && params.context.triggerKind !== CodeActionTriggerKind.Automatic) {
    if (wanted(fixAllInFileKind)) actions.push(...fixAllActions(engine, file, params.textDocument.uri, "file", options));
    if (wanted(fixAllInWorkspaceKind)) actions.push(...fixAllActions(engine, file, params.textDocument.uri, "workspace", options));
  }
  return actions;
}

function quickFixes(engine: Engine, file: string, params: CodeActionParams, options: CodeActionOptions): CodeAction[] {
  const findings = engine.findingsFor(file);
  const actions: CodeAction[] = [];
  for (const diagnostic of params.context.diagnostics) {
    if (diagnostic.source !== "selfheal") continue;
    const finding = findings.find((candidate) => candidate.ruleId === diagnostic.code && sameRange(candidate.range, diagnostic.range));
    if (!finding) continue;
    let previewable: { reference: FixReference; fix: Fix } | undefined;
    let allowed = 0;
    for (const fix of finding.fixes) {
      const decision = engine.policies.decide(proposedChangeOf(finding.ruleId, fix));
      if (!decision.offered) continue;
      const title = withDecision(fix.title, decision);
      const action: CodeAction = { title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: fix.isPreferred };
      if (decision.outcome === "deny") {
        if (options.disabledSupport) actions.push({ ...action, isPreferred: false, disabled: { reason: disabledReason(decision, (policyFile) => engine.policies.displayPath(policyFile)) } });
        continue;
      }
      const reference = fixReference(params.textDocument.uri, options.version, finding, fix);
      actions.push({ ...action, command: { title, command: applyFixCommand, arguments: [reference] } });
      allowed++;
      previewable ??= { reference, fix };
    }
    if (options.previews && previewable) actions.push(previewAction(diagnostic, previewable.reference, allowed > 1 ? previewable.fix.title : undefined));
  }
  return actions;
}

/** One preview per finding (of its first allowed fix, the preferred one), so the menu stays short. */
function previewAction(diagnostic: Diagnostic, reference: FixReference, nameOfFix: string | undefined): CodeAction {
  const title = nameOfFix ? `Preview "${nameOfFix}" and its rollback…` : "Preview fix and rollback…";
  return { title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: false, command: { title, command: previewFixCommand, arguments: [reference] } };
}

function fixAllActions(engine: Engine, file: string, uri: string, scope: FixAllReference["scope"], options: CodeActionOptions): CodeAction[] {
  const folder = folderOf(engine, file);
  if (scope === "workspace" && folder === undefined) return [];
  const inFile = preferredFixesByRule(engine.findingsFor(file));
  const candidates = scope === "file" ? inFile : preferredFixesByRule(engine.allFindings().filter((finding) => isUnder(finding.file, folder as string) && inFile.has(finding.ruleId)));
  const actions: CodeAction[] = [];
  for (const [ruleId, fixes] of [...candidates].sort(([a], [b]) => a.localeCompare(b))) {
    // The workspace action only when it does more than the file's.
    if (scope === "workspace" && fixes.length <= (inFile.get(ruleId)?.length ?? 0)) continue;
    const decision = engine.policies.decide(combined(ruleId, fixes));
    if (!decision.offered) continue;
    const count = `${fixes.length} ${fixes.length === 1 ? "finding" : "findings"}`;
    const where = scope === "file" ? `in ${path.posix.basename(file)}` : `in ${folder === undefined ? "the workspace" : `workspace folder ${path.posix.basename(folder)}`}`;
    const title = withDecision(`Fix all ${ruleId} ${where}, ${count}`, decision);
    const action: CodeAction = { title, kind: scope === "file" ? fixAllInFileKind : fixAllInWorkspaceKind };
    if (decision.outcome === "deny") {
      if (options.disabledSupport) actions.push({ ...action, disabled: { reason: disabledReason(decision, (policyFile) => engine.policies.displayPath(policyFile)) } });
      continue;
    }
    const reference: FixAllReference = { ruleId, scope, uri, version: options.version };
    actions.push({ ...action, command: { title, command: applyFixAllCommand, arguments: [reference] } });
  }
  return actions;
}

/** Per rule, each finding's preferred fix: what "fix all" applies. */
function preferredFixesByRule(findings: readonly Finding[]): Map<string, Fix[]> {
  const byRule = new Map<string, Fix[]>();
  for (const finding of findings) {
    const fix = finding.fixes.find((candidate) => candidate.isPreferred);
    if (fix) byRule.set(finding.ruleId, [...(byRule.get(finding.ruleId) ?? []), fix]);
  }
  return byRule;
}

/** The fixes together, as the policy judges one change (the plan, made when it runs, is judged again). */
function combined(ruleId: string, fixes: readonly Fix[]): ProposedChange {
  const each = fixes.map((fix) => proposedChangeOf(ruleId, fix));
  return { ruleId, files: [...new Set(each.flatMap((change) => change.files))], linesTouched: each.reduce((sum, change) => sum + change.linesTouched, 0) };
}

/** The title with the policy's decision at its end, the same way on every action. */
export function withDecision(title: string, decision: Decision): string {
  return `${title} (${decision.outcome === "deny" ? "denied" : decision.outcome})`;
}

function fixReference(uri: string, version: number | null, finding: Finding, fix: Fix): FixReference {
  return { uri, version, ruleId: finding.ruleId, range: finding.range, fixTitle: fix.title };
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

export type { Finding };
