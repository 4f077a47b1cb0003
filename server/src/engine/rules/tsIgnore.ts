import type * as ts from "typescript";
import type { FileRule, FixBuilder } from "./rule";
import { commentDirectives, type CommentDirective } from "./util/directives";
import { removalSpan } from "./util/edits";
import { semanticDiagnosticsWith } from "./util/speculative";

/** "Unused '@ts-expect-error' directive." */
const unusedExpectError = 2578;

/**
 * Diagnostics that TypeScript reports or not, or on one line or another, depending on the order
 * in which its checker meets the code. Circularities are found through a stack of types being
 * resolved and reported where the cycle was entered, then cached; depth and size limits are hit
 * or not depending on what earlier checks have already instantiated and cached. A file checked
 * after another that uses its types can get such an error that `tsc`, checking the file first,
 * does not report (zod's `Prettify`: TS2313 in our order, nothing in `tsc`'s), or the reverse.
 * From TypeScript 6.0's diagnostic messages: every "circular", "references itself", "directly or
 * indirectly", "excessively deep", "too complex", "too large" and "excessive" checker error.
 */
export const orderDependentCodes: ReadonlySet<number> = new Set([
  1062, // Type is referenced directly or indirectly in the fulfillment callback of its own 'then' method.
  2303, // Circular definition of import alias '{0}'.
  2310, // Type '{0}' recursively references itself as a base type.
  2313, // Type parameter '{0}' has a circular constraint.
  2321, // Excessive stack depth comparing types '{0}' and '{1}'.
  2456, // Type alias '{0}' circularly references itself.
  2502, // '{0}' is referenced directly or indirectly in its own type annotation.
  2506, // '{0}' is referenced directly or indirectly in its own base expression.
  2577, // Return type annotation circularly references itself.
  2589, // Type instantiation is excessively deep and possibly infinite.
  2590, // Expression produces a union type that is too complex to represent.
  2615, // Type of property '{0}' circularly references itself in mapped type '{1}'.
  2716, // Type parameter '{0}' has a circular default.
  2799, // Type produces a tuple type that is too large to represent.
  2800, // Expression produces a tuple type that is too large to represent.
  2859, // Excessive complexity comparing types '{0}' and '{1}'.
  4109, // Type arguments for '{0}' circularly reference themselves.
  4110, // Tuple type arguments circularly reference themselves.
  7022, // '{0}' implicitly has type 'any' because it … is referenced directly or indirectly in its own initializer.
  7023, // '{0}' implicitly has return type 'any' because it … is referenced directly or indirectly in one of its return expressions.
  7024, // Function implicitly has return type 'any' because it … is referenced directly or indirectly in one of its return expressions.
]);

const message = "`@ts-ignore` hides every error on the next line, including future ones. Use `@ts-expect-error`, which fails once the error is gone.";

/**
 * `@ts-ignore` hides every error on the next line, for ever: the one it was written for, and the
 * ones introduced later. `@ts-expect-error` hides it too but itself becomes an error once
 * nothing is left to hide. Which fix applies depends on what the directive suppresses: those
 * that suppress nothing can simply go, the others become `@ts-expect-error`, except those
 * whose only errors depend on check order (`orderDependentCodes`): `tsc` may not report the
 * error, failing the `@ts-expect-error`, while removal shows it wherever it is reported.
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
    const hidden = program ? hiddenErrors(program, sourceFile, directives, ignores) : undefined;
    for (const directive of ignores) {
      const codes = hidden?.get(directive.line);
      let fixes: FixBuilder[] = [];
      let text = message;
      if (!codes) {
        // Not decided: report, but offer no fix.
      } else if (codes.length === 0) {
        fixes = [{ title: "Remove the `@ts-ignore`: it suppresses no error", isPreferred: true, edits: [{ ...removalSpan(sourceFile.text, directive.comment), newText: "" }] }];
      } else if (codes.every((code) => orderDependentCodes.has(code))) {
        const names = [...new Set(codes)].map((code) => `TS${code}`).join(", ");
        const which = codes.length === 1 ? `The only error it hides here (${names}) is one` : `The only errors it hides here (${names}) are ones`;
        text = `\`@ts-ignore\` hides every error on the next line, including future ones. ${which} TypeScript reports or not depending on the order it checks files in, so neither \`@ts-expect-error\` (an error where it is not reported) nor removing the directive is safe: no fix.`;
      } else {
        fixes = [{ title: "Use `@ts-expect-error`", isPreferred: true, edits: [{ ...directive.marker, newText: "@ts-expect-error" }] }];
      }
      context.report(directive.marker, text, fixes);
    }
  },
};

/**
 * For each `@ts-ignore` directive's line, the codes of the errors it suppresses (none: an empty
 * list), or undefined when that cannot be decided.
 */
function hiddenErrors(program: ts.Program, sourceFile: ts.SourceFile, directives: readonly CommentDirective[], ignores: readonly CommentDirective[]): Map<number, number[]> | undefined {
  const diagnostics = unfilteredDiagnostics(program, sourceFile) ?? speculativeDiagnostics(program, sourceFile, ignores);
  if (!diagnostics) return undefined;
  const byLine = new Map<number, number[]>(ignores.map((directive) => [directive.line, []]));
  for (const [line, code] of directiveLinesOf(sourceFile, directives, diagnostics)) byLine.get(line)?.push(code);
  return byLine;
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

/**
 * The fallback: type-check a copy of the file in which no `@ts-ignore` is a directive any more
 * (`// @ts-ignore` becomes `//  ts-ignore`: same lines, same length). Its diagnostics are the
 * ones the directives hid, plus the ones nothing hid, which no directive's line claims.
 */
function speculativeDiagnostics(program: ts.Program, sourceFile: ts.SourceFile, ignores: readonly CommentDirective[]): readonly ts.Diagnostic[] | undefined {
  const text = sourceFile.text;
  let variant = "";
  let from = 0;
  for (const directive of [...ignores].sort((a, b) => a.marker.start - b.marker.start)) {
    variant += text.slice(from, directive.marker.start) + " ";
    from = directive.marker.start + 1; // drop the "@"
  }
  variant += text.slice(from);
  try {
    // "Unused '@ts-expect-error'" is about the file's own `@ts-expect-error`s, which no `@ts-ignore` could hide.
    return semanticDiagnosticsWith(program, sourceFile, variant).filter((diagnostic) => diagnostic.code !== unusedExpectError);
  } catch {
    return undefined; // No proof either way: report, but offer no fix.
  }
}

/**
 * TypeScript's own rule, for each diagnostic in the file: from the line above it, walk up over
 * blank and `//` lines; the first directive met is the one that hides it. Yields that
 * directive's line and the diagnostic's code.
 */
function* directiveLinesOf(sourceFile: ts.SourceFile, directives: readonly CommentDirective[], diagnostics: readonly ts.Diagnostic[]): Generator<[number, number]> {
  const directiveLines = new Set(directives.map((directive) => directive.line));
  const starts = sourceFile.getLineStarts();
  for (const diagnostic of diagnostics) {
    if (diagnostic.start === undefined || (diagnostic.file && diagnostic.file.fileName !== sourceFile.fileName)) continue;
    for (let line = sourceFile.getLineAndCharacterOfPosition(diagnostic.start).line - 1; line >= 0; line--) {
      if (directiveLines.has(line)) {
        yield [line, diagnostic.code];
        break;
      }
      const lineText = sourceFile.text.slice(starts[line], starts[line + 1] ?? sourceFile.text.length).trim();
      if (lineText !== "" && !lineText.startsWith("//")) break;
    }
  }
}

/** Tests set this to prove the fallback decides the same as the fast path. */
let forceSpeculativeCheck = false;
export function useSpeculativeCheckForTesting(value: boolean): void {
  forceSpeculativeCheck = value;
}
