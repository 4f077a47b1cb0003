import { type CodeAction, CodeActionKind, type CodeActionParams, type TextEdit, type WorkspaceEdit } from "vscode-languageserver/node";
import type { Engine } from "../engine/analysis/engine";
import type { Finding, Fix, Range } from "../engine/findings";
import { disabledReason, proposedChangeOf } from "./fixPolicy";
import { pathToUri, uriToPath } from "./uris";

export interface CodeActionOptions {
  /** The client shows a disabled action with its reason (`codeAction.disabledSupport`); otherwise a denied fix is left out. */
  disabledSupport: boolean;
}

/**
 * Quick fixes for our diagnostics in the requested range. Served from the findings already
 * computed for the document's current version, so a request costs a lookup, never an analysis:
 * if the findings are stale (the user typed since), no fix is offered rather than a wrong one.
 *
 * Every fix is put to the policy first. A fix whose rule has `autofix: off` is not listed; a
 * denied one (a protected path, a limit, a broken policy) is listed disabled, with the reason
 * and the policy line, and carries no edit: a client that ignores `disabled` cannot apply it.
 */
export function codeActionsFor(engine: Engine, params: CodeActionParams, options: CodeActionOptions): CodeAction[] {
  const file = uriToPath(params.textDocument.uri);
  if (!file) return [];
  const only = params.context.only;
  if (only && !only.some((kind) => CodeActionKind.QuickFix.startsWith(kind))) return [];
  const findings = engine.findingsFor(file);
  const actions: CodeAction[] = [];
  for (const diagnostic of params.context.diagnostics) {
    if (diagnostic.source !== "selfheal") continue;
    const finding = findings.find((candidate) => candidate.ruleId === diagnostic.code && sameRange(candidate.range, diagnostic.range));
    if (!finding) continue;
    for (const fix of finding.fixes) {
      const decision = engine.policies.decide(proposedChangeOf(finding.ruleId, fix));
      if (!decision.offered) continue;
      const action: CodeAction = { title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: fix.isPreferred };
      if (decision.outcome === "deny") {
        if (!options.disabledSupport) continue;
        actions.push({ ...action, isPreferred: false, disabled: { reason: disabledReason(decision, (policyFile) => engine.policies.displayPath(policyFile)) } });
      } else {
        actions.push({ ...action, edit: toWorkspaceEdit(fix) });
      }
    }
  }
  return actions;
}

export function toWorkspaceEdit(fix: Fix): WorkspaceEdit {
  const changes: Record<string, TextEdit[]> = {};
  for (const change of fix.changes) changes[pathToUri(change.file)] = change.edits.map((edit) => ({ range: edit.range, newText: edit.newText }));
  return { changes };
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

export type { Finding };
