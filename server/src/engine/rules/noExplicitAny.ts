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
 * is not reported (the same carve-out typescript-eslint offers as `ignoreRestArgs`). The same
 * type is also spelled `Array<any>`, and, read-only, `ReadonlyArray<any>` or `readonly any[]`.
 */
function isRestArrayOfAny(node: ts.Node): boolean {
  let array = node.parent;
  if (!array) return false;
  if (ts.isArrayTypeNode(array)) {
    if (ts.isTypeOperatorNode(array.parent) && array.parent.operator === ts.SyntaxKind.ReadonlyKeyword) array = array.parent;
  } else if (ts.isTypeReferenceNode(array) && ts.isIdentifier(array.typeName) && (array.typeName.text === "Array" || array.typeName.text === "ReadonlyArray")) {
    if (array.typeArguments?.length !== 1) return false;
  } else {
    return false;
  }
  const parameter = array.parent;
  return !!parameter && ts.isParameter(parameter) && parameter.dotDotDotToken !== undefined && parameter.type === array;
}
