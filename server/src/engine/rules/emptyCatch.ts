import * as ts from "typescript";
import type { FileRule } from "./rule";

/**
 * An empty `catch` turns every failure in the `try` into silent success, including the ones
 * nobody anticipated. A comment inside the block is taken as the author's reason, so it is not
 * reported: the same convention as ESLint's `no-empty`.
 */
export const emptyCatch: FileRule = {
  meta: {
    id: "empty-catch",
    description: "Disallow catch blocks that swallow the error without a word; handle it, rethrow it, or say why in a comment.",
    defaultSeverity: "warning",
    typeAware: false,
    fixable: false,
    scope: "file",
  },
  check(context) {
    const { sourceFile } = context;
    const visit = (node: ts.Node): void => {
      if (ts.isCatchClause(node) && isSilent(node.block, sourceFile)) {
        context.report(node, "This catch block swallows the error. Handle it, rethrow it, or add a comment saying why ignoring it is safe.");
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  },
};

/** No statements (stray `;` count as none) and no comment between the braces. */
function isSilent(block: ts.Block, sourceFile: ts.SourceFile): boolean {
  if (!block.statements.every(ts.isEmptyStatement)) return false;
  const inner = sourceFile.text.slice(block.getStart(sourceFile) + 1, block.getEnd() - 1);
  return !/\/\/|\/\*/.test(inner);
}
