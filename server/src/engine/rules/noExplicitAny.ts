import * as ts from "typescript";
import type { FileRule } from "./rule";

/**
 * `any` switches the type checker off for everything it touches. `unknown` keeps the value
 * equally open to callers while forcing the code that uses it to narrow first.
 */
export const noExplicitAny: FileRule = {
  meta: {
    id: "no-explicit-any",
    description: "Disallow the `any` type; prefer `unknown` or a precise type.",
    defaultSeverity: "warning",
    typeAware: false,
    fixable: true,
    scope: "file",
  },
  check(context) {
    const visit = (node: ts.Node): void => {
      if (node.kind === ts.SyntaxKind.AnyKeyword && !isRestArrayOfAny(node)) {
        context.report(node, "Unexpected `any`. Specify a precise type, or `unknown` if the value really can be anything.", [
          {
            title: "Replace `any` with `unknown`",
            isPreferred: false,
            edits: [{ start: node.getStart(context.sourceFile), end: node.getEnd(), newText: "unknown" }],
          },
        ]);
      }
      ts.forEachChild(node, visit);
    };
    visit(context.sourceFile);
  },
};

/**
 * `...args: any[]` is the only way to write "any argument list" in a constraint such as
 * `T extends (...args: any[]) => unknown`; `unknown[]` there changes assignability, so it
 * is not reported (the same carve-out typescript-eslint offers as `ignoreRestArgs`).
 */
function isRestArrayOfAny(node: ts.Node): boolean {
  const array = node.parent;
  if (!array || !ts.isArrayTypeNode(array)) return false;
  const parameter = array.parent;
  return !!parameter && ts.isParameter(parameter) && parameter.dotDotDotToken !== undefined && parameter.type === array;
}
