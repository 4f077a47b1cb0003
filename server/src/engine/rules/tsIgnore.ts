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
 * nothing is left to hide. Which fix applies is decided by type-checking the file with every
 * `@ts-ignore` turned into `@ts-expect-error`: the ones TypeScript then calls unused suppress
 * nothing and can simply go.
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
    const ignores = commentDirectives(sourceFile).filter((directive) => directive.kind === "ts-ignore");
    if (ignores.length === 0) return;
    const unused = program ? unusedLines(program, sourceFile, ignores) : undefined;
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

/** Lines of the `@ts-ignore` directives that suppress nothing, or undefined when the check itself failed. */
function unusedLines(program: ts.Program, sourceFile: ts.SourceFile, ignores: readonly CommentDirective[]): Set<number> | undefined {
  const variant = applyEdits(sourceFile.text, ignores.map((directive) => ({ ...directive.marker, newText: "@ts-expect-error" })));
  let diagnostics: readonly ts.Diagnostic[];
  try {
    diagnostics = semanticDiagnosticsWith(program, sourceFile, variant);
  } catch {
    return undefined; // No proof either way: report, but offer no fix.
  }
  // The edits stay within their lines, so line numbers in the variant are the original ones.
  const lines = new Set<number>();
  for (const diagnostic of diagnostics) {
    if (diagnostic.code === unusedExpectError && diagnostic.file && diagnostic.start !== undefined) lines.add(diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line);
  }
  return lines;
}
