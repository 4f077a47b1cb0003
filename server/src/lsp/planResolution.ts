/**
 * From what a code action's command names (a finding and a fix at a document version, or "fix
 * all of a rule") to a `ChangePlan` made against the text the engine has now. A document that
 * changed since the action was offered gets no plan: its ranges would point at the wrong text.
 */
import * as path from "node:path";
import type { ChangePlan } from "../engine/agents/changePlan";
import { findingAt } from "../engine/agents/findingAt";
import { PlanError } from "../engine/agents/messages";
import { folderOf, planFix, planFixAll } from "../engine/agents/planner";
import type { Engine } from "../engine/analysis/engine";
import type { FixAllReference, FixReference } from "../protocol/customMessages";
import { EditorError } from "./editorMessages";
import { uriToPath } from "./uris";

/** The LSP version of an open document; null when the editor has not opened it. */
export type VersionOf = (uri: string) => number | null;

export function planForFix(engine: Engine, versionOf: VersionOf, reference: FixReference): ChangePlan {
  const file = fileOf(reference.uri);
  checkVersion(engine, file, reference.uri, reference.version, versionOf);
  const { ruleId, range, fixTitle } = reference;
  const where = `${shown(engine, file)}:${range.start.line + 1}:${range.start.character + 1}`;
  const finding = findingAt(engine, file, ruleId, range);
  if (!finding) {
    throw new EditorError("editor-finding-gone", `the ${ruleId} finding at ${where} is not in the current analysis (the file changed, or it is being analyzed again); nothing was changed. Ask for the quick fix again.`);
  }
  const fix = finding.fixes.find((candidate) => candidate.title === fixTitle);
  if (!fix) throw new EditorError("editor-finding-gone", `the ${ruleId} finding at ${where} has no fix titled ${JSON.stringify(fixTitle)}; nothing was changed`);
  return planFix(engine, finding, fix);
}

export function planForFixAll(engine: Engine, versionOf: VersionOf, reference: FixAllReference): ChangePlan {
  const file = fileOf(reference.uri);
  let plan: ChangePlan | undefined;
  let where: string;
  if (reference.scope === "file") {
    checkVersion(engine, file, reference.uri, reference.version, versionOf);
    plan = planFixAll(engine, reference.ruleId, { file });
    where = shown(engine, file);
  } else {
    const folder = folderOf(engine, file);
    if (folder === undefined) throw new PlanError("plan-outside-workspace", `${file} is in no workspace folder; automation changes workspace files only`);
    plan = planFixAll(engine, reference.ruleId, { folder });
    where = `the workspace folder ${path.posix.basename(folder)}`;
  }
  if (!plan) throw new PlanError("plan-nothing-to-fix", `nothing to fix: no finding of ${reference.ruleId} in ${where} has a fix that applies on "fix all"`);
  return plan;
}

function fileOf(uri: string): string {
  const file = uriToPath(uri);
  if (!file) throw new EditorError("editor-bad-arguments", `${uri} is not a file: URI; only workspace files are fixed`);
  return file;
}

function checkVersion(engine: Engine, file: string, uri: string, offeredFor: number | null, versionOf: VersionOf): void {
  const now = versionOf(uri);
  if (now === offeredFor) return;
  const describe = (version: number | null) => (version === null ? "not open" : `version ${version}`);
  throw new EditorError(
    "editor-document-changed",
    `${shown(engine, file)} changed since the action was offered (${describe(offeredFor)}, now ${describe(now)}); nothing was changed. Ask for the action again.`,
  );
}

function shown(engine: Engine, file: string): string {
  const folder = folderOf(engine, file);
  return folder ? path.posix.relative(folder, file) : file;
}
