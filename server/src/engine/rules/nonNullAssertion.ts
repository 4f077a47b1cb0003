import * as ts from "typescript";
import type { FileRule } from "./rule";

/**
 * `x!` tells the compiler a value is never null or undefined without checking it, so the
 * crash the type system would have prevented happens at run time instead. No automatic fix:
 * the right replacement (a check, `?.`, a default, a better type) depends on what the code means.
 */
export const nonNullAssertion: FileRule = {
  meta: {
    id: "non-null-assertion",
    description: "Disallow the non-null assertion `x!`; check for null/undefined instead.",
    defaultSeverity: "warning",
    typeAware: false,
    fixable: false,
    scope: "file",
  },
  check(context) {
    const visit = (node: ts.Node): void => {
      if (ts.isNonNullExpression(node)) {
        context.report(node, "Non-null assertion: `!` claims this is never null or undefined without checking. Narrow it with a check, or use `?.` or a default.");
      }
      ts.forEachChild(node, visit);
    };
    visit(context.sourceFile);
  },
};
