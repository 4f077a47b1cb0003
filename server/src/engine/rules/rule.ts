import type * as ts from "typescript";
import type { Finding, Fix, Range, Severity } from "../findings";
import type { ImportGraph } from "../graph/importGraph";

export interface RuleMeta {
  /** Stable id; never renamed once released (it is the diagnostic `code` and the SARIF ruleId). */
  id: string;
  description: string;
  defaultSeverity: Severity;
  /** Needs the type checker: runs only after the program is built, never in the keystroke pass. */
  typeAware: boolean;
  fixable: boolean;
  /** Where the check looks: one file at a time, or the whole workspace's import graph. */
  scope: "file" | "workspace";
}

export interface FileRuleContext {
  sourceFile: ts.SourceFile;
  /** Present only for type-aware rules. */
  checker?: ts.TypeChecker;
  /** Present only for type-aware rules: compiler options, and a base for speculative re-checks. */
  program?: ts.Program;
  /** The rule's `options` from settings (`selfheal.rules`), unvalidated: each rule checks its own. */
  options: Readonly<Record<string, unknown>>;
  /** A node, or a text span for what has no node (a comment). */
  report(target: ts.Node | TextSpan, message: string, fixes?: FixBuilder[]): void;
}

/** Offsets into the file's text, end exclusive. */
export interface TextSpan {
  start: number;
  end: number;
}

/** A fix described against the file being checked; the engine turns it into a `Fix`. */
export interface FixBuilder {
  title: string;
  isPreferred: boolean;
  edits: Array<{ start: number; end: number; newText: string }>;
}

export interface FileRule {
  meta: RuleMeta & { scope: "file" };
  check(context: FileRuleContext): void;
}

export interface WorkspaceRule {
  meta: RuleMeta & { scope: "workspace" };
  check(graph: ImportGraph, severity: Severity): Finding[];
}

export type Rule = FileRule | WorkspaceRule;

export type { Finding, Fix, Range };
