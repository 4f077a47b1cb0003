import * as ts from "typescript";

/**
 * `let x = "a"` gives x the type `string`; `const x = "a"` gives it `"a"`. Most code cannot
 * tell, but some can: `if (x === "b")` becomes a compile error ("no overlap"), an overload or a
 * generic may pick another type, `typeof x` changes. So switching a declaration to `const` is
 * proven safe only when the types stay equal, or when every use is one where a literal type
 * behaves exactly like its widened one.
 */
export function constKeepsTypes(declaration: ts.VariableDeclaration, references: readonly ts.Identifier[], checker: ts.TypeChecker): boolean {
  // An annotation fixes the type; a pattern's bindings take property types, which are already widened.
  if (declaration.type || !ts.isIdentifier(declaration.name) || !declaration.initializer) return true;
  const declared = checker.getTypeAtLocation(declaration.name);
  const initial = checker.getTypeAtLocation(declaration.initializer);
  const sameType = checker.isTypeAssignableTo(declared, initial) && checker.isTypeAssignableTo(initial, declared) && !becomesUniqueSymbol(declared, declaration.initializer);
  if (sameType) return true;
  if (isExported(declaration)) return false; // uses in other files are out of sight
  return references.every((reference) => literalIsHarmlessAt(reference, declared, checker));
}

/** `const s = Symbol()` declares a `unique symbol` type; `let s = Symbol()` a plain `symbol`. */
function becomesUniqueSymbol(declared: ts.Type, initializer: ts.Expression): boolean {
  if (!(declared.flags & ts.TypeFlags.ESSymbol)) return false;
  let call = initializer;
  while (ts.isParenthesizedExpression(call)) call = call.expression;
  if (!ts.isCallExpression(call)) return false;
  const callee = call.expression;
  return (ts.isIdentifier(callee) && callee.text === "Symbol") || (ts.isPropertyAccessExpression(callee) && callee.getText() === "Symbol.for");
}

function isExported(declaration: ts.VariableDeclaration): boolean {
  const statement = declaration.parent.parent;
  return ts.isVariableStatement(statement) && (ts.getCombinedModifierFlags(declaration) & ts.ModifierFlags.Export) !== 0;
}

const neutralOperators = new Set([
  ts.SyntaxKind.PlusToken,
  ts.SyntaxKind.MinusToken,
  ts.SyntaxKind.AsteriskToken,
  ts.SyntaxKind.SlashToken,
  ts.SyntaxKind.PercentToken,
  ts.SyntaxKind.AsteriskAsteriskToken,
  ts.SyntaxKind.LessThanLessThanToken,
  ts.SyntaxKind.GreaterThanGreaterThanToken,
  ts.SyntaxKind.GreaterThanGreaterThanGreaterThanToken,
  ts.SyntaxKind.AmpersandToken,
  ts.SyntaxKind.BarToken,
  ts.SyntaxKind.CaretToken,
  ts.SyntaxKind.LessThanToken,
  ts.SyntaxKind.GreaterThanToken,
  ts.SyntaxKind.LessThanEqualsToken,
  ts.SyntaxKind.GreaterThanEqualsToken,
]);

/**
 * Uses where a literal type and its widened type type-check alike. Deliberately short: anything
 * not listed (equality, `switch`, object literals, generic calls, `typeof x` in a type) counts as
 * sensitive, and the fix is then not offered.
 */
function literalIsHarmlessAt(reference: ts.Identifier, declared: ts.Type, checker: ts.TypeChecker): boolean {
  let node: ts.Node = reference;
  while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  if (ts.isTemplateSpan(parent) || ts.isExpressionStatement(parent) || ts.isVoidExpression(parent) || ts.isTypeOfExpression(parent)) return true;
  if (ts.isPrefixUnaryExpression(parent)) return true;
  if (ts.isBinaryExpression(parent)) {
    if (neutralOperators.has(parent.operatorToken.kind)) return true;
    // `target = x;` as a statement: the target's own type decides, and it accepted the wider type.
    return parent.right === node && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isExpressionStatement(parent.parent);
  }
  if ((ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent)) && parent.expression === node) return true;
  if ((ts.isIfStatement(parent) || ts.isWhileStatement(parent) || ts.isDoStatement(parent)) && parent.expression === node) return true;
  if ((ts.isForStatement(parent) && parent.condition === node) || (ts.isConditionalExpression(parent) && parent.condition === node)) return true;
  if (ts.isVariableDeclaration(parent) && parent.initializer === node) {
    // `let y = x` widens again; an annotation accepted the wider type already.
    return parent.type !== undefined || (ts.isVariableDeclarationList(parent.parent) && !(parent.parent.flags & ts.NodeFlags.Const));
  }
  if (ts.isReturnStatement(parent)) {
    const container = ts.findAncestor(parent, ts.isFunctionLike);
    return container !== undefined && container.type !== undefined;
  }
  if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.arguments?.includes(node as ts.Expression)) {
    return argumentIsNeutral(parent, parent.arguments.indexOf(node as ts.Expression), declared, checker);
  }
  return false;
}

/** One non-generic signature, and a parameter that accepts the widened type: then it accepts the literal, with the same result type. */
function argumentIsNeutral(call: ts.CallExpression | ts.NewExpression, index: number, declared: ts.Type, checker: ts.TypeChecker): boolean {
  const calleeType = checker.getTypeAtLocation(call.expression);
  const signatures = ts.isCallExpression(call) ? calleeType.getCallSignatures() : calleeType.getConstructSignatures();
  if (signatures.length !== 1 || signatures[0].getTypeParameters()?.length) return false;
  const signature = signatures[0];
  const parameters = signature.getParameters();
  const last = parameters[parameters.length - 1];
  const lastDeclaration = last?.valueDeclaration;
  const isRest = lastDeclaration !== undefined && ts.isParameter(lastDeclaration) && lastDeclaration.dotDotDotToken !== undefined;
  let parameterType: ts.Type | undefined;
  if (index < parameters.length - (isRest ? 1 : 0)) parameterType = checker.getTypeOfSymbol(parameters[index]);
  else if (isRest) parameterType = checker.getIndexTypeOfType(checker.getTypeOfSymbol(last), ts.IndexKind.Number);
  return parameterType !== undefined && checker.isTypeAssignableTo(declared, parameterType);
}
