import type * as ts from "typescript";
import type { FileRule, FixBuilder } from "./rule";
import { commentDirectives, type CommentDirective } from "./util/directives";
import { applyEdits, removalSpan } from "./util/edits";
import { semanticDiagnosticsWith } from "./util/speculative";

/** "Unused '@ts-expect-error' directive." */
const unusedExpectError = 2578;

/**
 * `@ts-ignore` hides every error on the next line, for ever: the one it was written for, and the
 * ones introduced later. `@ts-expect-error` hides it too but itself becomes an error once
 * nothing is left to hide. Which fix applies depends on whether the directive suppresses
 * anything: those that suppress nothing can simply go, the others become `@ts-expect-error`.
 */
export const tsIgnore: FileRule = {
  meta: {
    id: "ts-ignore",
    description: "Disallow `@ts-ignore`; use `@ts-expect-error`, which fails once the error it hides is gone.",
    defaultSeverity: "warning",
    typeAware: true,
    fixable: true,
    scope: "file",
  },
  check(context) {
    const { sourceFile, program } = context;
    const directives = commentDirectives(sourceFile);
    const ignores = directives.filter((directive) => directive.kind === "ts-ignore");
    if (ignores.length === 0) return;
    const unused = program ? unusedLines(program, sourceFile, directives, ignores) : undefined;
    for (const directive of ignores) {
      let fixes: FixBuilder[] = [];
      if (unused?.has(directive.line)) {
        fixes = [{ title: "Remove the `@ts-ignore`: it suppresses no error", isPreferred: true, edits: [{ ...removalSpan(sourceFile.text, directive.comment), newText: "" }] }];
      } else if (unused) {
        fixes = [{ title: "Use `@ts-expect-error`", isPreferred: true, edits: [{ ...directive.marker, newText: "@ts-expect-error" }] }];
      }
      context.report(directive.marker, "`@ts-ignore` hides every error on the next line, including future ones. Use `@ts-expect-error`, which fails once the error is gone.", fixes);
    }
  },
};

/** Lines of the `@ts-ignore` directives that suppress nothing, or undefined when that cannot be decided. */
function unusedLines(program: ts.Program, sourceFile: ts.SourceFile, directives: readonly CommentDirective[], ignores: readonly CommentDirective[]): Set<number> | undefined {
  const raw = unfilteredDiagnostics(program, sourceFile);
  const used = raw ? linesOfUsedDirectives(sourceFile, directives, raw) : speculativelyUsedLines(program, sourceFile, ignores);
  if (!used) return undefined;
  return new Set(ignores.map((directive) => directive.line).filter((line) => !used.has(line)));
}

/**
 * The file's bind and check diagnostics *before* TypeScript drops the ones a directive hides,
 * from the program's own, already warm checker: one check of this file, no new program.
 * `TypeChecker.getDiagnostics` is internal, so its absence (another TypeScript) falls back to
 * the speculative program below. The TypeScript we bundle is pinned, and the tests cover both.
 */
function unfilteredDiagnostics(program: ts.Program, sourceFile: ts.SourceFile): readonly ts.Diagnostic[] | undefined {
  const checker = program.getTypeChecker() as ts.TypeChecker & { getDiagnostics?(file: ts.SourceFile): readonly ts.Diagnostic[] };
  if (typeof checker.getDiagnostics !== "function" || forceSpeculativeCheck) return undefined;
  const bindDiagnostics = (sourceFile as ts.SourceFile & { bindDiagnostics?: readonly ts.Diagnostic[] }).bindDiagnostics ?? [];
  return [...bindDiagnostics, ...checker.getDiagnostics(sourceFile)];
}

/** TypeScript's own rule: from the line above an error, walk up over blank and `//` lines; the first directive met is the one used. */
function linesOfUsedDirectives(sourceFile: ts.SourceFile, directives: readonly CommentDirective[], diagnostics: readonly ts.Diagnostic[]): Set<number> {
  const directiveLines = new Set(directives.map((directive) => directive.line));
  const starts = sourceFile.getLineStarts();
  const used = new Set<number>();
  for (const diagnostic of diagnostics) {
    if (diagnostic.start === undefined || (diagnostic.file && diagnostic.file.fileName !== sourceFile.fileName)) continue;
    for (let line = sourceFile.getLineAndCharacterOfPosition(diagnostic.start).line - 1; line >= 0; line--) {
      if (directiveLines.has(line)) {
        used.add(line);
        break;
      }
      const lineText = sourceFile.text.slice(starts[line], starts[line + 1] ?? sourceFile.text.length).trim();
      if (lineText !== "" && !lineText.startsWith("//")) break;
    }
  }
  return used;
}

/** The fallback: type-check a copy of the file with every `@ts-ignore` turned into `@ts-expect-error`; TypeScript names the unused ones. */
function speculativelyUsedLines(program: ts.Program, sourceFile: ts.SourceFile, ignores: readonly CommentDirective[]): Set<number> | undefined {
  const variant = applyEdits(sourceFile.text, ignores.map((directive) => ({ ...directive.marker, newText: "@ts-expect-error" })));
  let diagnostics: readonly ts.Diagnostic[];
  try {
    diagnostics = semanticDiagnosticsWith(program, sourceFile, variant);
  } catch {
    return undefined; // No proof either way: report, but offer no fix.
  }
  // The edits stay within their lines, so line numbers in the variant are the original ones.
  const unused = new Set<number>();
  for (const diagnostic of diagnostics) {
    if (diagnostic.code === unusedExpectError && diagnostic.file && diagnostic.start !== undefined) unused.add(diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line);
  }
  return new Set(ignores.map((directive) => directive.line).filter((line) => !unused.has(line)));
}

/** Tests set this to prove the fallback decides the same as the fast path. */
let forceSpeculativeCheck = false;
export function useSpeculativeCheckForTesting(value: boolean): void {
  forceSpeculativeCheck = value;
}
