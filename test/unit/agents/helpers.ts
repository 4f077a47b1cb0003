/** Workspaces for the agent pipeline's tests: real files, the real engine, the real policy loader. */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Engine } from "../../../server/src/engine/analysis/engine";
import type { Finding, Fix, Position } from "../../../server/src/engine/findings";
import { analyze, type Analysis, type Files } from "../helpers/workspace";

/**
 * shapes.ts is imported by report.ts, which main.ts imports; other.ts stands alone. Each
 * `let` below is never reassigned and annotated, so prefer-const offers its (preferred) fix.
 */
export const sources: Files = {
  "src/shapes.ts": ["export function area(width: number, height: number): number {", "  let result: number = width * height;", "  return result;", "}", ""].join("\n"),
  "src/report.ts": ['import { area } from "./shapes";', "export const size: number = area(2, 3);", ""].join("\n"),
  "src/main.ts": ['import { size } from "./report";', "export function show(): string {", "  let text: string = String(size);", "  return text;", "}", ""].join("\n"),
  "src/other.ts": ["export function twice(value: number): number {", "  let doubled: number = value * 2;", "  return doubled;", "}", ""].join("\n"),
};

export const policyPath = ".selfheal/policy.yaml";

export function policy(...lines: string[]): string {
  return ["version: 1", "extends: recommended", ...lines].join("\n") + "\n";
}

export async function workspaceWith(files: Files = sources, policyText?: string): Promise<Analysis> {
  return analyze(policyText === undefined ? files : { ...files, [policyPath]: policyText });
}

/** Rewrites the policy file and tells the engine, as the watcher would. */
export function setPolicy(ws: Analysis, text: string): void {
  const file = ws.pathOf(policyPath);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  ws.engine.policyFileChanged(file);
}

export function onlyFinding(engine: Engine, file: string, ruleId: string): Finding {
  const findings = engine.findingsFor(file).filter((finding) => finding.ruleId === ruleId);
  if (findings.length !== 1) throw new Error(`expected one ${ruleId} finding in ${file}, got ${findings.length}`);
  return findings[0];
}

export function preferredFix(finding: Finding): Fix {
  const fix = finding.fixes.find((candidate) => candidate.isPreferred);
  if (!fix) throw new Error(`${finding.ruleId} at ${finding.file}:${finding.range.start.line + 1} offers no preferred fix`);
  return fix;
}

export function positionOf(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const line = before.split("\n").length - 1;
  return { line, character: offset - (before.lastIndexOf("\n") + 1) };
}

/** A hand-made fix inserting `newText` right after the first `anchor` in the engine's text of `file`. */
export function insertionFix(engine: Engine, file: string, anchor: string, newText: string, title = "Hand-made change"): Fix {
  const text = engine.workspace.documents.read(file) ?? "";
  const offset = text.indexOf(anchor);
  if (offset === -1) throw new Error(`${anchor} is not in ${file}`);
  const at = positionOf(text, offset + anchor.length);
  return { title, isPreferred: true, changes: [{ file, edits: [{ range: { start: at, end: at }, newText }] }] };
}
