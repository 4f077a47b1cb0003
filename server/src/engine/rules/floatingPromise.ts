import * as ts from "typescript";
import type { FileRule, FixBuilder } from "./rule";

/**
 * A promise whose result nobody awaits, returns or handles: its rejection becomes an
 * unhandled rejection, and code after it runs before it settles. Type-aware, because only
 * the checker knows whether `save()` returns a promise.
 */
export const floatingPromise: FileRule = {
  meta: {
    id: "floating-promise",
    description: "Promises must be awaited, returned, handled with .catch/.then(_, onRejected), or explicitly ignored with `void`.",
    defaultSeverity: "error",
    typeAware: true,
    fixable: true,
    scope: "file",
  },
  check(context) {
    const { sourceFile, checker } = context;
    if (!checker) return;
    const visit = (node: ts.Node): void => {
      if (ts.isExpressionStatement(node) && isFloating(node.expression, checker)) {
        context.report(node.expression, "This promise is neither awaited, returned nor handled; a rejection would go unnoticed.", fixesFor(node.expression, sourceFile));
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  },
};

function isFloating(expression: ts.Expression, checker: ts.TypeChecker): boolean {
  const node = skipParentheses(expression);
  if (ts.isVoidExpression(node) || ts.isAwaitExpression(node)) return false;
  if (ts.isBinaryExpression(node)) {
    const operator = node.operatorToken.kind;
    // An assignment stores the promise somewhere: whoever reads it later owns it.
    if (operator >= ts.SyntaxKind.FirstAssignment && operator <= ts.SyntaxKind.LastAssignment) return false;
    if (operator === ts.SyntaxKind.CommaToken) return isFloating(node.right, checker);
    if (operator === ts.SyntaxKind.AmpersandAmpersandToken || operator === ts.SyntaxKind.BarBarToken || operator === ts.SyntaxKind.QuestionQuestionToken) {
      return isFloating(node.right, checker);
    }
  }
  if (ts.isConditionalExpression(node)) return isFloating(node.whenTrue, checker) || isFloating(node.whenFalse, checker);
  if (ts.isCallExpression(node) && isHandledChain(node, checker)) return false;
  return isThenable(checker.getTypeAtLocation(node), checker);
}

/** `.catch(h)` and `.then(f, h)` handle rejection; `.finally(f)` passes it through. */
function isHandledChain(call: ts.CallExpression, checker: ts.TypeChecker): boolean {
  const callee = skipParentheses(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return false;
  const method = callee.name.text;
  if (method === "catch" && call.arguments.length >= 1) return true;
  if (method === "then" && call.arguments.length >= 2) return true;
  if (method === "finally") {
    const receiver = skipParentheses(callee.expression);
    return ts.isCallExpression(receiver) && isHandledChain(receiver, checker);
  }
  return false;
}

function isThenable(type: ts.Type, checker: ts.TypeChecker): boolean {
  const parts = type.isUnion() ? type.types : [type];
  return parts.some((part) => {
    const then = part.getProperty("then");
    if (!then) return false;
    const thenType = checker.getTypeOfSymbol(then);
    return thenType.getCallSignatures().length > 0;
  });
}

function skipParentheses(node: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(node)) node = node.expression;
  return node;
}

function fixesFor(expression: ts.Expression, sourceFile: ts.SourceFile): FixBuilder[] {
  const start = expression.getStart(sourceFile);
  const end = expression.getEnd();
  const wrap = needsParentheses(expression);
  const prefixEdits = (keyword: string) =>
    wrap
      ? [
          { start, end: start, newText: `${keyword} (` },
          { start: end, end, newText: ")" },
        ]
      : [{ start, end: start, newText: `${keyword} ` }];
  const fixes: FixBuilder[] = [
    // `void` changes nothing at run time: it only states that the result is ignored on purpose.
    { title: "Mark as intentionally not awaited (`void`)", isPreferred: true, edits: prefixEdits("void") },
  ];
  if (isInsideAsyncFunction(expression)) {
    fixes.push({ title: "Await the promise (later statements will wait for it)", isPreferred: false, edits: prefixEdits("await") });
  }
  return fixes;
}

/** `void a || b` would mean `(void a) || b`: anything binding looser than a unary operator needs parentheses. */
function needsParentheses(expression: ts.Expression): boolean {
  return (
    ts.isBinaryExpression(expression) ||
    ts.isConditionalExpression(expression) ||
    ts.isArrowFunction(expression) ||
    ts.isYieldExpression(expression) ||
    ts.isAsExpression(expression) ||
    ts.isSatisfiesExpression(expression)
  );
}

function isInsideAsyncFunction(node: ts.Node): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isFunctionLike(current)) {
      return (ts.getCombinedModifierFlags(current as ts.Declaration) & ts.ModifierFlags.Async) !== 0;
    }
  }
  return false;
}
